/** Intel tables: models, suggestions, corrections, risk flags, similarity signatures. */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from './db.ts';
import { caseFlags, caseSignatures, cases, intelCorrections, intelModels, intelSuggestions, users } from './schema.ts';

export async function activeModelId(tx: Tx, kind: string): Promise<number | null> {
  const [r] = await tx.select({ id: intelModels.id }).from(intelModels)
    .where(and(eq(intelModels.kind, kind), eq(intelModels.active, true))).orderBy(desc(intelModels.id)).limit(1);
  return r?.id ?? null;
}

export async function getModel(tx: Tx, id: number) {
  const [r] = await tx.select({ id: intelModels.id, kind: intelModels.kind, model: intelModels.model, createdAt: intelModels.createdAt })
    .from(intelModels).where(eq(intelModels.id, id));
  return r ?? null;
}

export async function getModelTraining(tx: Tx, id: number) {
  const [r] = await tx.select({ training: intelModels.training, metrics: intelModels.metrics }).from(intelModels).where(eq(intelModels.id, id));
  return r ?? null;
}

/** Stores a model and makes it the only active one of its kind. */
export async function insertModel(tx: Tx, m: typeof intelModels.$inferInsert): Promise<number> {
  await tx.update(intelModels).set({ active: false }).where(eq(intelModels.kind, m.kind));
  const [r] = await tx.insert(intelModels).values({ ...m, active: true }).returning({ id: intelModels.id });
  return r!.id;
}

export async function listModels(tx: Tx) {
  return tx.select({ id: intelModels.id, kind: intelModels.kind, createdAt: intelModels.createdAt, labels: intelModels.labels, metrics: intelModels.metrics, active: intelModels.active })
    .from(intelModels).orderBy(desc(intelModels.id));
}

export async function insertSuggestions(tx: Tx, s: typeof intelSuggestions.$inferInsert) {
  await tx.insert(intelSuggestions).values(s).onConflictDoNothing();
}

export async function getSuggestions(tx: Tx, caseId: string) {
  const [r] = await tx.select().from(intelSuggestions).where(eq(intelSuggestions.caseId, caseId));
  return r ?? null;
}

export async function insertCorrection(tx: Tx, c: typeof intelCorrections.$inferInsert) {
  await tx.insert(intelCorrections).values(c);
}

/** The latest operator-confirmed category of each corrected case, with its text. */
export async function correctedSamples(tx: Tx, kind: string): Promise<{ text: string; label: string }[]> {
  return rowsOf<{ text: string; label: string }>(tx, sql`
    select distinct on (k.case_id) c.content as text, k.to_value as label
    from ${intelCorrections} k join ${cases} c on c.id = k.case_id
    where k.kind = ${kind} order by k.case_id, k.id desc`);
}

export async function insertFlags(tx: Tx, rows: (typeof caseFlags.$inferInsert)[]) {
  if (rows.length) await tx.insert(caseFlags).values(rows).onConflictDoNothing();
}

export async function listFlags(tx: Tx, caseId: string) {
  return tx.select().from(caseFlags).where(eq(caseFlags.caseId, caseId)).orderBy(caseFlags.raisedAt, caseFlags.flag);
}

/** Clears a raised flag; returns false when there is no such uncleared flag. */
export async function clearFlag(tx: Tx, caseId: string, flag: string, by: string, at: Date, reason: string): Promise<boolean> {
  const r = await tx.update(caseFlags).set({ clearedAt: at, clearedBy: by, clearReason: reason })
    .where(and(eq(caseFlags.caseId, caseId), eq(caseFlags.flag, flag), isNull(caseFlags.clearedAt))).returning({ flag: caseFlags.flag });
  return r.length > 0;
}

/** Active leader accounts of the given units. */
export async function leadersOf(tx: Tx, unitCodes: string[]) {
  if (unitCodes.length === 0) return [];
  return tx.select({ userId: users.id, email: users.email, unitCode: users.unitCode }).from(users)
    .where(and(inArray(users.unitCode, unitCodes), eq(users.role, 'leader'), eq(users.disabled, false)));
}

export async function insertSignature(tx: Tx, s: typeof caseSignatures.$inferInsert) {
  await tx.insert(caseSignatures).values(s).onConflictDoNothing();
}

/**
 * Stored signatures sharing at least one LSH key with `keyGroups` (one group of band keys per
 * area and time bucket), created since `since`, at most `limit`. Each group is its own branch of
 * a UNION ALL: the planner guesses that `&&` with a long array matches most rows and would scan
 * the table, while a 16-key branch gets a bitmap scan of the GIN index. The date is checked on
 * the few rows returned (the keys already carry the time bucket).
 */
export async function signatureCandidates(tx: Tx, keyGroups: number[][], since: Date, limit = 60) {
  if (keyGroups.length === 0) return [];
  const branches = keyGroups.map((keys) => sql`(select case_id, area_code, created_at, minhash from ${caseSignatures}
    where bands && ${sql.raw(`'{${keys.map((k) => k | 0).join(',')}}'::int4[]`)})`);
  const rows = await rowsOf<{ case_id: string; area_code: string; created_at: Date | string; minhash: number[] }>(tx,
    sql`with hits as materialized (${sql.join(branches, sql` union all `)}) select * from hits limit ${limit}`);
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.case_id) && (seen.add(r.case_id), true))
    .map((r) => ({ caseId: r.case_id, areaCode: r.area_code, createdAt: new Date(r.created_at), minhash: r.minhash }))
    .filter((r) => r.createdAt >= since);
}

export async function casesBrief(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return tx.select({ id: cases.id, trackingNo: cases.trackingNo, status: cases.status, statusCategory: cases.statusCategory, mergedInto: cases.mergedInto, createdAt: cases.createdAt, category: cases.category, scopeUnits: cases.scopeUnits })
    .from(cases).where(inArray(cases.id, ids));
}

/** What the nightly retraining decides on: when the active model of a kind was made, and the latest correction of that kind. */
export async function retrainFacts(tx: Tx, kind: string): Promise<{ modelAt: Date | null; lastCorrectionAt: Date | null }> {
  const [m] = await tx.select({ at: intelModels.createdAt }).from(intelModels)
    .where(and(eq(intelModels.kind, kind), eq(intelModels.active, true))).orderBy(desc(intelModels.id)).limit(1);
  const [k] = await tx.select({ at: intelCorrections.at }).from(intelCorrections)
    .where(eq(intelCorrections.kind, kind)).orderBy(desc(intelCorrections.id)).limit(1);
  return { modelAt: m?.at ?? null, lastCorrectionAt: k?.at ?? null };
}
