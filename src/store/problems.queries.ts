/**
 * Common problems: the cases a run clusters, the stored problems and their cases. List queries
 * take the actor's scope roots; an empty scope yields no rows.
 */
import { and, arrayOverlaps, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { ProblemStatus } from '../domain/problem.ts';
import { rowsOf, type Tx } from './db.ts';
import { cases, problemCases, problems } from './schema.ts';
import { ADVISORY_LOCKS } from './advisory-locks.ts';

export type ProblemRow = typeof problems.$inferSelect;

const textArray = (xs: readonly string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/** Statuses whose cases are not requests of their own: merged into another, withdrawn, not accepted. */
const NOT_COUNTED = ['merged', 'withdrawn', 'not_accepted'];

export interface WindowCase {
  id: string;
  category: string;
  /**
   * The resolved location (case_signatures) when it lies inside the intake unit, or the intake
   * unit is the city or a bureau (the text is then all there is); else the intake unit: a street
   * that took the request in is not overruled by a place name its text happens to share with
   * another district.
   */
  areaCode: string;
  createdAt: Date;
  text: string;
}

/**
 * Categorised cases created in [from, to) that count as requests of their own, with where they
 * are; `roots` restricts them to cases visible under those units ('all': every case).
 */
export async function windowCases(tx: Tx, roots: readonly string[] | 'all', from: Date, to: Date): Promise<WindowCase[]> {
  if (roots !== 'all' && roots.length === 0) return [];
  const scope = roots === 'all' ? sql`true` : sql`c.scope_units && ${textArray(roots)}`;
  const rows = await rowsOf<{ id: string; category: string; area: string; created_at: Date | string; content: string }>(tx, sql`
    select c.id, c.category, c.created_at, c.content,
      case when s.area_code is not null and (starts_with(s.area_code, c.intake_unit_code) or c.intake_unit_code !~ '^[0-9]{6}')
        then s.area_code else c.intake_unit_code end as area
    from ${cases} c left join case_signatures s on s.case_id = c.id
    where c.created_at >= ${from.toISOString()}::timestamptz and c.created_at < ${to.toISOString()}::timestamptz
      and c.category is not null and c.merged_into is null and c.status <> all(${textArray(NOT_COUNTED)}) and ${scope}`);
  return rows.map((r) => ({ id: r.id, category: r.category, areaCode: r.area, createdAt: new Date(r.created_at), text: r.content }));
}

export interface KnownProblemRow {
  id: string;
  status: ProblemStatus;
  category: string;
  unitCode: string;
  profile: Record<string, number>;
  caseIds: string[];
}

/** Problems of the given categories in the given units, with their cases created since `since`. */
export async function knownProblems(tx: Tx, unitCodes: readonly string[], since: Date): Promise<KnownProblemRow[]> {
  if (unitCodes.length === 0) return [];
  const rows = await rowsOf<{ id: string; status: string; category: string; unit_code: string; profile: Record<string, number>; case_ids: string[] | null }>(tx, sql`
    select p.id, p.status, p.category, p.unit_code, p.profile,
      (select array_agg(pc.case_id::text order by pc.case_id) from ${problemCases} pc join ${cases} c on c.id = pc.case_id
        where pc.problem_id = p.id and c.created_at >= ${since.toISOString()}::timestamptz) as case_ids
    from ${problems} p where p.unit_code = any(${textArray(unitCodes)})
    order by p.proposed_at, p.id`);
  return rows.map((r) => ({ id: r.id, status: r.status as ProblemStatus, category: r.category, unitCode: r.unit_code, profile: r.profile, caseIds: r.case_ids ?? [] }));
}

export async function insertProblem(tx: Tx, p: typeof problems.$inferInsert): Promise<string> {
  const [r] = await tx.insert(problems).values(p).returning({ id: problems.id });
  return r!.id;
}

export async function updateProblem(tx: Tx, id: string, set: Partial<typeof problems.$inferInsert>): Promise<void> {
  await tx.update(problems).set(set).where(eq(problems.id, id));
}

/** Appends one entry to a problem's history and sets columns, in one UPDATE. */
export async function recordProblemChange(tx: Tx, id: string, entry: Record<string, unknown>, set: Partial<typeof problems.$inferInsert>): Promise<void> {
  await tx.update(problems)
    .set({ ...set, history: sql`${problems.history} || ${JSON.stringify([entry])}::jsonb` })
    .where(eq(problems.id, id));
}

/** Links cases to a problem; returns how many were new. */
export async function linkCases(tx: Tx, problemId: string, caseIds: readonly string[], at: Date, via: 'proposal' | 'match'): Promise<number> {
  if (caseIds.length === 0) return 0;
  const rows = await tx.insert(problemCases).values(caseIds.map((caseId) => ({ problemId, caseId, addedAt: at, via })))
    .onConflictDoNothing().returning({ caseId: problemCases.caseId });
  return rows.length;
}

/** Loads a problem and locks its row until the transaction ends. */
export async function lockProblem(tx: Tx, id: string): Promise<ProblemRow | null> {
  const rows = await tx.select().from(problems).where(eq(problems.id, id)).for('update');
  return rows[0] ?? null;
}

export async function getProblem(tx: Tx, id: string): Promise<ProblemRow | null> {
  const rows = await tx.select().from(problems).where(eq(problems.id, id));
  return rows[0] ?? null;
}

export interface ProblemFilter {
  statuses?: readonly ProblemStatus[];
  category?: string;
  /** Within this unit's subtree. */
  unitCode?: string;
  limit: number;
  offset: number;
}

export type ProblemListRow = ProblemRow & { caseCount: number; firstSeenAt: Date | null; lastSeenAt: Date | null };

// Qualified by hand: in a one-table select drizzle writes `${problems.id}` as a bare "id", which the subquery would take for c.id.
const counts = sql`(select count(*)::int from ${problemCases} pc where pc.problem_id = problems.id)`;
const seen = (fn: 'min' | 'max') =>
  sql`(select ${sql.raw(fn)}(c.created_at) from ${problemCases} pc join ${cases} c on c.id = pc.case_id where pc.problem_id = problems.id)`;

/** A page of the problems under `roots`, the most recently seen first, with their case counts. */
export async function listProblems(tx: Tx, roots: readonly string[], f: ProblemFilter): Promise<{ rows: ProblemListRow[]; total: number }> {
  if (roots.length === 0) return { rows: [], total: 0 };
  const where: SQL[] = [arrayOverlaps(problems.scopeUnits, [...roots])];
  if (f.statuses?.length) where.push(inArray(problems.status, [...f.statuses]));
  if (f.category) where.push(eq(problems.category, f.category));
  if (f.unitCode) where.push(arrayOverlaps(problems.scopeUnits, [f.unitCode]));
  const rows = await tx.select({ p: problems, caseCount: counts.mapWith(Number), first: seen('min'), last: seen('max') })
    .from(problems).where(and(...where))
    .orderBy(desc(seen('max')), asc(problems.id)).limit(f.limit).offset(f.offset);
  const [total] = await tx.select({ n: sql<number>`count(*)::int` }).from(problems).where(and(...where));
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    rows: rows.map((r) => ({ ...r.p, caseCount: r.caseCount, firstSeenAt: date(r.first), lastSeenAt: date(r.last) })),
    total: Number(total?.n ?? 0),
  };
}

/** Creation times of a problem's cases (for the figures; counts, no content). */
export async function problemCaseTimes(tx: Tx, problemId: string): Promise<Date[]> {
  const rows = await tx.select({ at: cases.createdAt }).from(problemCases)
    .innerJoin(cases, eq(cases.id, problemCases.caseId)).where(eq(problemCases.problemId, problemId)).orderBy(asc(cases.createdAt));
  return rows.map((r) => r.at);
}

/** The problem's cases visible under `roots`, newest first, at most `limit`. */
export async function problemCasesVisible(tx: Tx, problemId: string, roots: readonly string[], limit: number) {
  if (roots.length === 0) return [];
  return tx.select({
    id: cases.id, trackingNo: cases.trackingNo, status: cases.status, category: cases.category, content: cases.content,
    createdAt: cases.createdAt, addedAt: problemCases.addedAt, via: problemCases.via,
  }).from(problemCases).innerJoin(cases, eq(cases.id, problemCases.caseId))
    .where(and(eq(problemCases.problemId, problemId), arrayOverlaps(cases.scopeUnits, [...roots])))
    .orderBy(desc(cases.createdAt), asc(cases.id)).limit(limit);
}

/** Serialises proposal runs' writes until the transaction ends. */
export async function lockProposals(tx: Tx): Promise<void> {
  await rowsOf(tx, sql`select pg_advisory_xact_lock(${ADVISORY_LOCKS.problems})`);
}
