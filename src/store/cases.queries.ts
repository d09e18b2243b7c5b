/**
 * Cases and their events. Every list query takes the actor's scope roots; an empty scope yields
 * no rows without touching the table.
 */
import { and, arrayContains, arrayOverlaps, asc, desc, eq, gt, gte, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { CaseState, Rating, Status } from '../domain/case.ts';
import { categoryOf } from '../domain/case.ts';
import type { ChainEvent } from '../domain/hash-chain.ts';
import { rowsOf, type Tx } from './db.ts';
import { clockColumns, type StoredRecord } from './clocks.queries.ts';
import { caseEvents, cases, users } from './schema.ts';

type Row = typeof cases.$inferSelect;
export type CaseRow = Row;

/** The stored personal data, still encrypted. */
export interface SealedCitizen {
  name: string | null;
  phone: string | null;
  phoneIndex: string | null;
}

export function toState(r: Row): CaseState {
  return {
    id: r.id, trackingNo: r.trackingNo, channel: r.channel as CaseState['channel'], type: r.type as CaseState['type'],
    category: r.category, content: r.content, address: r.address, lat: r.lat, lng: r.lng,
    urgency: r.urgency as CaseState['urgency'], groupSize: r.groupSize, amount: r.amount,
    intakeUnitCode: r.intakeUnitCode, leadUnitCode: r.leadUnitCode, coUnitCodes: r.coUnitCodes, scopeUnits: r.scopeUnits,
    status: r.status as Status, anonymous: r.anonymous, reply: r.reply, rating: r.rating as Rating | null,
    mergedInto: r.mergedInto, returnReason: r.returnReason, dispatchedAt: r.dispatchedAt, signedAt: r.signedAt,
    contactedAt: r.contactedAt, firstFeedbackAt: r.firstFeedbackAt, resolvedAt: r.resolvedAt, closedAt: r.closedAt,
    createdAt: r.createdAt, updatedAt: r.updatedAt, petition: r.petition, complex: r.complex,
  };
}

export async function insertCase(tx: Tx, c: CaseState, citizen: SealedCitizen): Promise<void> {
  await tx.insert(cases).values({
    ...c, statusCategory: categoryOf(c.status),
    citizenName: citizen.name, citizenPhone: citizen.phone, citizenPhoneIndex: citizen.phoneIndex,
  });
}

/** Loads a case and locks its row until the transaction ends (events chain per case). */
export async function lockCase(tx: Tx, id: string): Promise<Row | null> {
  const rows = await tx.select().from(cases).where(eq(cases.id, id)).for('update');
  return rows[0] ?? null;
}

export async function getCase(tx: Tx, id: string): Promise<Row | null> {
  const rows = await tx.select().from(cases).where(eq(cases.id, id));
  return rows[0] ?? null;
}

export async function getCaseByTrackingNo(tx: Tx, trackingNo: string): Promise<Row | null> {
  const rows = await tx.select().from(cases).where(eq(cases.trackingNo, trackingNo));
  return rows[0] ?? null;
}

/** Stores the case's new state, chain head and (when given) its recomputed clock record, in one UPDATE. */
export async function updateCase(
  tx: Tx, id: string, patch: Partial<CaseState>, head: { seq: number; hash: string },
  clocks?: Omit<StoredRecord, 'id'>,
): Promise<void> {
  const set: Partial<Row> = { ...patch, eventSeq: head.seq, headHash: head.hash, ...(clocks && clockColumns(clocks)) } as Partial<Row>;
  if (patch.status) set.statusCategory = categoryOf(patch.status);
  await tx.update(cases).set(set).where(eq(cases.id, id));
}

/** An event row: the hashed fields plus its link in the case's chain. */
export interface NewEvent extends Omit<ChainEvent, 'payload'> {
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export async function insertEvent(tx: Tx, e: NewEvent): Promise<void> {
  await tx.insert(caseEvents).values(e);
}

export async function listEvents(tx: Tx, caseId: string) {
  return tx.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq));
}

/** Events with the acting user's display name, for the staff timeline. */
export async function listEventsWithActors(tx: Tx, caseId: string) {
  return tx
    .select({
      seq: caseEvents.seq, at: caseEvents.at, action: caseEvents.action, fromStatus: caseEvents.fromStatus,
      toStatus: caseEvents.toStatus, payload: caseEvents.payload, actorId: caseEvents.actorId, actorRole: caseEvents.actorRole,
      actorUnit: caseEvents.actorUnit, actorName: users.displayName,
    })
    .from(caseEvents)
    .leftJoin(users, sql`${users.id}::text = ${caseEvents.actorId}`)
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.seq));
}

export interface CaseFilter {
  status?: string;
  statusCategory?: string;
  unitCode?: string;
  category?: string;
  channel?: string;
  type?: string;
  from?: Date;
  to?: Date;
  /** Opaque cursor from the previous page: createdAt + id of its last row. */
  after?: { createdAt: Date; id: string };
  /** Cases with a live clock overdue, or due soon (domain/clock-points.ts dueStatus, written as SQL). */
  due?: { kind: 'soon' | 'overdue'; now: Date };
  limit: number;
}

function dueWhere(d: NonNullable<CaseFilter['due']>): SQL {
  const overdue = lte(cases.dueAt, d.now);
  return d.kind === 'overdue' ? overdue : and(lte(cases.dueSoonAt, d.now), gt(cases.dueAt, d.now))!;
}

/** Newest first, keyset-paginated, restricted to the scope roots. */
export async function listCases(tx: Tx, scopeUnits: string[], f: CaseFilter): Promise<Row[]> {
  if (scopeUnits.length === 0) return [];
  const where: (SQL | undefined)[] = [
    arrayOverlaps(cases.scopeUnits, scopeUnits),
    f.status ? eq(cases.status, f.status) : undefined,
    f.statusCategory ? eq(cases.statusCategory, f.statusCategory) : undefined,
    f.unitCode ? arrayContains(cases.scopeUnits, [f.unitCode]) : undefined,
    f.category ? eq(cases.category, f.category) : undefined,
    f.channel ? eq(cases.channel, f.channel) : undefined,
    f.type ? eq(cases.type, f.type) : undefined,
    f.from ? gte(cases.createdAt, f.from) : undefined,
    f.to ? lt(cases.createdAt, f.to) : undefined,
    f.after ? or(lt(cases.createdAt, f.after.createdAt), and(eq(cases.createdAt, f.after.createdAt), lt(cases.id, f.after.id))) : undefined,
    f.due ? and(ne(cases.statusCategory, 'closed'), dueWhere(f.due)) : undefined,
  ];
  return tx.select().from(cases).where(and(...where)).orderBy(desc(cases.createdAt), desc(cases.id)).limit(f.limit);
}

/** Next value of a named counter for one day (tracking numbers). */
export async function nextDailyCounter(tx: Tx, name: string, day: string): Promise<number> {
  const [r] = await rowsOf<{ value: number }>(tx, sql`
    insert into daily_counters (name, day, value) values (${name}, ${day}, 1)
    on conflict (name, day) do update set value = daily_counters.value + 1
    returning value`);
  return Number(r!.value);
}

/** Counts by type and status category within the scope, and the size of group cases. */
export async function caseStats(tx: Tx, scopeUnits: string[]) {
  if (scopeUnits.length === 0) return { rows: [], group: { cases: 0, people: 0, amount: '0' } };
  const scope = arrayOverlaps(cases.scopeUnits, scopeUnits);
  const rows = await tx
    .select({ type: cases.type, statusCategory: cases.statusCategory, n: sql<number>`count(*)::int` })
    .from(cases).where(scope).groupBy(cases.type, cases.statusCategory);
  const [group] = await tx
    .select({
      cases: sql<number>`count(*)::int`,
      people: sql<number>`coalesce(sum(${cases.groupSize}), 0)::int`,
      amount: sql<string>`coalesce(sum(${cases.amount}), 0)::text`,
    })
    .from(cases).where(and(scope, sql`${cases.groupSize} > 1`));
  return { rows, group: group ?? { cases: 0, people: 0, amount: '0' } };
}

/** How many merges deep a chain is followed (a root merged into another root, and so on). */
const MERGE_DEPTH = 8;

/** The case a merged case ends up in: follows merged_into to the first case that is not merged. */
export async function mergeRoot(tx: Tx, id: string): Promise<Row | null> {
  let row = await getCase(tx, id);
  for (let hops = 0; row?.mergedInto && hops < MERGE_DEPTH; hops++) row = await getCase(tx, row.mergedInto);
  return row && !row.mergedInto ? row : null;
}

/**
 * The cases merged into `rootId`, directly or through another merged case, with what their
 * reporters are texted with (tracking number and sealed phone).
 */
export async function mergedInto(tx: Tx, rootId: string): Promise<{ id: string; trackingNo: string; citizenPhone: string | null; scopeUnits: string[] }[]> {
  const rows = await rowsOf<{ id: string; tracking_no: string; citizen_phone: string | null; scope_units: string[] }>(tx, sql`
    with recursive m(id, depth) as (
      select id, 1 from ${cases} where merged_into = ${rootId}
      union all
      select c.id, m.depth + 1 from ${cases} c join m on c.merged_into = m.id where m.depth < ${MERGE_DEPTH}
    )
    select c.id, c.tracking_no, c.citizen_phone, c.scope_units from m join ${cases} c on c.id = m.id order by c.created_at`);
  return rows.map((r) => ({ id: r.id, trackingNo: r.tracking_no, citizenPhone: r.citizen_phone, scopeUnits: r.scope_units }));
}
