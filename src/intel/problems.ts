/**
 * Common problems (共性问题): groups of requests of the same category in the same street whose
 * texts say the same thing, over weeks. Pure: no clock, no database.
 *
 * **Features.** A text is the set of its character bigrams (similar.ts `shingles`: boilerplate
 * such as 您好/反映/希望 left out) minus the bigrams of the names of its street and the units above
 * it, which every case of the street shares. Bigrams rather than jieba words, because jieba cuts
 * one phrase differently in different sentences (田寮路路灯 → 田寮/路路/灯不亮, 田寮路的路灯 →
 * 田寮/路/路灯). Within a (category, street) group a bigram weighs its inverse document frequency
 * in the category over the window, `ln(1 + N / df)` — what every request of the category says
 * (路灯, 不亮) weighs little — times its lift, how much more often the street's cases have it than
 * the category's other cases (at least 1, at most 5): what is particular to the street (田寮, 灯杆)
 * weighs much, which is what a local problem is made of. A bigram that no other case of the group
 * has (nor a known problem's profile) cannot make two cases similar: it only counts in the case's
 * length, at a quarter of its weight — in full, such bigrams (mostly word boundaries like 亮已)
 * would drown short texts; not at all, a text whose only shared bigram is 路灯 would look like
 * every street-light complaint.
 *
 * **Clusters.** Per (category, street), cases are taken oldest first (then by id: deterministic);
 * each joins the cluster whose centroid (sum of its members' unit vectors) is closest by cosine,
 * if that reaches `threshold`, else starts a cluster; then up to three passes move each case to
 * the cluster that has become closest (its own centroid without it), or out on its own when none
 * is close enough, until nothing moves. Known problems come first: the cases already linked to one
 * join it whatever their score, and when fewer than `minCases` of them are in the window (after a
 * fix, typically) its stored profile (weighing as three cases) stands in for them. So a re-run
 * does not propose what is already proposed, and later cases that look like a confirmed problem
 * join it (a dismissed problem holds its cases, and absorbs look-alikes without linking them,
 * while its cases are in the window). Centroids, unlike single links, do not chain through cases
 * that each resemble a neighbour. The clusters sharing a case's bigrams are found through the
 * centroids' sums stored bigram by bigram, so the cost follows shared bigrams, not the square of
 * the group.
 *
 * **Proposals.** A new cluster is proposed when it has at least `minCases` cases spanning at least
 * `minSpanDays`. It is described by its key terms — jieba words of two characters or more in many
 * of its cases and rare in the window: share of its cases × `1 + ln((N + 1) / (df + 1))`, where a
 * word's window frequency is that of its rarest bigram (exact for two-character words, an upper
 * bound for longer ones; no need to segment the whole window) — a suggested name
 * `街道 · 分类 · word word word`, weekly counts, its most central cases, and its profile (the
 * share of its cases having each characteristic bigram), which is what later cases are matched with.
 */
import { defaultSegmenter, loadShenzhenPlaces, nameVariants, type PlaceRow } from './segment.ts';
import { keyArea, shingles } from './similar.ts';

export interface ClusterCase {
  id: string;
  /** Category code; cases are only ever clustered with their own category. */
  category: string;
  /** Where the case is (resolved location, else intake unit); clustered by its street (`keyArea`). */
  areaCode: string;
  createdAt: Date;
  text: string;
}

/** Bigram (as two characters) → share of a cluster's cases that have it. */
export type Profile = Record<string, number>;

/** A problem already stored, as the clustering needs it. */
export interface KnownProblem {
  id: string;
  category: string;
  /** Its street (a `keyArea`). */
  areaCode: string;
  /** A dismissed problem holds its cases and absorbs look-alikes, but is never grown or described. */
  dismissed: boolean;
  /** What it was stored with; stands in for its cases when fewer than `minCases` of them are in the window. */
  profile: Profile | null;
  /** Its linked cases (those outside the given cases are ignored). */
  caseIds: readonly string[];
}

export interface ClusterOptions {
  /** Smallest new cluster proposed (default {@link MIN_CASES}). */
  minCases?: number;
  /** Smallest span of a new cluster from its first to its last case, in days (default {@link MIN_SPAN_DAYS}): a one-day burst is a weak signal, not a common problem. */
  minSpanDays?: number;
  /** Cosine with a cluster's centroid from which a case joins it (default {@link PROBLEM_THRESHOLD}). */
  threshold?: number;
  known?: readonly KnownProblem[];
  /** Words of a text for key terms (default: the shared jieba segmenter's `tokens`). */
  words?: (text: string) => string[];
  /** Names of a street and the units above it, left out of its cases' features and key terms (default: from the Shenzhen seed). */
  areaTerms?: (areaCode: string) => readonly string[];
  areaName?: (areaCode: string) => string;
  categoryName?: (category: string) => string;
  /** Called as the work goes: phase, done, total. */
  onProgress?: (phase: 'reading' | 'clustering', done: number, total: number) => void;
}

export interface KeyTerm {
  term: string;
  /** Share of the cluster's cases containing it × its rarity in the window. */
  weight: number;
  /** How many of the cluster's cases contain it. */
  cases: number;
}

/** A cluster's members in the window and what describes them. */
export interface ProblemCluster {
  category: string;
  /** The street (or the unit itself above street level): `keyArea` of the cases' areas. */
  areaCode: string;
  /** Oldest first. */
  caseIds: string[];
  caseCount: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Cases per China-time week (its Monday), from the first case's week to the last's, empty weeks included. */
  weekly: { week: string; count: number }[];
  /** Up to five of the most central cases (closest to the centroid), most central first. */
  representativeIds: string[];
  keyTerms: KeyTerm[];
  /** `街道 · 分类 · word word word`. */
  name: string;
  profile: Profile;
}

export interface ClusterResult {
  /** New clusters worth proposing, largest first. */
  proposals: ProblemCluster[];
  /** Known (not dismissed) problems that gained cases, with their members in the window described. */
  grown: { problemId: string; added: string[]; cluster: ProblemCluster }[];
  /** Cases absorbed by dismissed problems (not linked, not proposed). */
  suppressed: number;
}

export const PROBLEM_THRESHOLD = 0.3;
export const MIN_CASES = 5;
export const MIN_SPAN_DAYS = 7;
const NAME_TERMS = 3;
const KEY_TERMS = 8;
const SHOWN_REPRESENTATIVES = 5;
/** A profile keeps bigrams in at least this share of the cluster's cases (and two of them), at most PROFILE_SIZE. */
const PROFILE_SHARE = 0.2;
const PROFILE_SIZE = 64;
/** How many cases' worth a stored profile weighs in its cluster's centroid. */
const PROFILE_WEIGHT = 3;
/** Weight (× idf) in a case's length of the bigrams no other case of its group has. */
const UNSHARED_WEIGHT = 0.25;
/** Largest factor by which a bigram over-represented in the street's cases is weighted up. */
const LIFT_CAP = 5;
/** Passes that move cases to a cluster that has become closer (after the first, oldest first). */
const REFINE_PASSES = 3;
/** A key term must be in at least this share of the cluster's cases (and in two of them). */
const KEY_TERM_SHARE = 0.3;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The Monday (China time, YYYY-MM-DD) of the week an instant falls in. */
export function chinaWeek(at: Date | number): string {
  const local = new Date(+at + CHINA_OFFSET_MS);
  const monday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - ((local.getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(monday).toISOString().slice(0, 10);
}

/** Names (as written, full and bare) of a unit and its ancestors, from org rows. */
export function areaTermsFrom(rows: readonly PlaceRow[]): (areaCode: string) => string[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const cache = new Map<string, string[]>();
  return (areaCode) => {
    let terms = cache.get(areaCode);
    if (terms) return terms;
    const out = new Set<string>();
    for (let u = byCode.get(areaCode); u; u = u.parentCode ? byCode.get(u.parentCode) : undefined) {
      out.add(u.name);
      const [full, bare] = nameVariants(u.name, u.kind);
      for (const n of [...full, ...bare]) out.add(n);
      if (u.kind === 'city') out.add(u.name.replace(/市$/, ''));
    }
    cache.set(areaCode, (terms = [...out].sort()));
    return terms;
  };
}

let seedTerms: ((areaCode: string) => string[]) | undefined;
const defaultAreaTerms = (areaCode: string): readonly string[] => (seedTerms ??= areaTermsFrom(loadShenzhenPlaces()))(areaCode);
const defaultWords = (text: string): string[] => defaultSegmenter().tokens(text);

/** A bigram code of `shingles` as its characters, and back. */
const bigramText = (b: number) => (b >>> 16 ? String.fromCharCode(b >>> 16, b & 0xffff) : String.fromCharCode(b));
const bigramCode = (s: string) => (s.length === 2 ? ((s.charCodeAt(0) << 16) | s.charCodeAt(1)) | 0 : s.charCodeAt(0));

const idfOf = (n: number, df: number) => Math.log(1 + n / Math.max(1, df));

/** A word good enough to name a problem: two characters or more, not only digits. */
const nameable = (t: string) => t.length >= 2 && !/^\d+$/.test(t);

interface Cluster {
  norm2: number;
  members: number[];
  known?: KnownProblem;
  added: number[];
}

/**
 * Centroid sums stored bigram-major (bigram → cluster → sum), so that the clusters sharing a
 * case's bigrams and their dot product come from one walk over the case's bigrams.
 */
type Sums = Map<number, Map<number, number>>;

/** Adds `scale × vector` to cluster `ci`'s centroid sum, keeping its squared norm. */
function addTo(sums: Sums, c: Cluster, ci: number, feats: ArrayLike<number>, ws: ArrayLike<number>, scale: number) {
  for (let j = 0; j < feats.length; j++) {
    const f = feats[j]!, v = ws[j]! * scale;
    let m = sums.get(f);
    if (!m) sums.set(f, (m = new Map()));
    const o = m.get(ci) ?? 0;
    c.norm2 += 2 * o * v + v * v;
    // A bigram the cluster no longer has leaves its walk.
    if (Math.abs(o + v) < 1e-12) m.delete(ci);
    else m.set(ci, o + v);
  }
}

function unitWeights(feats: ArrayLike<number>, weight: (f: number) => number, rest = 0): Float64Array {
  const w = new Float64Array(feats.length);
  let norm = rest;
  for (let j = 0; j < feats.length; j++) norm += (w[j] = weight(feats[j]!)) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < w.length; j++) w[j]! /= norm;
  return w;
}

/** Groups `cases` into problems: new proposals and known problems' new cases (see the module comment). */
export function clusterProblems(cases: readonly ClusterCase[], opts: ClusterOptions = {}): ClusterResult {
  const minCases = Math.max(2, opts.minCases ?? MIN_CASES);
  const minSpanMs = (opts.minSpanDays ?? MIN_SPAN_DAYS) * DAY_MS;
  const threshold = opts.threshold ?? PROBLEM_THRESHOLD;
  const words = opts.words ?? defaultWords;
  const areaTerms = opts.areaTerms ?? defaultAreaTerms;
  const progress = opts.onProgress ?? (() => {});
  const known = opts.known ?? [];

  const order = cases.map((_, i) => i).sort((a, b) => +cases[a]!.createdAt - +cases[b]!.createdAt || (cases[a]!.id < cases[b]!.id ? -1 : cases[a]!.id > cases[b]!.id ? 1 : 0));
  const at = (k: number) => cases[order[k]!]!;
  const areas = order.map((i) => keyArea(cases[i]!.areaCode));
  const groupKey = (category: string, area: string) => `${category}\u0000${area}`;

  // Features, and document frequencies over the window and per category.
  const ignoreOf = new Map<string, Set<number>>();
  const ignored = (area: string) => {
    let s = ignoreOf.get(area);
    if (!s) {
      s = new Set<number>();
      for (const n of areaTerms(area)) for (const b of shingles(n)) s.add(b);
      ignoreOf.set(area, s);
    }
    return s;
  };
  const raw: number[][] = new Array(order.length);
  const dfAll = new Map<number, number>();
  const dfCat = new Map<string, Map<number, number>>();
  const nCat = new Map<string, number>();
  for (let k = 0; k < order.length; k++) {
    const c = at(k), ignore = ignored(areas[k]!);
    const feats: number[] = [];
    for (const b of shingles(c.text)) if (!ignore.has(b)) feats.push(b);
    let df = dfCat.get(c.category);
    if (!df) dfCat.set(c.category, (df = new Map()));
    nCat.set(c.category, (nCat.get(c.category) ?? 0) + 1);
    for (const b of feats) {
      dfAll.set(b, (dfAll.get(b) ?? 0) + 1);
      df.set(b, (df.get(b) ?? 0) + 1);
    }
    raw[k] = feats;
    if ((k & 4095) === 4095) progress('reading', k + 1, order.length);
  }
  progress('reading', order.length, order.length);

  const groups = new Map<string, number[]>();
  for (let k = 0; k < order.length; k++) {
    const key = groupKey(at(k).category, areas[k]!);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(k);
  }
  const knownByGroup = new Map<string, KnownProblem[]>();
  const pinned = new Map<string, KnownProblem>();
  for (const p of known) {
    const key = groupKey(p.category, keyArea(p.areaCode));
    if (!groups.has(key)) continue;
    let g = knownByGroup.get(key);
    if (!g) knownByGroup.set(key, (g = []));
    g.push(p);
    for (const id of p.caseIds) if (!pinned.has(id)) pinned.set(id, p);
  }

  const proposals: ProblemCluster[] = [];
  const grown: ClusterResult['grown'] = [];
  let suppressed = 0;
  let done = 0;
  for (const [key, members] of groups) {
    done += members.length;
    const seeds = knownByGroup.get(key) ?? [];
    if (seeds.length === 0 && (members.length < minCases || +at(members.at(-1)!).createdAt - +at(members[0]!).createdAt < minSpanMs)) continue;
    const category = at(members[0]!).category;
    const df = dfCat.get(category)!, n = nCat.get(category)!;
    const profiled = new Set<number>();
    for (const s of seeds) for (const b of Object.keys(s.profile ?? {})) profiled.add(bigramCode(b));
    const dfGroup = new Map<number, number>();
    for (const k of members) for (const b of raw[k]!) dfGroup.set(b, (dfGroup.get(b) ?? 0) + 1);
    const nG = members.length, nRest = n - nG;
    // idf in the category × how much more often the street's cases have it than the others' (1 to LIFT_CAP).
    const weight = (b: number) => {
      const g = dfGroup.get(b) ?? 0, c = df.get(b) ?? 0;
      const lift = ((g + 0.5) / (nG + 1)) / ((c - g + 0.5) / (nRest + 1));
      return idfOf(n, c || 1) * Math.min(LIFT_CAP, Math.max(1, lift));
    };
    const shared = (b: number) => dfGroup.get(b)! >= 2 || profiled.has(b);
    const feats = members.map((k) => Int32Array.from(raw[k]!.filter(shared)));
    const vecs = members.map((k, i) => {
      let rest = 0;
      for (const b of raw[k]!) if (!shared(b)) rest += (UNSHARED_WEIGHT * weight(b)) ** 2;
      return unitWeights(feats[i]!, weight, rest);
    });

    // A case's vector with itself: below 1 by the share of its length in unshared bigrams.
    const self = vecs.map((w) => w.reduce((x, y) => x + y * y, 0));
    const clusters: Cluster[] = [];
    const sums: Sums = new Map();
    const seedOf = new Map<KnownProblem, number>();
    const pinnedHere = new Map<KnownProblem, number>();
    for (const k of members) {
      const p = pinned.get(at(k).id);
      if (p) pinnedHere.set(p, (pinnedHere.get(p) ?? 0) + 1);
    }
    for (const s of seeds) {
      const c: Cluster = { norm2: 0, members: [], known: s, added: [] };
      const ci = clusters.push(c) - 1;
      seedOf.set(s, ci);
      // Its cases in the window are its centroid; with too few of them (after a fix), its stored profile is.
      const pf = (pinnedHere.get(s) ?? 0) < minCases ? Object.keys(s.profile ?? {}).map(bigramCode) : [];
      if (pf.length) addTo(sums, c, ci, pf, unitWeights(pf, (b) => (s.profile![bigramText(b)] ?? 0) * weight(b)), PROFILE_WEIGHT);
    }
    // Every pass may open at most one cluster per case.
    const acc = new Float64Array(clusters.length + members.length * (REFINE_PASSES + 1));
    const touched: number[] = [];
    const where = new Int32Array(members.length).fill(-1);
    const size: number[] = clusters.map(() => 0);
    const open = (): number => {
      size.push(0);
      return clusters.push({ norm2: 0, members: [], added: [] }) - 1;
    };
    const place = (a: number, ci: number) => {
      if (where[a]! >= 0) {
        addTo(sums, clusters[where[a]!]!, where[a]!, feats[a]!, vecs[a]!, -1);
        size[where[a]!]!--;
      }
      where[a] = ci;
      size[ci]!++;
      addTo(sums, clusters[ci]!, ci, feats[a]!, vecs[a]!, 1);
    };
    /** The best cluster for case `a` other than by its own membership (cosine with the centroid without it), or -1. */
    const bestFor = (a: number): number => {
      const f = feats[a]!, w = vecs[a]!, own = where[a]!;
      for (let j = 0; j < f.length; j++) {
        const m = sums.get(f[j]!);
        if (!m) continue;
        const wj = w[j]!;
        for (const [ci, v] of m) {
          if (acc[ci] === 0) touched.push(ci);
          acc[ci]! += wj * v;
        }
      }
      let best = -1, bestScore = threshold - 1e-9;
      for (const ci of touched) {
        let dot = acc[ci]!, norm2 = clusters[ci]!.norm2;
        acc[ci] = 0;
        if (ci === own) {
          // Leave-one-out: the centroid without this case.
          norm2 += self[a]! - 2 * dot;
          dot -= self[a]!;
        }
        if (norm2 < 1e-9) continue;
        const score = dot / Math.sqrt(norm2);
        if (score > bestScore || (score === bestScore && ci < best)) {
          bestScore = score;
          best = ci;
        }
      }
      touched.length = 0;
      return best;
    };
    // First pass, oldest first: the closest cluster, or a new one; linked cases go to their problem.
    const free: number[] = [];
    for (let a = 0; a < members.length; a++) {
      const own = pinned.get(at(members[a]!).id);
      if (own && seedOf.has(own)) place(a, seedOf.get(own)!);
      else {
        const best = bestFor(a);
        place(a, best >= 0 ? best : open());
        free.push(a);
      }
    }
    // Then move cases whose best cluster has changed as the clusters grew, until nothing moves.
    const refine = () => {
      for (let pass = 0; pass < REFINE_PASSES; pass++) {
        let moved = 0;
        for (const a of free) {
          if (feats[a]!.length === 0) continue;
          const best = bestFor(a), own = where[a]!;
          if (best === own || (best < 0 && size[own] === 1)) continue;
          place(a, best >= 0 ? best : open());
          moved++;
        }
        if (moved === 0) break;
      }
    };
    refine();
    for (let a = 0; a < members.length; a++) {
      const c = clusters[where[a]!]!;
      c.members.push(a);
      if (c.known && !pinned.has(at(members[a]!).id)) c.added.push(a);
    }

    for (const c of clusters) {
      const ks = c.members.map((a) => members[a]!);
      if (c.known) {
        if (c.known.dismissed) suppressed += c.added.length;
        else if (c.added.length > 0) {
          grown.push({ problemId: c.known.id, added: c.added.map((a) => at(members[a]!).id), cluster: describe(ks, c) });
        }
        continue;
      }
      if (ks.length < minCases || +at(ks.at(-1)!).createdAt - +at(ks[0]!).createdAt < minSpanMs) continue;
      proposals.push(describe(ks, c));
    }
    progress('clustering', done, order.length);

    function describe(ks: number[], c: Cluster): ProblemCluster {
      const areaCode = areas[ks[0]!]!;
      // Centrality: each case's dot product with the sum of its cluster's cases (the profile left out).
      const centroid = new Map<number, number>();
      for (const a of c.members) feats[a]!.forEach((b, j) => centroid.set(b, (centroid.get(b) ?? 0) + vecs[a]![j]!));
      const central = c.members
        .map((a) => ({ a, score: feats[a]!.reduce((s, b, j) => s + vecs[a]![j]! * centroid.get(b)!, 0) }))
        .sort((x, y) => y.score - x.score || x.a - y.a);
      const has = new Map<number, number>();
      for (const a of c.members) for (const b of feats[a]!) has.set(b, (has.get(b) ?? 0) + 1);
      const profile: Profile = {};
      [...has]
        .filter(([, m]) => m >= 2 && m / ks.length >= PROFILE_SHARE)
        .map(([b, m]) => ({ b, m, score: (m / ks.length) * weight(b) }))
        .sort((x, y) => y.score - x.score || x.b - y.b)
        .slice(0, PROFILE_SIZE)
        .sort((x, y) => x.b - y.b)
        .forEach(({ b, m }) => (profile[bigramText(b)] = Math.round((m / ks.length) * 1000) / 1000));
      const ignore = new Set(areaTerms(areaCode));
      const counts = new Map<string, number>();
      for (const k of ks) for (const t of new Set(words(at(k).text))) if (nameable(t) && !ignore.has(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
      const N = order.length;
      const keyTerms = [...counts]
        .filter(([, m]) => m >= 2 && m / ks.length >= KEY_TERM_SHARE)
        .map(([term, m]) => ({ term, cases: m, weight: (m / ks.length) * (1 + Math.log((N + 1) / (windowDf(term) + 1))) }))
        .sort((x, y) => y.weight - x.weight || (x.term < y.term ? -1 : 1))
        .slice(0, KEY_TERMS)
        .map((t) => ({ ...t, weight: Math.round(t.weight * 1000) / 1000 }));
      const times = ks.map((k) => at(k).createdAt);
      const firstSeen = times[0]!, lastSeen = times.at(-1)!;
      const perWeek = new Map<string, number>();
      for (const t of times) perWeek.set(chinaWeek(t), (perWeek.get(chinaWeek(t)) ?? 0) + 1);
      const weekly: { week: string; count: number }[] = [];
      for (let w = Date.parse(chinaWeek(firstSeen)), end = Date.parse(chinaWeek(lastSeen)); w <= end; w += 7 * DAY_MS) {
        const week = new Date(w).toISOString().slice(0, 10);
        weekly.push({ week, count: perWeek.get(week) ?? 0 });
      }
      const label = [opts.areaName?.(areaCode) ?? areaCode, opts.categoryName?.(category) ?? category];
      const named = keyTerms.slice(0, NAME_TERMS).map((t) => t.term).join(' ');
      return {
        category, areaCode,
        caseIds: ks.map((k) => at(k).id),
        caseCount: ks.length, firstSeen, lastSeen, weekly,
        representativeIds: central.slice(0, SHOWN_REPRESENTATIVES).map((x) => at(members[x.a]!).id),
        keyTerms,
        name: [...label, ...(named ? [named] : [])].join(' · '),
        profile,
      };
    }
  }
  progress('clustering', order.length, order.length);
  proposals.sort((a, b) => b.caseCount - a.caseCount || +a.firstSeen - +b.firstSeen || (a.caseIds[0]! < b.caseIds[0]! ? -1 : 1));
  return { proposals, grown, suppressed };

  /** A word's window frequency: that of its rarest bigram (a boilerplate bigram counts as everywhere). */
  function windowDf(word: string): number {
    const t = word.toLowerCase();
    let df = order.length;
    for (let i = 0; i + 1 < t.length; i++) df = Math.min(df, dfAll.get(bigramCode(t.slice(i, i + 2))) ?? order.length);
    return df;
  }
}
