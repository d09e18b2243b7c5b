/**
 * Clock state recomputed from a case's events: the only way clock state is made, so what is
 * stored always equals what the events say. Pure: takes `now` and the work calendar.
 *
 * Conventions:
 * - Events are read in time order (a stable sort, so same-instant events keep their order);
 *   events after `now` are ignored, so recomputing at an earlier `now` gives what was true then.
 * - A clock runs from its start event to its stop event. Its budget is the target plus every
 *   extension approved during the run, measured in the clock's basis (see work-calendar.ts).
 * - Pauses: while the case's status is `pending` (waiting for the citizen) no time counts, on any
 *   basis: the due time is the instant at which the basis time elapsed outside pauses reaches the
 *   budget. On the calendar basis a pause of length p therefore moves the due time by exactly p;
 *   on the working bases only the working time inside the pause is given back.
 * - While a clock is paused and its budget not yet spent, its due time is unknown (null): it
 *   depends on when the case resumes. The scanner has nothing to wait for until then.
 * - Warning and due points are reached at their instant (`now >= point`); a clock stopped at or
 *   before its due time is on time.
 * - When the case is resolved or closed, clocks still running end as `cancelled` (onTime false if
 *   they had already passed their due time, else null). Only `restartOn` events revive them.
 * - Restarts: a clock whose `restartOn` lists an event begins a fresh run when it recurs (a
 *   dispatch, transfer or re-dispatch gives the new unit its own sign clock; a reopened case gets
 *   a new resolution period). The state reported is the latest run's; `run` counts the runs.
 * - A clock event raised by an event that also closes the case starts nothing (a `not_accept`
 *   decides a petition but starts no handling period).
 * - Co-units: each unit a `summon` names (payload `unitCodes`) gets its own sign clock,
 *   `co_sign:<unitCode>`, derived from the policy's `sign` clock; that unit's `co_sign` (payload
 *   `unitCode`) stops it, and a later summon of the unit starts it anew. A policy without a sign
 *   clock (petitions) gives co-units none.
 */
import { STATUSES, type StatusCategory } from './case.ts';
import { coSignDef, durationMs, type ClockBasis, type ClockDef, type ClockName, type ClockStart, type ClockStop, type Duration } from './clock-policy.ts';
import { chinaDate, type WorkCalendar } from './work-calendar.ts';

export interface ClockCaseEvent {
  at: Date;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  payload: unknown;
}

/** What a case event means to the clocks. */
export type ClockSignal = ClockStart | ClockStop | 'reopened' | 'pause' | 'resume' | 'closed';

export type ClockStateName = 'pending_start' | 'running' | 'paused' | 'warned' | 'breached' | 'met' | 'cancelled';

export interface ClockState {
  name: ClockName;
  basis: ClockBasis;
  /** How many times the clock has started; 0 before its start event. */
  run: number;
  startedAt: Date | null;
  /** Null before the start, and while paused with budget left. */
  dueAt: Date | null;
  /** Budget in basis milliseconds: target plus approved extensions. */
  targetMs: number;
  extensions: Duration[];
  /** Wall-clock time spent paused during this run, up to its end or `now`. */
  pausedMs: number;
  state: ClockStateName;
  /** When the stop event came. */
  metAt: Date | null;
  /** When the case closed under a running clock. */
  cancelledAt: Date | null;
  onTime: boolean | null;
  warnPoints: { fraction: number; at: Date | null }[];
  /** Budget left in basis milliseconds at the end of the run or `now`; negative once over. Null before the start. */
  remainingMs: number | null;
}

export interface ClockReport {
  clocks: ClockState[];
  /** The earliest warning or due point after `now` among running, unpaused clocks: when to look again. */
  nextDueAt: Date | null;
  /** Human-readable: a deadline counted over a year with no published holiday calendar. */
  warnings: string[];
}

/** The action that records a leader's approval; payload `{ clock: ClockName, amount, unit }`. */
export const EXTENSION_ACTION = 'extend_approved';

const BY_ACTION: Readonly<Record<string, readonly ClockSignal[]>> = {
  accept: ['accepted'], sign: ['signed'], contact: ['contacted'], feedback: ['feedback'],
  resolve: ['resolved', 'feedback'], answer: ['resolved', 'feedback'],
  accept_decision: ['accepted_decision'], not_accept: ['accepted_decision'],
};
const DISPATCHING = new Set(['dispatch', 'transfer', 'rule_return']);
const ENDED: ReadonlySet<StatusCategory> = new Set(['resolved', 'closed']);
const field = (payload: unknown, name: string): unknown =>
  payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[name] : undefined;
/** The units a `summon` names. */
const summonedUnits = (e: ClockCaseEvent): string[] => {
  const codes = e.action === 'summon' ? field(e.payload, 'unitCodes') : undefined;
  return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string' && c !== '') : [];
};
const categoryOf = (s: string | null): StatusCategory | null => (s !== null && s in STATUSES ? STATUSES[s as keyof typeof STATUSES] : null);

/**
 * The clock signals one case event raises. A reply (`resolve`, `answer`) counts as feedback too;
 * `not_accept` is also a decision on acceptance. A `summon` raises `summoned:<unitCode>` for each
 * unit it names, a `co_sign` raises `co_signed:<unitCode>`.
 */
export function clockSignals(e: ClockCaseEvent): ClockSignal[] {
  const out: ClockSignal[] = [...(BY_ACTION[e.action] ?? [])];
  for (const u of summonedUnits(e)) out.push(`summoned:${u}`);
  const coSigned = e.action === 'co_sign' ? field(e.payload, 'unitCode') : undefined;
  if (typeof coSigned === 'string' && coSigned !== '') out.push(`co_signed:${coSigned}`);
  if (DISPATCHING.has(e.action) && e.toStatus === 'dispatched') out.push('dispatched');
  if (e.toStatus === 'reopened' && e.fromStatus !== 'reopened') out.push('reopened');
  if (e.toStatus === 'pending' && e.fromStatus !== 'pending') out.push('pause');
  if (e.fromStatus === 'pending' && e.toStatus !== null && e.toStatus !== 'pending') out.push('resume');
  const to = categoryOf(e.toStatus);
  if (to && ENDED.has(to) && !ENDED.has(categoryOf(e.fromStatus) ?? 'new')) out.push('closed');
  return out;
}

interface Run {
  start: number;
  end: number | null;
  endedBy: 'stop' | 'closed' | null;
  extensions: Duration[];
}

type Interval = [number, number];

function extensionOf(e: ClockCaseEvent): { clock: string; duration: Duration } {
  const p = e.payload as { clock?: unknown; amount?: unknown; unit?: unknown } | null;
  const ok = p && typeof p.clock === 'string' && typeof p.amount === 'number' && p.amount > 0
    && (p.unit === 'minutes' || p.unit === 'hours' || p.unit === 'days');
  if (!ok) throw new Error(`${EXTENSION_ACTION} at ${e.at.toISOString()}: payload must be { clock, amount > 0, unit }`);
  return { clock: p.clock as string, duration: { amount: p.amount as number, unit: p.unit as Duration['unit'] } };
}

/** Pending periods of the case, [from, to) with Infinity while still pending. */
function pausesOf(events: readonly ClockCaseEvent[]): Interval[] {
  const out: Interval[] = [];
  let from: number | null = null;
  for (const e of events) {
    const s = clockSignals(e);
    if (s.includes('pause') && from === null) from = +e.at;
    if (s.includes('resume') && from !== null) { out.push([from, +e.at]); from = null; }
  }
  if (from !== null) out.push([from, Infinity]);
  return out;
}

/** The latest run of one clock, and how many runs there were. */
function runOf(def: ClockDef, events: readonly ClockCaseEvent[]): { run: Run | null; runs: number } {
  let run: Run | null = null;
  let runs = 0;
  let caseEnded = false;
  for (const e of events) {
    const s = clockSignals(e);
    const t = +e.at;
    if (run && run.end === null && s.includes(def.stop) && t >= run.start) Object.assign(run, { end: t, endedBy: 'stop' });
    if (run && run.end === null && s.includes('closed')) Object.assign(run, { end: t, endedBy: 'closed' });
    if (s.includes('reopened')) caseEnded = false;
    if (s.includes('closed')) caseEnded = true;
    const starts = run === null ? s.includes(def.start) : (def.restartOn ?? []).some((r) => s.includes(r));
    if (starts && !caseEnded) {
      run = { start: t, end: null, endedBy: null, extensions: [] };
      runs++;
    }
    if (e.action === EXTENSION_ACTION && run && run.end === null) {
      const x = extensionOf(e);
      if (x.clock === def.name) run.extensions.push(x.duration);
    }
  }
  return { run, runs };
}

/** The policy's clocks, then a co-sign clock for each unit summoned, in the order first summoned. */
function withCoSignClocks(defs: readonly ClockDef[], events: readonly ClockCaseEvent[]): readonly ClockDef[] {
  const sign = defs.find((d) => d.name === 'sign');
  if (!sign) return defs;
  const units = [...new Set(events.flatMap(summonedUnits))];
  return units.length === 0 ? defs : [...defs, ...units.map((u) => coSignDef(sign, u))];
}

/**
 * The state of each clock of a policy after the given events, at `now`, followed by the co-sign
 * clock of each summoned unit. Throws when an `extend_approved` event has a malformed payload
 * (recorded data that should have been checked).
 */
export function computeClocks(defs: readonly ClockDef[], events: readonly ClockCaseEvent[], now: Date, cal: WorkCalendar): ClockReport {
  const seen = [...events].filter((e) => +e.at <= +now).sort((a, b) => +a.at - +b.at);
  const pauses = pausesOf(seen);
  const clocks = withCoSignClocks(defs, seen).map((def) => clockState(def, seen, pauses, now, cal));
  const points = clocks
    .filter((c) => c.state !== 'pending_start' && c.state !== 'paused' && c.metAt === null && c.cancelledAt === null)
    .flatMap((c) => [...c.warnPoints.map((w) => w.at), c.dueAt])
    .filter((at): at is Date => at !== null && +at > +now)
    .map(Number);
  const warnings = clocks.flatMap((c) => {
    if (c.basis === 'calendar' || !c.startedAt || !c.dueAt) return [];
    const years = cal.missingYears(c.startedAt, c.dueAt);
    return years.length === 0 ? [] : [
      `${c.name}: due ${chinaDate(c.dueAt)} counted over ${years.join(', ')} with no published holiday calendar (weekends only); `
      + `load the State Council's arrangement for ${years.join(', ')} as calendar overrides`,
    ];
  });
  return { clocks, nextDueAt: points.length ? new Date(Math.min(...points)) : null, warnings };
}

function clockState(def: ClockDef, events: readonly ClockCaseEvent[], allPauses: readonly Interval[], now: Date, cal: WorkCalendar): ClockState {
  const { run, runs } = runOf(def, events);
  const targetMs = durationMs(def.target, def.basis) + (run?.extensions ?? []).reduce((s, d) => s + durationMs(d, def.basis), 0);
  const base = { name: def.name, basis: def.basis, run: runs, targetMs, extensions: run?.extensions ?? [] };
  if (!run) {
    return {
      ...base, startedAt: null, dueAt: null, pausedMs: 0, state: 'pending_start', metAt: null, cancelledAt: null, onTime: null,
      warnPoints: def.warnAt.map((fraction) => ({ fraction, at: null })), remainingMs: null,
    };
  }
  // Pauses inside the run; a pause still open when the run ended closes with it.
  const limit = run.end ?? Infinity;
  const pauses = allPauses
    .map(([a, b]): Interval => [Math.max(a, run.start), Math.min(b, limit)])
    .filter(([a, b]) => b > a);
  const active: Interval[] = [];
  let from = run.start;
  for (const [a, b] of pauses) {
    if (a > from) active.push([from, a]);
    from = b;
  }
  if (from !== Infinity) active.push([from, Infinity]);

  /** The earliest instant at which `ms` of active basis time has elapsed; null if it lies past an open pause. */
  const instantAt = (ms: number): Date | null => {
    let left = ms;
    for (const [a, b] of active) {
      const avail = b === Infinity ? Infinity : cal.workingMsBetween(new Date(a), new Date(b), def.basis);
      if (left <= avail) return cal.advance(new Date(a), left, def.basis);
      left -= avail;
    }
    return null;
  };
  const consumedAt = (t: number) => active
    .filter(([a]) => a < t)
    .reduce((s, [a, b]) => s + cal.workingMsBetween(new Date(a), new Date(Math.min(b, t)), def.basis), 0);

  const evalAt = run.end ?? +now;
  const dueAt = instantAt(targetMs);
  const warnPoints = def.warnAt.map((fraction) => ({ fraction, at: instantAt(Math.round(fraction * targetMs)) }));
  const pausedMs = pauses.reduce((s, [a, b]) => s + Math.max(0, Math.min(b, evalAt) - a), 0);
  const late = dueAt !== null && evalAt > +dueAt;
  const reached = (at: Date | null) => at !== null && +now >= +at;
  const pausedNow = pauses.some(([a, b]) => a <= +now && +now < b);

  let state: ClockStateName;
  if (run.endedBy === 'stop') state = 'met';
  else if (run.endedBy === 'closed') state = 'cancelled';
  else if (reached(dueAt)) state = 'breached';
  else if (pausedNow) state = 'paused';
  else if (warnPoints.some((w) => reached(w.at))) state = 'warned';
  else state = 'running';

  return {
    ...base,
    startedAt: new Date(run.start),
    dueAt,
    pausedMs,
    state,
    metAt: run.endedBy === 'stop' ? new Date(evalAt) : null,
    cancelledAt: run.endedBy === 'closed' ? new Date(evalAt) : null,
    onTime: run.endedBy === 'stop' ? !late : run.endedBy === 'closed' ? (late ? false : null) : null,
    warnPoints,
    remainingMs: targetMs - consumedAt(evalAt),
  };
}
