/**
 * A case's clocks as staff see them, live at `now` (recomputed from the events, not the stored
 * copy as of the last event): each clock's target, due time, time left and state.
 */
import { clockLabel, dueStatus } from '../domain/clock-points.ts';
import { coSignUnit } from '../domain/clock-policy.ts';
import type { ClockCaseEvent } from '../domain/clocks.ts';
import type { Tx } from '../store/db.ts';
import { getUnits } from '../store/units.queries.ts';
import { clocksNow, type ClockCtx } from './case-clocks.ts';

/**
 * `remainingMs` is budget time (working time for working-day clocks), negative once over;
 * `state` is pending_start, running, paused, warned, breached, met or cancelled. A summoned
 * co-unit's sign clock (`co_sign:<unitCode>`) reads 协办签收 · <unit name>, with the sign target.
 */
export async function presentClocks(ctx: ClockCtx, tx: Tx, caseId: string, events: readonly ClockCaseEvent[], now: Date) {
  const { policy, report } = await clocksNow(tx, ctx, caseId, now, events);
  const defs = new Map(policy.clocks.map((d) => [d.name, d]));
  const coUnits = report.clocks.flatMap((c) => coSignUnit(c.name) ?? []);
  const names = new Map((await getUnits(tx, coUnits)).map((u) => [u.code, u.name]));
  return {
    clockPolicy: { id: policy.id, name: policy.name },
    due: dueStatus(report.clocks, now),
    clocks: report.clocks.map((c) => ({
      name: c.name, label: clockLabel(c.name, names.get(coSignUnit(c.name) ?? '')), basis: c.basis,
      target: defs.get(coSignUnit(c.name) === null ? c.name : 'sign')!.target, run: c.run,
      startedAt: c.startedAt, dueAt: c.dueAt, remainingMs: c.remainingMs, state: c.state, onTime: c.onTime,
      metAt: c.metAt, cancelledAt: c.cancelledAt, pausedMs: c.pausedMs, extensions: c.extensions,
      warnPoints: c.warnPoints.map((w) => ({ fraction: w.fraction, at: w.at, reached: w.at !== null && +w.at <= +now })),
    })),
  };
}
