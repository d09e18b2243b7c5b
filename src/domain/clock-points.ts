/**
 * Clock points: the instants at which a case's clocks warn and breach, which of them the event
 * log says were raised, and the clock record a case stores. Pure: `now` is passed in.
 *
 * The stored record is a function of the events alone, so `clocks verify` can recompute it:
 * - `clocks` is `computeClocks` as of the case's last event (not as of the wall clock: the live
 *   view is computed when the case is presented);
 * - `nextDueAt` is the earliest point of a live run (started, neither met nor cancelled) that no
 *   `clock_warning` / `clock_breach` event has raised yet — what the scanner waits for. A point
 *   that passed while nobody raised it (scanner down, or an event that came first) stays due, so
 *   it is raised late rather than skipped.
 */
import { coSignUnit, type ClockDef, type ClockName, type PolicyClockName } from './clock-policy.ts';
import { computeClocks, type ClockCaseEvent, type ClockState } from './clocks.ts';
import { HOUR_MS, type WorkCalendar } from './work-calendar.ts';

/** The case events the scanner records. */
export const CLOCK_EVENTS = { warning: 'clock_warning', breach: 'clock_breach' } as const;

/** A point raised more than this after it was due is marked late (the scanner was down or behind). */
export const LATE_TOLERANCE_MS = 5_000;

/** Labels of the policy clocks; a co-sign clock has none here (use `clockLabel`). */
export const CLOCK_LABELS: Readonly<Record<ClockName, string>> = {
  sign: '签收', contact: '联系诉求人', first_feedback: '首次反馈', resolve: '办结', petition_accept: '受理告知', petition_handle: '信访办理',
};

/** A clock's label; a co-unit's sign clock reads `协办签收 · <unit name>` (the code when the name is not given). */
export function clockLabel(name: ClockName, unitName?: string | null): string {
  const unit = coSignUnit(name);
  return unit !== null ? `协办签收 · ${unitName || unit}` : CLOCK_LABELS[name] ?? name;
}

export interface ClockPoint {
  clock: ClockName;
  run: number;
  /** The clock_points key: `warn:0.5`, `warn:0.8` or `breach`. */
  point: string;
  kind: 'warning' | 'breach';
  at: Date;
}

/** What a raised point's event records. */
export interface ClockEventPayload {
  clock: ClockName;
  run: number;
  point: string;
  dueAt: string;
  late: boolean;
}

const keyOf = (p: { clock: string; run: number; point: string }) => `${p.clock}\u0000${p.run}\u0000${p.point}`;

/** Every known warning and due point of the live runs (started, neither met nor cancelled), oldest first. */
export function livePoints(clocks: readonly ClockState[]): ClockPoint[] {
  return clocks
    .filter((c) => c.run > 0 && c.metAt === null && c.cancelledAt === null)
    .flatMap((c): ClockPoint[] => [
      ...c.warnPoints.flatMap((w) => (w.at ? [{ clock: c.name, run: c.run, point: `warn:${w.fraction}`, kind: 'warning' as const, at: w.at }] : [])),
      ...(c.dueAt ? [{ clock: c.name, run: c.run, point: 'breach', kind: 'breach' as const, at: c.dueAt }] : []),
    ])
    .sort((a, b) => +a.at - +b.at);
}

/** Keys of the points the events say were raised. */
function raisedKeys(events: readonly Pick<ClockCaseEvent, 'action' | 'payload'>[]): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    if (e.action !== CLOCK_EVENTS.warning && e.action !== CLOCK_EVENTS.breach) continue;
    const p = e.payload as Partial<ClockEventPayload> | null;
    if (p && typeof p.clock === 'string' && typeof p.run === 'number' && typeof p.point === 'string') out.add(keyOf(p as ClockEventPayload));
  }
  return out;
}

export interface ClockRecord {
  /** The instant the clocks are computed at: the latest event's time (null without events). */
  asOf: Date | null;
  clocks: ClockState[];
  nextDueAt: Date | null;
  /** Deadlines counted over a year without a published holiday calendar. */
  warnings: string[];
}

const latest = (events: readonly ClockCaseEvent[]) => events.reduce<Date | null>((m, e) => (m === null || +e.at > +m ? e.at : m), null);

/**
 * The record a case stores, recomputed from its events. Throws what `computeClocks` throws (a
 * malformed extension payload).
 */
export function clockRecord(defs: readonly ClockDef[], events: readonly ClockCaseEvent[], cal: WorkCalendar): ClockRecord {
  const asOf = latest(events);
  if (asOf === null) return { asOf, clocks: [], nextDueAt: null, warnings: [] };
  const report = computeClocks(defs, events, asOf, cal);
  const raised = raisedKeys(events);
  const next = livePoints(report.clocks).find((p) => !raised.has(keyOf(p)));
  return { asOf, clocks: report.clocks, nextDueAt: next?.at ?? null, warnings: report.warnings };
}

/**
 * The points due by `now` that no event has raised yet, oldest first: what the scanner raises.
 * Clocks are computed at the later of `now` and the last event, so a scanner whose clock lags
 * behind another node's never ignores an event that already stopped a clock.
 */
export function duePoints(defs: readonly ClockDef[], events: readonly ClockCaseEvent[], now: Date, cal: WorkCalendar): ClockPoint[] {
  const asOf = latest(events);
  if (asOf === null) return [];
  const report = computeClocks(defs, events, +asOf > +now ? asOf : now, cal);
  const raised = raisedKeys(events);
  return livePoints(report.clocks).filter((p) => +p.at <= +now && !raised.has(keyOf(p)));
}

/** The event payload of a point raised at `firedAt`. */
export function pointPayload(p: ClockPoint, firedAt: Date): ClockEventPayload {
  return { clock: p.clock, run: p.run, point: p.point, dueAt: p.at.toISOString(), late: +firedAt - +p.at > LATE_TOLERANCE_MS };
}

/**
 * What a breach sets off, by clock — the one table. `notify`: the on-duty staff, or the leaders,
 * of the lead unit (and of its parent when `parent`); `supervise`: the case is put under
 * supervision (督办). Clocks not listed only record the breach.
 */
export interface BreachRule {
  notify: 'on_duty' | 'leaders';
  parent: boolean;
  supervise: boolean;
}
export const BREACH_RULES: Readonly<Partial<Record<PolicyClockName, BreachRule>>> = {
  sign: { notify: 'on_duty', parent: true, supervise: false },
  contact: { notify: 'on_duty', parent: true, supervise: false },
  resolve: { notify: 'leaders', parent: false, supervise: true },
  petition_handle: { notify: 'leaders', parent: false, supervise: true },
};

/**
 * What a clock's breach sets off, and whose: a co-unit's sign clock (`co_sign:<unitCode>`) follows
 * the sign rule for that co-unit (null `unitCode`: the lead unit's).
 */
export function breachRule(name: ClockName): { rule: BreachRule; unitCode: string | null } | null {
  const unitCode = coSignUnit(name);
  const rule = BREACH_RULES[unitCode !== null ? 'sign' : (name as PolicyClockName)];
  return rule ? { rule, unitCode } : null;
}

/**
 * `due=soon`: a live clock not yet overdue that is due within this window or has passed its
 * 80 % warning point. `due=overdue`: a live clock past its due time.
 */
export const DUE_SOON_MS = 2 * HOUR_MS;
export const DUE_SOON_FRACTION = 0.8;
export type DueStatus = 'soon' | 'overdue';

/** A stored clock as read back from JSON (times as ISO strings) or fresh (Dates). */
export interface StoredClockTimes {
  dueAt: Date | string | null;
  metAt: Date | string | null;
  cancelledAt: Date | string | null;
  warnPoints: { fraction: number; at: Date | string | null }[];
}

/**
 * The two instants the `due` filters turn on: `dueAt`, the earliest due time of a live clock
 * (overdue from then on), and `soonAt`, when the first live clock enters its "due soon" window
 * (its 80 % point, or 2 h before its due time, whichever comes first). Null when no live clock has
 * a due time (none running, or paused with budget left). Both change only with events.
 */
export function dueMarks(clocks: readonly StoredClockTimes[]): { dueAt: Date | null; soonAt: Date | null } {
  const t = (v: Date | string) => +new Date(v);
  let due = Infinity, soon = Infinity;
  for (const c of clocks) {
    if (c.metAt != null || c.cancelledAt != null || c.dueAt == null) continue;
    const d = t(c.dueAt);
    const warn = c.warnPoints.filter((w) => w.fraction >= DUE_SOON_FRACTION && w.at != null).map((w) => t(w.at!));
    due = Math.min(due, d);
    soon = Math.min(soon, d - DUE_SOON_MS, ...warn);
  }
  return due === Infinity ? { dueAt: null, soonAt: null } : { dueAt: new Date(due), soonAt: new Date(soon) };
}

/**
 * Whether the case is overdue (a live clock past its due time), due soon (not overdue, and a live
 * clock in its window) or neither at `now`, from its stored clocks.
 */
export function dueStatus(clocks: readonly StoredClockTimes[], now: Date): DueStatus | null {
  const { dueAt, soonAt } = dueMarks(clocks);
  if (dueAt === null || soonAt === null) return null;
  if (+dueAt <= +now) return 'overdue';
  return +soonAt <= +now ? 'soon' : null;
}
