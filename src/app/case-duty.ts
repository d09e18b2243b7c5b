/**
 * The case view's `duty`: who is on duty at the lead unit now, and who was on duty at the lead
 * unit(s) while each clock ran (its latest run, [startedAt, metAt | cancelledAt | now]).
 */
import type { CaseState } from '../domain/case.ts';
import { clockWindows, dutyOverClocks, leadPeriods, type StoredClock } from '../domain/duty.ts';
import type { Tx } from '../store/db.ts';
import { listShifts, onDutyUsers } from '../store/rosters.queries.ts';
import { presentShift } from './rosters.ts';

/** `events` in order (the timeline already loaded); `clocks` as stored on the case row. */
export async function caseDuty(
  tx: Tx,
  c: Pick<CaseState, 'leadUnitCode'>,
  events: readonly { at: Date; action: string; payload: unknown }[],
  clocks: unknown,
  now: Date,
) {
  const windows = clockWindows(Array.isArray(clocks) ? (clocks as StoredClock[]) : [], now);
  const periods = leadPeriods(events);
  const units = [...new Set(periods.map((p) => p.unitCode))];
  const shifts = windows.length && units.length
    ? await listShifts(tx, units, new Date(Math.min(...windows.map((w) => +w.from))), new Date(Math.max(...windows.map((w) => +w.to)) + 1))
    : [];
  const byId = new Map(shifts.map((s) => [s.id, s]));
  return {
    now: c.leadUnitCode ? { unitCode: c.leadUnitCode, onDuty: (await onDutyUsers(tx, c.leadUnitCode, now)).map(presentShift) } : null,
    clocks: dutyOverClocks(windows, periods, shifts).map((d) => ({
      ...d,
      units: d.units.map((u) => ({ unitCode: u.unitCode, from: u.from, to: u.to, onDuty: u.shifts.map((s) => presentShift(byId.get(s.id)!)) })),
    })),
  };
}
