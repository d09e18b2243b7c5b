/**
 * What the platform understands of a new request at intake (src/intel): where it is (address →
 * unit), whether it is risky (flags raise urgency and alert leaders at once), which category it
 * probably is (the active classifier's top 3) and which open or recent cases are probably the
 * same matter (MinHash LSH). submit-request.ts calls `locateIntake` and `assessIntake` before its
 * transaction and `recordIntakeIntel` inside it, after the case is written.
 */
import type { Actor } from '../../domain/actor.ts';
import type { CaseState } from '../../domain/case.ts';
import type { Unit } from '../../domain/org.ts';
import { HIGH_CONFIDENCE, resolveAddress, type ResolvedAddress } from '../../intel/address.ts';
import { predict, type Prediction, type TextModel } from '../../intel/classifier.ts';
import { assessRisk, raisedUrgency, type RaisedFlag } from '../../intel/risk.ts';
import { bucketOf, bucketsBetween, keyArea, lshKeys, oldestProbedKey, packMinhash, probeKeys, rankCandidates, signature } from '../../intel/similar.ts';
import type { Db, Tx } from '../../store/db.ts';
import {
  activeModelId, getModel, insertFlags, insertSignature, insertSuggestions, leadersOf, pruneLshKeys, signatureCandidates,
} from '../../store/intel.queries.ts';
import { childCodes, getUnit } from '../../store/units.queries.ts';
import type { Deps } from '../deps.ts';
import type { RouteSuggestion } from '../../domain/routing.ts';
import { routeRequest } from './route.ts';
import { dutyMessages } from '../notify/on-duty.ts';
import { enqueue } from '../outbox.ts';
import type { SubmitInput } from '../submit-request.ts';

/** How far back "recent" reaches for duplicates. */
export const DUPLICATE_WINDOW_DAYS = 30;

export interface SimilarCase {
  caseId: string;
  trackingNo: string;
  status: string;
  similarity: number;
  createdAt: Date;
}

export interface IntakeSuggestions {
  categories: Prediction[];
  location: ResolvedAddress | null;
  similar: SimilarCase[];
  flags: { flag: string; label: string; words: string[] }[];
  /** Which unit should handle it (app/intel/route.ts); null when the routing rules failed. */
  route: RouteSuggestion | null;
}

export interface Located {
  unit: Unit;
  location: ResolvedAddress | null;
}

/**
 * Where the request is: its address (else its text) resolved to a unit. When the request names
 * no unit and fell to the city center, a confidently resolved unit becomes the intake unit;
 * otherwise the resolution is only a suggestion.
 */
export async function locateIntake(tx: Tx, input: Pick<SubmitInput, 'address' | 'content' | 'unitCode'>, unit: Unit): Promise<Located> {
  const location = (input.address ? resolveAddress(input.address) : null) ?? resolveAddress(input.content);
  if (!location || input.unitCode || unit.kind !== 'city' || location.confidence < HIGH_CONFIDENCE) return { unit, location };
  const resolved = await getUnit(tx, location.unitCode);
  return { unit: resolved ?? unit, location };
}

/** Risk flags of a request and the urgency they raise it to. */
export function assessIntake(input: Pick<SubmitInput, 'content' | 'groupSize' | 'urgency'>) {
  const flags = assessRisk(input.content, { groupSize: input.groupSize });
  return { flags, urgency: raisedUrgency(input.urgency, flags) };
}

const modelCache = new WeakMap<Db['orm'], Map<string, { id: number; model: TextModel }>>();

/** The active model of a kind, parsed once per database, kind and model id. */
export async function activeModel(deps: Pick<Deps, 'db'>, tx: Tx, kind = 'category'): Promise<{ id: number; model: TextModel } | null> {
  const id = await activeModelId(tx, kind);
  if (id === null) return null;
  let cache = modelCache.get(deps.db.orm);
  if (!cache) modelCache.set(deps.db.orm, (cache = new Map()));
  const hit = cache.get(kind);
  if (hit?.id === id) return hit;
  const row = await getModel(tx, id);
  if (!row) return null;
  const entry = { id, model: row.model as TextModel };
  cache.set(kind, entry);
  return entry;
}

/**
 * The key areas a look-up in `areaCode` probes: its own street (or unit) and every unit above it;
 * a district also probes its streets, the city its districts (a request placed only roughly
 * still meets the precisely placed ones one level down).
 */
export async function probeAreas(tx: Tx, areaCode: string): Promise<string[]> {
  const own = keyArea(areaCode);
  const up = [own.slice(0, 6), own.slice(0, 4)].filter((a) => /^\d+$/.test(a) && a.length < own.length);
  const down = /^\d{4}$|^\d{6}$/.test(own) ? await childCodes(tx, own) : [];
  return [...new Set([own, ...up, ...down])];
}

/** Open or recent cases that are probably the same matter as `text` in `areaCode` (most similar first). */
export async function findSimilar(tx: Tx, text: string, areaCode: string, now: Date, excludeId?: string, k = 5): Promise<SimilarCase[]> {
  const sig = signature(text);
  const since = new Date(+now - DUPLICATE_WINDOW_DAYS * 86_400_000);
  const keys = probeKeys(sig.bands, await probeAreas(tx, areaCode), bucketsBetween(since, now));
  // The query leaves out merged cases (the root they point at is the one to show) and withdrawn ones.
  const candidates = await signatureCandidates(tx, { keys, since, areaCode, excludeId });
  return rankCandidates(sig, areaCode, candidates, undefined, k)
    .map((r) => ({ caseId: r.caseId, trackingNo: r.trackingNo, status: r.status, similarity: r.similarity, createdAt: r.createdAt }));
}

/**
 * Drops the LSH keys no look-up reads any more (older than the duplicate window's first bucket),
 * in batches of short transactions. The signatures stay (common problems read them). Returns how
 * many keys went.
 */
export async function pruneSimilarKeys(deps: Pick<Deps, 'db'>, now: Date, batch = 20_000): Promise<number> {
  const below = oldestProbedKey(now, DUPLICATE_WINDOW_DAYS);
  let total = 0;
  for (;;) {
    const n = await pruneLshKeys(deps.db.orm, below, batch);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * Inside the intake transaction, after the case row exists: suggestions, the signature, the
 * flags and the leaders' alerts. `actor` only matters for nothing yet; kept for symmetry.
 */
export async function recordIntakeIntel(
  tx: Tx, deps: Deps, c: CaseState, intel: { location: ResolvedAddress | null; flags: RaisedFlag[] }, _actor?: Actor | null,
): Promise<IntakeSuggestions> {
  const now = c.createdAt;
  const area = intel.location?.unitCode ?? c.intakeUnitCode;
  const active = await activeModel(deps, tx);
  const categories = active ? predict(active.model, c.content, 3).map((p) => ({ label: p.label, confidence: Math.round(p.confidence * 1000) / 1000 })) : [];
  const similar = await findSimilar(tx, c.content, area, now, c.id);
  const sig = signature(c.content);
  await insertSignature(tx, { caseId: c.id, areaCode: area, createdAt: now, minhash: packMinhash(sig.minhash) }, lshKeys(sig.bands, keyArea(area), bucketOf(now)));
  const flags = intel.flags.map((f) => ({ flag: f.flag, label: f.label, words: f.words }));
  const route = await intakeRoute(tx, deps, c, intel.location, categories);
  await insertSuggestions(tx, { caseId: c.id, modelId: active?.id ?? null, categories, location: intel.location, similar, route, createdAt: now });
  if (flags.length) {
    await insertFlags(tx, flags.map((f) => ({ caseId: c.id, flag: f.flag, words: f.words, raisedAt: now })));
    await alertLeaders(tx, deps, c, flags, now);
  }
  return { categories, location: intel.location, similar, flags, route };
}

/**
 * The routing suggestion; a failure (rules without a usable fallback) is logged and leaves the
 * case without one. It runs under a savepoint, so a failed query does not abort the intake.
 */
async function intakeRoute(tx: Tx, deps: Deps, c: CaseState, location: ResolvedAddress | null, categories: Prediction[]) {
  try {
    return await tx.transaction((sp) => routeRequest(sp, deps, {
      text: c.content, channel: c.channel, type: c.type, category: c.category, categories, location, intakeUnitCode: c.intakeUnitCode,
    }));
  } catch (err) {
    deps.log.error({ err, caseId: c.id }, 'routing suggestion failed');
    return null;
  }
}

/** In-app (and e-mail) alerts to the leaders of the responsible unit and every unit above it. */
async function alertLeaders(tx: Tx, deps: Deps, c: CaseState, flags: IntakeSuggestions['flags'], now: Date) {
  const unit = await getUnit(tx, c.leadUnitCode ?? c.intakeUnitCode);
  const leaders = await leadersOf(tx, unit?.ancestors ?? [c.intakeUnitCode]);
  const people = [...new Map(leaders.map((l) => [l.userId, l])).values()];
  const body = flags.map((f) => `${f.label}（${f.words.join('、')}）`).join('；');
  const messages = dutyMessages(people, {
    key: `flag:${c.id}:${flags.map((f) => f.flag).join('+')}`, kind: 'risk_flag', caseId: c.id,
    title: `风险诉求 ${c.trackingNo}：${flags.map((f) => f.label).join('、')}`, body,
  }, !!deps.config.smtpUrl);
  await enqueue(tx, now, messages);
}
