/**
 * Similar-request signatures (重复诉求): MinHash over the character bigrams of a request's text,
 * banded for locality-sensitive hashing (LSH). Two texts whose bigram sets have Jaccard
 * similarity s share at least one band key with probability 1 − (1 − s^R)^B: with B = 16
 * bands of R = 2 values that is 0.48 at s = 0.2, 0.78 at s = 0.3, 0.99 at s = 0.5.
 *
 * Each band key, scoped to a place and a fortnight (`lshKeys`), is a row of a narrow key table
 * with a B-tree primary key, so "which stored cases share a band with this text, and how many
 * bands" is one index-only scan on plain PostgreSQL and PGlite alike (no extension: pg_trgm
 * would need loading on PGlite, and a trigram scan is not bounded by a few ms at 1 M rows).
 * The candidates sharing the most bands are then ranked here by estimated Jaccard (matching
 * MinHash values).
 *
 * Bigrams made of very common request boilerplate (您好, 反映, 问题, 希望…) are left out, so that
 * signatures are about the matter, not the politeness.
 */
import { isWordChar, normalize } from './normalize.ts';

export const MINHASH_SIZE = 32;
export const BANDS = 16;
export const ROWS_PER_BAND = MINHASH_SIZE / BANDS;

/** Boilerplate bigrams left out of signatures. */
const STOP_BIGRAMS = new Set([
  '您好', '你好', '反映', '问题', '希望', '解决', '相关', '部门', '处理', '市民', '来电', '来信', '诉求', '请求', '要求', '谢谢',
  '感谢', '情况', '现在', '目前', '一直', '已经', '没有', '我们', '本人', '请问', '咨询', '投诉', '举报', '建议', '尽快', '有关',
]);

const SEEDS = Array.from({ length: MINHASH_SIZE }, (_, i) => Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b);

/** Murmur3's 32-bit finaliser: a good avalanche for cheap. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Character bigrams (as 32-bit codes) of runs of letters, digits and CJK in the normalised, lower-cased text. */
export function shingles(text: string): Set<number> {
  const t = normalize(text).toLowerCase();
  const out = new Set<number>();
  let prev = -1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!isWordChar(c)) {
      prev = -1;
      continue;
    }
    if (prev >= 0 && !STOP_BIGRAMS.has(t[i - 1]! + t[i]!)) out.add(((prev << 16) | c) | 0);
    prev = c;
  }
  // A one-character text still needs a signature.
  if (out.size === 0 && t.length) out.add(t.charCodeAt(0));
  return out;
}

export interface Signature {
  minhash: number[];
  /** One int4 key per band, band index mixed in, so equal values in different bands differ. */
  bands: number[];
}

/** The MinHash signature and its LSH band keys; an empty text gets an all-zero signature. */
export function signature(text: string): Signature {
  const sh = shingles(text);
  const minhash = new Array<number>(MINHASH_SIZE);
  for (let k = 0; k < MINHASH_SIZE; k++) {
    const seed = SEEDS[k]!;
    let min = 0x7fffffff;
    for (const s of sh) {
      const h = mix(s ^ seed) & 0x7fffffff;
      if (h < min) min = h;
    }
    minhash[k] = sh.size ? min : 0;
  }
  const bands = new Array<number>(BANDS);
  for (let b = 0; b < BANDS; b++) {
    let h = Math.imul(b + 1, 0x27d4eb2f);
    for (let r = 0; r < ROWS_PER_BAND; r++) h = mix(h ^ minhash[b * ROWS_PER_BAND + r]!);
    bands[b] = h;
  }
  return { minhash, bands };
}

/** A MinHash as stored: 32 big-endian int32 (as PostgreSQL's int4send writes them), 128 bytes. */
export function packMinhash(minhash: readonly number[]): Uint8Array {
  const out = new Uint8Array(minhash.length * 4);
  const view = new DataView(out.buffer);
  minhash.forEach((v, i) => view.setInt32(i * 4, v));
  return out;
}

export function unpackMinhash(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength >> 2 }, (_, i) => view.getInt32(i * 4));
}

/** Estimated Jaccard similarity of two texts' bigram sets: the share of equal MinHash values. */
export function estimatedSimilarity(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

/** Exact Jaccard similarity of two texts' bigram sets (tests and tuning). */
export function jaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  let inter = 0;
  for (const s of x) if (y.has(s)) inter++;
  return inter / (x.size + y.size - inter || 1);
}

/**
 * Whether two areas (unit codes of the org tree, hierarchical: 4403 ⊃ 440303 ⊃ 440303001 …) may be
 * the same place: equal, or one contains the other. The city contains everything.
 */
export function sameArea(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export interface DuplicateCandidate {
  caseId: string;
  areaCode: string;
  createdAt: Date;
  minhash: number[];
}

export interface ScoredCandidate extends DuplicateCandidate {
  similarity: number;
}

/** Default threshold of estimated similarity for "probably the same matter". */
export const SIMILAR_THRESHOLD = 0.3;

/** Ranks LSH candidates: same area only, similarity at least `threshold`, most similar first. */
export function rankCandidates<C extends DuplicateCandidate>(sig: Signature, areaCode: string, candidates: readonly C[], threshold = SIMILAR_THRESHOLD, k = 5): (C & ScoredCandidate)[] {
  return candidates
    .filter((c) => sameArea(c.areaCode, areaCode))
    .map((c) => ({ ...c, similarity: estimatedSimilarity(sig.minhash, c.minhash) }))
    .filter((c) => c.similarity >= threshold)
    .sort((a, b) => b.similarity - a.similarity || +b.createdAt - +a.createdAt)
    .slice(0, k);
}

/** Days per time bucket of the LSH keys; a look-up reads the buckets its window overlaps. */
export const BUCKET_DAYS = 15;

export const bucketOf = (at: Date): number => Math.floor(at.getTime() / (BUCKET_DAYS * 86_400_000));

/** The buckets a window from `since` to `now` overlaps, newest first. */
export function bucketsBetween(since: Date, now: Date): number[] {
  const out: number[] = [];
  for (let b = bucketOf(now); b >= bucketOf(since); b--) out.push(b);
  return out;
}

/**
 * The area an LSH key is scoped to: the street for a street, community or site (Shenzhen codes:
 * 9-digit street prefix), else the unit itself (district, city, bureau). Scoping keys by area
 * and time keeps the cases behind each key to the same matter in one street in one fortnight,
 * which is what bounds the look-up at a million cases (the same complaint about another street
 * is not a duplicate anyway).
 */
export function keyArea(areaCode: string): string {
  return /^\d{9}/.test(areaCode) ? areaCode.slice(0, 9) : areaCode;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The stored keys of a case (int8, exact in a JS number): the time bucket in the high 32 bits,
 * each band key scoped to (key area, bucket) in the low 32 bits (unsigned). The bucket leading
 * keeps a fortnight's keys together in the B-tree, so look-ups (which probe the last few
 * buckets only) read the recent end of the index, and old keys can go by a key range.
 */
export function lshKeys(bands: readonly number[], area: string, bucket: number): number[] {
  const scope = mix(hashString(area) ^ Math.imul(bucket, 0x9e3779b1));
  return bands.map((b, i) => bucket * 2 ** 32 + (mix(b ^ scope ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0));
}

/** The smallest key a look-up over the last `windowDays` before `now` probes: older keys serve no look-up. */
export function oldestProbedKey(now: Date, windowDays: number): number {
  return bucketOf(new Date(+now - windowDays * 86_400_000)) * 2 ** 32;
}

/** The keys a look-up probes: every (area, bucket) pair of its key areas and window. */
export function probeKeys(bands: readonly number[], areas: readonly string[], buckets: readonly number[]): number[] {
  return [...new Set(areas.flatMap((a) => buckets.flatMap((b) => lshKeys(bands, a, b))))];
}
