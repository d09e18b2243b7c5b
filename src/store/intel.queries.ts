/** Intel tables: models, suggestions, corrections, risk flags, similarity signatures. */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { unpackMinhash } from '../intel/similar.ts';
import { rowsOf, type Tx } from './db.ts';
import { caseFlags, caseLshKeys, caseSignatures, cases, intelCorrections, intelModels, intelSuggestions, users } from './schema.ts';

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

/** Stores a case's signature and its LSH keys (similar.ts `lshKeys`). */
export async function insertSignature(tx: Tx, s: typeof caseSignatures.$inferInsert, keys: readonly number[]) {
  await tx.insert(caseSignatures).values(s).onConflictDoNothing();
  if (keys.length) await tx.insert(caseLshKeys).values(keys.map((key) => ({ key, caseId: s.caseId }))).onConflictDoNothing();
}

/** Deletes up to `batch` LSH keys below `belowKey`, in key order; returns how many went. */
export async function pruneLshKeys(tx: Tx, belowKey: number, batch: number): Promise<number> {
  const [r] = await rowsOf<{ n: number }>(tx, sql`with gone as (
      delete from ${caseLshKeys} where (key, case_id) in (
        select key, case_id from ${caseLshKeys} where key < ${belowKey} order by key limit ${batch})
      returning 1)
    select count(*)::int as n from gone`);
  return Number(r?.n ?? 0);
}

export interface SignatureProbe {
  /** The LSH keys to look for (similar.ts `probeKeys`). */
  keys: readonly number[];
  /** Only cases created since. */
  since: Date;
  /** The request's area: only cases in the same area (similar.ts `sameArea`: one code starts with the other). */
  areaCode: string;
  /** Left out (the request's own case). */
  excludeId?: string;
  /**
   * Cases read at most (default 200): those sharing the most keys (then the newest fortnight)
   * first. At 1 M synthetic cases, reading 200 gave the same top 5 as reading all in 99 % of look-ups.
   */
  scan?: number;
  /** Candidates returned at most, those sharing the most keys (then the newest) first. */
  limit?: number;
}

/**
 * The query behind `signatureCandidates`. The cases sharing keys are counted on the key index
 * alone; the `scan` sharing the most are fetched by primary key (their ids go in as an array, so
 * the planner cannot prefer walking the whole window by date) and kept if in the window and the
 * area; merged and withdrawn cases are never shown. The keys are inlined (integers only) so each
 * look-up is planned for its own keys.
 */
export function signatureCandidatesSql(p: SignatureProbe): SQL {
  const keys = p.keys.filter((k) => Number.isSafeInteger(k));
  return sql`with shared as materialized (
      select case_id, count(*)::int as n from ${caseLshKeys}
      where key = any(${sql.raw(`'{${keys.join(',')}}'::int8[]`)})
      group by case_id order by n desc, max(key) desc limit ${p.scan ?? 200}),
    top as (
      select s.case_id, s.area_code, s.created_at, s.minhash, shared.n, c.tracking_no, c.status
      from ${caseSignatures} s join shared on shared.case_id = s.case_id join ${cases} c on c.id = s.case_id
      where s.case_id = any(array(select case_id from shared))
        and s.created_at >= ${p.since.toISOString()}::timestamptz
        and (starts_with(s.area_code, ${p.areaCode}) or starts_with(${p.areaCode}, s.area_code))
        -- Before the limit: many merged copies of a busy matter must not crowd out their root.
        and c.status not in ('merged', 'withdrawn')
        ${p.excludeId ? sql`and s.case_id <> ${p.excludeId}::uuid` : sql``}
      order by shared.n desc, s.created_at desc, s.case_id limit ${p.limit ?? 100})
    select case_id, area_code, created_at, minhash, n as shared, tracking_no, status from top`;
}

export interface SignatureCandidate {
  caseId: string;
  areaCode: string;
  createdAt: Date;
  minhash: number[];
  /** How many LSH keys it shares with the probe. */
  shared: number;
  trackingNo: string;
  status: string;
}

/** Stored cases sharing LSH keys with a request, in its area and window, with what a suggestion shows. */
export async function signatureCandidates(tx: Tx, p: SignatureProbe): Promise<SignatureCandidate[]> {
  if (p.keys.length === 0) return [];
  const rows = await rowsOf<{ case_id: string; area_code: string; created_at: Date | string; minhash: Uint8Array; shared: number; tracking_no: string; status: string }>(
    tx, signatureCandidatesSql(p));
  return rows.map((r) => ({
    caseId: r.case_id, areaCode: r.area_code, createdAt: new Date(r.created_at), minhash: unpackMinhash(r.minhash), shared: Number(r.shared),
    trackingNo: r.tracking_no, status: r.status,
  }));
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
