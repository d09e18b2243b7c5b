/**
 * Who was on duty while a case's clocks ran: the lead unit over time (read from the events),
 * crossed with each clock's run [startedAt, metAt | cancelledAt | now] and that unit's shifts.
 * Pure; the caller loads the events, the stored clocks and the shifts.
 */
import { overlaps } from './roster.ts';

/** Actions after which the unit in the event's `payload.unitCode` leads (a `rule_return` that keeps records none). */
export const LEAD_ACTIONS: readonly string[] = ['dispatch', 'transfer', 'rule_return', 'escalate', 'hand_back'];

export interface LeadPeriod {
  unitCode: string;
  from: Date;
  /** Null while it still leads. */
  to: Date | null;
}

/** The lead units of a case over time, from its events in order. */
export function leadPeriods(events: readonly { at: Date; action: string; payload: unknown }[]): LeadPeriod[] {
  const out: LeadPeriod[] = [];
  for (const e of events) {
    const unitCode = LEAD_ACTIONS.includes(e.action) ? (e.payload as { unitCode?: unknown } | null)?.unitCode : undefined;
    if (typeof unitCode !== 'string') continue;
    const last = out.at(-1);
    if (last?.unitCode === unitCode) continue;
    if (last) last.to = e.at;
    out.push({ unitCode, from: e.at, to: null });
  }
  return out;
}

/** A clock as stored on the case (JSON): only what the duty view reads. Times may be ISO strings. */
export interface StoredClock {
  name: string;
  run: number;
  startedAt: Date | string | null;
  metAt?: Date | string | null;
  cancelledAt?: Date | string | null;
}

export interface ClockWindow {
  clock: string;
  run: number;
  from: Date;
  to: Date;
  /** Still running: `to` is now. */
  running: boolean;
}

const toDate = (v: Date | string | null | undefined): Date | null => (v == null ? null : new Date(v));

/** The span of each started clock's latest run, ending when it was met or cancelled, else now. */
export function clockWindows(clocks: readonly StoredClock[], now: Date): ClockWindow[] {
  return clocks.flatMap((c) => {
    const from = toDate(c.startedAt);
    if (!from) return [];
    const end = toDate(c.metAt) ?? toDate(c.cancelledAt);
    return [{ clock: c.name, run: c.run, from, to: end ?? now, running: end === null }];
  });
}

export interface DutyShift {
  id: string;
  unitCode: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  label: string | null;
}

export interface ClockDuty extends ClockWindow {
  /** The lead units during the window, each with the shifts that overlapped its part. */
  units: { unitCode: string; from: Date; to: Date; shifts: DutyShift[] }[];
}

/** For each clock window: which unit led when, and whose shifts at that unit overlapped. */
export function dutyOverClocks(windows: readonly ClockWindow[], periods: readonly LeadPeriod[], shifts: readonly DutyShift[]): ClockDuty[] {
  return windows.map((w) => ({
    ...w,
    units: periods.flatMap((p) => {
      const from = new Date(Math.max(+w.from, +p.from));
      const to = new Date(Math.min(+w.to, p.to ? +p.to : Infinity));
      // A clock met the instant it started still shows who was on duty at that instant.
      const instant = +w.from === +w.to;
      if (instant ? !(+p.from <= +w.from && (p.to === null || +w.from < +p.to)) : +from >= +to) return [];
      const span = instant ? { startsAt: from, endsAt: new Date(+from + 1) } : { startsAt: from, endsAt: to };
      const on = shifts.filter((s) => s.unitCode === p.unitCode && overlaps(s, span)).sort((a, b) => +a.startsAt - +b.startsAt);
      return [{ unitCode: p.unitCode, from, to, shifts: on }];
    }),
  }));
}
