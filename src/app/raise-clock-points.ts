/**
 * Raising clock points (the scanner's use case): in one short transaction, claim a batch of cases
 * whose next point is due (FOR UPDATE SKIP LOCKED), and for each point due and not yet raised
 * insert its clock_points row — the primary key makes it fire once, whatever the number of
 * scanners or crashes — then record a `clock_warning` / `clock_breach` event (which recomputes the
 * case's clocks and next_due_at) and queue a breach's consequences (BREACH_RULES; a co-unit's
 * sign clock `co_sign:<unitCode>` notifies that co-unit and its parent as a sign breach does the lead).
 */
import type { SystemActor } from '../domain/actor.ts';
import type { Status } from '../domain/case.ts';
import { breachRule, CLOCK_EVENTS, clockLabel, duePoints, pointPayload, type ClockPoint } from '../domain/clock-points.ts';
import { HOUR_MS } from '../domain/work-calendar.ts';
import type { Tx } from '../store/db.ts';
import { listEvents } from '../store/cases.queries.ts';
import { claimDueCases, clockFacts, insertClockPoint, setSupervised, unitStaff, type ClockFacts, type DueCase } from '../store/clocks.queries.ts';
import { getUnit } from '../store/units.queries.ts';
import { clockConfig, policyOf, refreshClocks, type ClockConfig } from './case-clocks.ts';
import type { Deps } from './deps.ts';
import { dutyMessages, notifyOnDuty, type DutyNotice } from './notify/on-duty.ts';
import { enqueue } from './outbox.ts';
import { recordEvent } from './record-event.ts';

export const CLOCK_SCANNER: SystemActor = { kind: 'system', id: 'clock-scanner' };

/** Cases already reported as stuck, so the log gets one line each per process, not one per sweep. */
const reportedStuck = new Set<string>();

const chinaTime = (d: Date) => new Date(+d + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');

export interface BatchResult {
  claimed: number;
  raised: number;
  late: number;
  breaches: number;
  /** Claimed cases whose next point is still due after raising (stored state out of step; see the log). */
  stuck: string[];
}

/**
 * Claims up to `limit` due cases (leaving out `skip`) and raises their due points, in one
 * transaction. Throws database errors (the transaction rolls back; nothing was raised).
 */
export async function raiseDueBatch(deps: Deps, now: Date, limit: number, skip: readonly string[] = []): Promise<BatchResult> {
  return deps.db.orm.transaction(async (tx) => {
    const due = await claimDueCases(tx, now, limit, skip);
    const out: BatchResult = { claimed: due.length, raised: 0, late: 0, breaches: 0, stuck: [] };
    if (due.length === 0) return out;
    const config = await clockConfig(tx, deps);
    const facts = new Map((await clockFacts(tx, due.map((c) => c.id))).map((f) => [f.id, f]));
    for (const c of due) {
      const r = await raiseCase(tx, deps, config, c, facts.get(c.id)!, now);
      out.raised += r.raised;
      out.late += r.late;
      out.breaches += r.breaches;
      if (r.stuck) out.stuck.push(c.id);
    }
    return out;
  });
}

async function raiseCase(tx: Tx, deps: Deps, config: ClockConfig, c: DueCase, facts: ClockFacts, now: Date) {
  const policy = policyOf(config, facts);
  const points = duePoints(policy.clocks, await listEvents(tx, c.id), now, config.calendar);
  const status = c.status as Status;
  let head = { id: c.id, eventSeq: c.eventSeq, headHash: c.headHash };
  const r = { raised: 0, late: 0, breaches: 0, stuck: false };
  for (const p of points) {
    const payload = pointPayload(p, now);
    const fresh = await insertClockPoint(tx, { caseId: c.id, clock: p.clock, run: p.run, point: p.point, dueAt: p.at, firedAt: now, late: payload.late });
    if (!fresh) continue;
    const action = p.kind === 'breach' ? CLOCK_EVENTS.breach : CLOCK_EVENTS.warning;
    const ev = await recordEvent(tx, head, CLOCK_SCANNER, now, { action, from: status, to: status, payload: { ...payload }, patch: {} }, deps);
    head = { id: c.id, eventSeq: ev.seq, headHash: ev.hash };
    r.raised++;
    if (payload.late) r.late++;
    if (p.kind === 'breach') {
      r.breaches++;
      await onBreach(tx, deps, c, p, payload.late, now);
    }
  }
  if (r.raised > 0) return r;
  // Nothing raised: the stored next_due_at was stale (fixed here), or a point has a row but no event.
  const { nextDueAt } = await refreshClocks(tx, c.id, deps);
  if (nextDueAt !== null && +nextDueAt <= +now) {
    r.stuck = true;
    if (!reportedStuck.has(c.id)) deps.log.warn({ caseId: c.id }, 'a due clock point has a clock_points row but no event: run `suqiu audit verify`');
    reportedStuck.add(c.id);
  }
  return r;
}

/**
 * What a breach sets off (BREACH_RULES): supervision, and notices to the lead unit (and its
 * parent) — or, for a co-unit's sign clock, to that co-unit (and its parent).
 */
async function onBreach(tx: Tx, deps: Deps, c: DueCase, p: ClockPoint, late: boolean, now: Date): Promise<void> {
  const found = breachRule(p.clock);
  if (!found) return;
  const { rule } = found;
  if (rule.supervise) await setSupervised(tx, c.id);
  const owner = found.unitCode ?? c.leadUnitCode ?? c.intakeUnitCode;
  const unit = rule.parent || found.unitCode !== null ? await getUnit(tx, owner) : null;
  const units = [owner];
  if (rule.parent && unit?.parentCode) units.push(unit.parentCode);
  const label = clockLabel(p.clock, unit?.name);
  for (const unitCode of units) {
    const notice: DutyNotice = {
      key: `clock:${c.id}:${p.clock}:${p.run}:${p.point}:${unitCode}`, kind: CLOCK_EVENTS.breach, caseId: c.id,
      title: `${label}超时 ${c.trackingNo}`,
      body: `工单 ${c.trackingNo} 的${label}时限（${chinaTime(p.at)}）已到期${late ? '（系统恢复后补报）' : ''}，请立即处理。`,
    };
    if (rule.notify === 'on_duty' && (await notifyOnDuty(tx, deps, unitCode, now, notice)) > 0) continue;
    const roles = rule.notify === 'leaders' ? ['leader'] : ['handler', 'leader'];
    await enqueue(tx, now, dutyMessages(await unitStaff(tx, unitCode, roles), notice, !!deps.config.smtpUrl));
  }
}
