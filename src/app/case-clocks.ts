/**
 * The clocks of a case as the platform keeps them. Every case event goes through `recordEvent`,
 * which calls `recomputeClocks`: the clocks are recomputed from all the case's events with its
 * policy's clock definitions and stored (`clocks`, `next_due_at`, `policy_id`) in the event's
 * own UPDATE of the case row.
 * The policy is chosen once, at intake, from the case's facts; a case whose policy was removed
 * since gets the one its facts select now.
 *
 * Policies and the work calendar are cached per database for CONFIG_TTL_MS (config-cache.ts). The node that
 * changes them drops its cache at once and recomputes the open cases; another node keeps its copy
 * until the TTL runs out, so a case changed there within those seconds may keep clocks computed
 * with the old policy until its next event (`suqiu clocks verify` reports it, `suqiu clocks
 * recompute` repairs it).
 */
import type { Logger } from 'pino';
import type { CaseType, Channel, Urgency } from '../domain/case.ts';
import { DEFAULT_POLICIES, selectPolicy, type ClockPolicy } from '../domain/clock-policy.ts';
import { clockRecord, type ClockRecord } from '../domain/clock-points.ts';
import { computeClocks, type ClockCaseEvent, type ClockReport } from '../domain/clocks.ts';
import type { UnitKind } from '../domain/org.ts';
import { makeWorkCalendar, type CalendarOverride, type WorkCalendar } from '../domain/work-calendar.ts';
import { listEvents } from '../store/cases.queries.ts';
import { clockFacts, eventsOfCases, listOverrides, listPolicies, saveClockRecords, type ClockFacts, type StoredRecord } from '../store/clocks.queries.ts';
import type { Db, Tx } from '../store/db.ts';
import { configCache } from './config-cache.ts';

/** What clock upkeep needs from the platform: the database (the cache key) and a logger. */
export interface ClockCtx {
  db: Db;
  log: Logger;
}

export interface ClockConfig {
  policies: readonly ClockPolicy[];
  byId: ReadonlyMap<string, ClockPolicy>;
  overrides: readonly CalendarOverride[];
  calendar: WorkCalendar;
  /** No policy is stored: the shipped defaults apply. */
  defaults: boolean;
}

/** Reads the policies (the shipped defaults while none are stored) and the calendar, uncached. */
export async function loadClockConfig(tx: Tx): Promise<ClockConfig> {
  const stored = await listPolicies(tx);
  const overrides = await listOverrides(tx);
  const policies = stored.length > 0 ? stored : DEFAULT_POLICIES;
  return {
    policies, byId: new Map(policies.map((p) => [p.id, p])), overrides, calendar: makeWorkCalendar(overrides), defaults: stored.length === 0,
  };
}

const cache = configCache<Db, ClockConfig>();

/** The cached configuration of this database, re-read after CONFIG_TTL_MS or an invalidation. */
export const clockConfig = (tx: Tx, ctx: ClockCtx): Promise<ClockConfig> => cache.get(ctx.db, () => loadClockConfig(tx));

/** Drops this node's cached policies and calendar; call after their change has committed. */
export const invalidateClockConfig = (db: Db): void => cache.invalidate(db);

/** The case's policy: the stored one, else the first whose match fits the case's facts. */
export function policyOf(config: ClockConfig, f: ClockFacts): ClockPolicy {
  const stored = f.policyId === null ? undefined : config.byId.get(f.policyId);
  return stored ?? selectPolicy(config.policies, {
    channel: f.channel as Channel, type: f.type as CaseType, urgency: f.urgency as Urgency, category: f.category,
    unitKind: f.unitKind as UnitKind | null, bureau: f.bureau, petition: f.petition, complex: f.complex,
  });
}

const warned = new WeakMap<Db, Set<string>>();

/** Logs each calendar warning once per process (one line per clock and due date at most). */
function logCalendarWarnings(ctx: ClockCtx, caseId: string, warnings: readonly string[]): void {
  let seen = warned.get(ctx.db);
  if (!seen) warned.set(ctx.db, (seen = new Set()));
  for (const w of warnings) {
    if (seen.has(w)) continue;
    seen.add(w);
    ctx.log.warn({ caseId, warning: w }, 'deadline counted over a year with no published holiday calendar');
  }
}

/**
 * Recomputes one case's clock record from its events, inside the caller's transaction (which
 * holds the case row); `recordEvent` stores it with the event's own UPDATE. Stored clocks are as
 * of the case's latest event, not of the wall clock, so that they are a function of the events
 * alone. Throws when the case does not exist.
 */
export async function recomputeClocks(tx: Tx, caseId: string, ctx: ClockCtx): Promise<StoredRecord & { record: ClockRecord }> {
  const [facts] = await clockFacts(tx, [caseId]);
  if (!facts) throw new Error(`recomputeClocks: case ${caseId} does not exist`);
  const config = await clockConfig(tx, ctx);
  const policy = policyOf(config, facts);
  const record = clockRecord(policy.clocks, await listEvents(tx, caseId), config.calendar);
  if (record.warnings.length > 0) logCalendarWarnings(ctx, caseId, record.warnings);
  return { id: caseId, policyId: policy.id, clocks: record.clocks, nextDueAt: record.nextDueAt, record };
}

/** Recomputes and stores one case's clocks (one UPDATE), when no event is being recorded. */
export async function refreshClocks(tx: Tx, caseId: string, ctx: ClockCtx): Promise<ClockRecord> {
  const r = await recomputeClocks(tx, caseId, ctx);
  await saveClockRecords(tx, [r]);
  return r.record;
}

/**
 * A case's policy and its clocks as of `now` (or its last event, if later), for presenting the
 * case and for checking an extension. Reads the events unless given. Throws when the case does
 * not exist.
 */
export async function clocksNow(tx: Tx, ctx: ClockCtx, caseId: string, now: Date, events?: readonly ClockCaseEvent[]): Promise<{
  policy: ClockPolicy; events: readonly ClockCaseEvent[]; report: ClockReport; config: ClockConfig;
}> {
  const [facts] = await clockFacts(tx, [caseId]);
  if (!facts) throw new Error(`clocksNow: case ${caseId} does not exist`);
  const config = await clockConfig(tx, ctx);
  const policy = policyOf(config, facts);
  const evs = events ?? await listEvents(tx, caseId);
  const last = evs.reduce((m, e) => Math.max(m, +e.at), -Infinity);
  const report = computeClocks(policy.clocks, evs, new Date(Math.max(+now, last)), config.calendar);
  return { policy, events: evs, report, config };
}

export interface RecomputedCase {
  facts: ClockFacts;
  policy: ClockPolicy;
  record: ClockRecord;
}

/** Recomputes (without storing) the records of several cases with the given configuration. */
export async function recomputeCases(tx: Tx, ids: readonly string[], config: ClockConfig): Promise<RecomputedCase[]> {
  const facts = await clockFacts(tx, ids);
  const events = await eventsOfCases(tx, ids);
  return facts.map((f) => {
    const policy = policyOf(config, f);
    return { facts: f, policy, record: clockRecord(policy.clocks, events.get(f.id) ?? [], config.calendar) };
  });
}
