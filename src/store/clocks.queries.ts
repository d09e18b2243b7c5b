/**
 * Clocks in the store: the ordered policies, the calendar overrides, the clock points that fired,
 * each case's stored clock record, and the due cases the scanner claims.
 */
import { and, asc, count, eq, gt, inArray, lte, ne, notInArray, sql } from 'drizzle-orm';
import type { ClockPolicy, PolicyMatch, ClockDef } from '../domain/clock-policy.ts';
import type { ClockState } from '../domain/clocks.ts';
import { dueMarks } from '../domain/clock-points.ts';
import type { CalendarOverride } from '../domain/work-calendar.ts';
import { rowsOf, type Tx } from './db.ts';
import { calendarOverrides, caseEvents, cases, clockPoints, clockPolicies, users } from './schema.ts';

export async function listPolicies(tx: Tx): Promise<ClockPolicy[]> {
  const rows = await tx.select().from(clockPolicies).orderBy(asc(clockPolicies.position));
  return rows.map((r) => ({ id: r.id, name: r.name, match: r.match as PolicyMatch, clocks: r.clocks as ClockDef[] }));
}

/** Replaces every policy by the list, in its order. */
export async function replacePolicies(tx: Tx, policies: readonly ClockPolicy[], now: Date): Promise<void> {
  await tx.delete(clockPolicies);
  await insertPolicies(tx, policies, now);
}

/** Inserts policies in list order; a policy whose id exists is left alone. Returns how many were new. */
export async function insertPolicies(tx: Tx, policies: readonly ClockPolicy[], now: Date): Promise<number> {
  if (policies.length === 0) return 0;
  const rows = await tx.insert(clockPolicies)
    .values(policies.map((p, position) => ({ id: p.id, position, name: p.name, match: p.match, clocks: p.clocks, updatedAt: now })))
    .onConflictDoNothing()
    .returning({ id: clockPolicies.id });
  return rows.length;
}

export async function countPolicies(tx: Tx): Promise<number> {
  const [r] = await tx.select({ n: count() }).from(clockPolicies);
  return r?.n ?? 0;
}

export async function listOverrides(tx: Tx): Promise<CalendarOverride[]> {
  const rows = await tx.select().from(calendarOverrides).orderBy(asc(calendarOverrides.date));
  return rows.map((r) => ({ date: r.date, kind: r.kind as CalendarOverride['kind'], ...(r.name ? { name: r.name } : {}) }));
}

/** Adds an override, or replaces the one for the same date. */
export async function upsertOverride(tx: Tx, o: CalendarOverride): Promise<void> {
  await tx.insert(calendarOverrides).values({ date: o.date, kind: o.kind, name: o.name ?? null })
    .onConflictDoUpdate({ target: calendarOverrides.date, set: { kind: o.kind, name: o.name ?? null } });
}

export interface FiredPoint {
  caseId: string;
  clock: string;
  run: number;
  point: string;
  dueAt: Date;
  firedAt: Date;
  late: boolean;
}

/** Records that a point fired; false when it had fired already (the key makes it fire once). */
export async function insertClockPoint(tx: Tx, p: FiredPoint): Promise<boolean> {
  const rows = await tx.insert(clockPoints).values(p).onConflictDoNothing().returning({ run: clockPoints.run });
  return rows.length === 1;
}

/** What the scanner needs of a due case. */
export interface DueCase {
  id: string;
  status: string;
  trackingNo: string;
  eventSeq: number;
  headHash: string | null;
  intakeUnitCode: string;
  leadUnitCode: string | null;
}

/**
 * Locks up to `limit` cases whose next point is due by `now`, earliest first, skipping rows
 * another transaction holds (another scanner, or a person acting on the case): an index range
 * scan over `cases_next_due_idx`, whatever the number of open clocks. `skip` leaves out cases this
 * sweep already handled.
 */
export async function claimDueCases(tx: Tx, now: Date, limit: number, skip: readonly string[] = []): Promise<DueCase[]> {
  return tx.select({
    id: cases.id, status: cases.status, trackingNo: cases.trackingNo, eventSeq: cases.eventSeq, headHash: cases.headHash,
    intakeUnitCode: cases.intakeUnitCode, leadUnitCode: cases.leadUnitCode,
  })
    .from(cases)
    .where(and(lte(cases.nextDueAt, now), skip.length ? notInArray(cases.id, [...skip]) : undefined))
    .orderBy(asc(cases.nextDueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** The earliest next point over all cases (an index lookup): when the scanner should look again. */
export async function earliestDue(tx: Tx): Promise<Date | null> {
  const [r] = await tx.select({ at: sql<Date | null>`min(${cases.nextDueAt})`.mapWith(cases.nextDueAt) }).from(cases);
  return r?.at ?? null;
}

/** A case's stored clock record and what its policy is chosen by (the intake unit's kind and bureau). */
export interface ClockFacts {
  id: string;
  policyId: string | null;
  clocks: unknown;
  nextDueAt: Date | null;
  channel: string;
  type: string;
  category: string | null;
  urgency: string;
  unitKind: string | null;
  bureau: string | null;
  petition: boolean;
  complex: boolean;
}

/** The clock facts of several cases, in id order. */
export async function clockFacts(tx: Tx, ids: readonly string[]): Promise<ClockFacts[]> {
  if (ids.length === 0) return [];
  const rows = await rowsOf<{
    id: string; policy_id: string | null; clocks: unknown; next_due_at: string | Date | null; channel: string; type: string;
    category: string | null; urgency: string; unit_kind: string | null; bureau: string | null; petition: boolean; complex: boolean;
  }>(tx, sql`
    select c.id, c.policy_id, c.clocks, c.next_due_at, c.channel, c.type, c.category, c.urgency, c.petition, c.complex, u.kind as unit_kind,
      (select b.code from units b where b.code = any(u.ancestors) and b.kind = 'bureau' limit 1) as bureau
    from cases c left join units u on u.code = c.intake_unit_code
    where c.id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    order by c.id`);
  return rows.map((r) => ({
    id: r.id, policyId: r.policy_id, clocks: r.clocks, nextDueAt: r.next_due_at === null ? null : new Date(r.next_due_at),
    channel: r.channel, type: r.type, category: r.category, urgency: r.urgency, unitKind: r.unit_kind, bureau: r.bureau,
    petition: r.petition, complex: r.complex,
  }));
}

export interface StoredRecord {
  id: string;
  policyId: string;
  clocks: readonly ClockState[];
  nextDueAt: Date | null;
}

/** The case columns a clock record fills; the due marks are derived from the clocks. */
export function clockColumns(r: Omit<StoredRecord, 'id'>) {
  const { dueAt, soonAt } = dueMarks(r.clocks);
  return { policyId: r.policyId, clocks: r.clocks, nextDueAt: r.nextDueAt, dueAt, dueSoonAt: soonAt };
}

/** Stores clock records, all in one UPDATE. */
export async function saveClockRecords(tx: Tx, records: readonly StoredRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (records.length === 1) {
    const r = records[0]!;
    await tx.update(cases).set(clockColumns(r)).where(eq(cases.id, r.id));
    return;
  }
  const json = JSON.stringify(records.map((r) => {
    const c = clockColumns(r);
    return { id: r.id, policy_id: c.policyId, clocks: c.clocks, next_due_at: c.nextDueAt, due_at: c.dueAt, due_soon_at: c.dueSoonAt };
  }));
  await tx.execute(sql`
    update cases c set policy_id = x.policy_id, clocks = x.clocks, next_due_at = x.next_due_at,
      due_at = x.due_at, due_soon_at = x.due_soon_at
    from jsonb_to_recordset(${json}::jsonb)
      as x(id uuid, policy_id text, clocks jsonb, next_due_at timestamptz, due_at timestamptz, due_soon_at timestamptz)
    where c.id = x.id`);
}

/** Events of several cases, each case's in seq order. */
export async function eventsOfCases(tx: Tx, ids: readonly string[]) {
  const out = new Map<string, (typeof caseEvents.$inferSelect)[]>();
  if (ids.length === 0) return out;
  const rows = await tx.select().from(caseEvents).where(inArray(caseEvents.caseId, [...ids])).orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
  for (const e of rows) {
    const list = out.get(e.caseId);
    if (list) list.push(e);
    else out.set(e.caseId, [e]);
  }
  return out;
}

/** Cases not closed (their clocks may still change): the next `limit` ids after `after`. */
export async function openCaseIds(tx: Tx, after: string | null, limit: number, lock = false): Promise<string[]> {
  const q = tx.select({ id: cases.id }).from(cases)
    .where(and(ne(cases.statusCategory, 'closed'), after === null ? undefined : gt(cases.id, after)))
    .orderBy(asc(cases.id)).limit(limit);
  return (lock ? await q.for('update') : await q).map((r) => r.id);
}

export async function countOpenCases(tx: Tx): Promise<number> {
  const [r] = await tx.select({ n: count() }).from(cases).where(ne(cases.statusCategory, 'closed'));
  return r?.n ?? 0;
}

/** 督办: marks the case as supervised. */
export async function setSupervised(tx: Tx, caseId: string): Promise<void> {
  await tx.update(cases).set({ supervised: true }).where(eq(cases.id, caseId));
}

/**
 * Active accounts of a unit with one of the roles: the leaders to tell about a breach, and the
 * fallback for "who is on duty" when the unit has no roster (the roster takes precedence where
 * present; see the scanner).
 */
export async function unitStaff(tx: Tx, unitCode: string, roles: readonly string[]): Promise<{ userId: string; email: string | null }[]> {
  return tx.select({ userId: users.id, email: users.email }).from(users)
    .where(and(eq(users.unitCode, unitCode), inArray(users.role, [...roles]), eq(users.disabled, false)))
    .orderBy(asc(users.id));
}

/**
 * For the calendar warning: the China-local years each live working-time clock of an open case
 * spans, from its start to its due time, with how many clocks span them.
 */
export async function liveWorkingClockYears(tx: Tx): Promise<{ fromYear: number; toYear: number; clocks: number }[]> {
  const year = (field: string) => sql.raw(`extract(year from ((c->>'${field}')::timestamptz at time zone 'UTC') + interval '8 hours')::int`);
  const rows = await rowsOf<{ from_year: number; to_year: number; n: number }>(tx, sql`
    select ${year('startedAt')} as from_year, ${year('dueAt')} as to_year, count(*)::int as n
    from cases, jsonb_array_elements(cases.clocks) c
    where cases.status_category <> 'closed' and c->>'basis' <> 'calendar'
      and c->>'startedAt' is not null and c->>'dueAt' is not null and c->'metAt' = 'null'::jsonb and c->'cancelledAt' = 'null'::jsonb
    group by 1, 2 order by 1, 2`);
  return rows.map((r) => ({ fromYear: Number(r.from_year), toYear: Number(r.to_year), clocks: Number(r.n) }));
}
