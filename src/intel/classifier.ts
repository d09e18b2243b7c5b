/**
 * Category classifier for citizen messages, trained from labelled history (no hand rules).
 *
 * Features: jieba word unigrams (segment.ts, with the domain dictionary) plus character
 * unigrams and bigrams of the normalised text (within runs of letters/digits/CJK; punctuation,
 * spaces and masks break runs). Character n-grams make the model robust to segmentation
 * mistakes and unseen names. The vocabulary keeps features seen in at least `minDf` training
 * documents, at most `maxFeatures` of them (most frequent first), which bounds the model size.
 *
 * Two algorithms, both linear in that feature space, so one model shape and one `predict`:
 *  - `logreg` (default): multinomial logistic regression over TF-IDF (sublinear tf, smoothed idf,
 *    L2-normalised rows), L2-regularised, class-weighted ("balanced" by default: each label
 *    carries the same total weight, which is what macro-F1 asks for), fitted by SGD with
 *    averaging over the second half of the epochs. Regularisation is given as `C` (as in
 *    liblinear/scikit-learn: λ = 1/(C·n)), so it scales with the data set size.
 *    Confidences are the softmax probabilities.
 *  - `nb`: the bag-of-words baseline: multinomial naive Bayes on raw word counts, Laplace
 *    smoothing, empirical priors. Confidences are its posterior probabilities.
 *
 * Labels with fewer than `minClassCount` examples (default 20) are dropped before training, or
 * merged into `otherLabel` when one is given; the model lists them. A label that rare can be
 * neither learnt nor measured (five folds leave ~3 examples of it to test on).
 *
 * A model is plain JSON (labels, vocabulary, idf, weights, bias), so it can be stored as a
 * database row; `predict` compiles it into typed arrays once per model object (cached in a
 * WeakMap). Everything is deterministic given `seed`.
 *
 * Hand-written rather than a dependency: the npm text classifiers are dense-matrix
 * (`ml-logistic-regression`: 10 k × 30 k doubles would not fit), naive-Bayes-only, or keep a
 * binary model file (fastText builds) rather than a JSON row; sparse SGD is ~150 lines here.
 */
import { isWordChar, normalize } from './normalize.ts';
import { defaultSegmenter, type Segmenter } from './segment.ts';

export interface Sample {
  text: string;
  label: string;
}

export type Algorithm = 'logreg' | 'nb';

export interface FeatureOptions {
  /** jieba word unigrams. */
  words: boolean;
  /** Character n-gram lengths, e.g. `[2]`. */
  charNgrams: number[];
}

export interface TrainOptions {
  algorithm?: Algorithm;
  /** Segmenter for word features; default the shared one with the Shenzhen dictionary. */
  segmenter?: Segmenter;
  /** Default: words + char unigrams and bigrams for `logreg`, words only for `nb`. */
  features?: Partial<FeatureOptions>;
  /** Labels with fewer examples are dropped (or merged into `otherLabel`). Default 20. */
  minClassCount?: number;
  /** Merge rare labels into this one instead of dropping them. */
  otherLabel?: string;
  /** Minimum document frequency of a feature. Default 2 (`logreg`), 1 (`nb`). */
  minDf?: number;
  /** Vocabulary cap (most frequent features first). Default 30000. */
  maxFeatures?: number;
  /** `logreg`: inverse regularisation strength, λ = 1/(C·n). Default 4. */
  C?: number;
  /** `logreg`: passes over the data. Default 10. */
  epochs?: number;
  /** `logreg`: initial learning rate. Default 0.5. */
  learningRate?: number;
  /** `logreg`: `balanced` (default), `sqrt` (square root of balanced) or `none`. */
  classWeight?: 'balanced' | 'sqrt' | 'none';
  /** `nb`: additive smoothing. Default 1. */
  alpha?: number;
  /** Shuffling seed. Default 1. */
  seed?: number;
}

/** A trained model: plain JSON. `score[c] = bias[c] + Σ_f x_f · weights[c][f]`, softmax → confidences. */
export interface TextModel {
  format: 'suqiu.text-classifier';
  version: 1;
  algorithm: Algorithm;
  /** Names the word segmentation the vocabulary was built with. */
  tokenizer: string;
  features: FeatureOptions;
  labels: string[];
  /** Feature strings: `w:<word>` or `c:<char n-gram>`. */
  vocabulary: string[];
  /** Per-feature IDF (`logreg`), or null: raw counts (`nb`). */
  idf: number[] | null;
  /** `[label][feature]`. */
  weights: number[][];
  bias: number[];
  trainedOn: {
    samples: number;
    perLabel: Record<string, number>;
    /** Labels too rare to learn, with their counts (dropped, or merged into `otherLabel`). */
    rareLabels: Record<string, number>;
    otherLabel: string | null;
    options: Record<string, number | string | boolean>;
  };
}

export interface Prediction {
  label: string;
  confidence: number;
}

export const TOKENIZER = 'jieba+suqiu-dict/1';

// ───────────────────────── features ─────────────────────────

/**
 * A character n-gram as a map key: n ≤ 2 as a number (UTF-16 units c1·65536 + c2, or c1: no
 * string to allocate and hash per occurrence), longer ones as the string.
 */
type GramKey = number | string;

function gramKeyOf(gram: string): GramKey {
  if (gram.length === 1) return gram.charCodeAt(0);
  if (gram.length === 2) return gram.charCodeAt(0) * 65536 + gram.charCodeAt(1);
  return gram;
}

function gramText(key: GramKey): string {
  if (typeof key === 'string') return key;
  return key < 65536 ? String.fromCharCode(key) : String.fromCharCode(Math.floor(key / 65536), key % 65536);
}

/** Word tokens and character n-gram keys of one text (with repeats: counts matter). */
interface FeatureBag {
  words: string[];
  grams: GramKey[];
}

/** Features of one text: segmenter tokens, and n-grams within runs of letters/digits of the normalised, lower-cased text. */
function extractFeatures(text: string, features: FeatureOptions, segmenter: Segmenter): FeatureBag {
  const words = features.words ? segmenter.tokens(text) : [];
  const grams: GramKey[] = [];
  if (features.charNgrams.length > 0) {
    const norm = normalize(text).toLowerCase();
    let i = 0;
    const len = norm.length;
    while (i < len) {
      if (!isWordChar(norm.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < len && isWordChar(norm.charCodeAt(end))) end++;
      for (const n of features.charNgrams) {
        for (let p = i; p + n <= end; p++) {
          grams.push(n === 2 ? norm.charCodeAt(p) * 65536 + norm.charCodeAt(p + 1) : n === 1 ? norm.charCodeAt(p) : norm.substr(p, n));
        }
      }
      i = end;
    }
  }
  return { words, grams };
}

/** The features of `text` as vocabulary entries (`w:<word>`, `c:<char n-gram>`), with repeats. */
export function featureStrings(text: string, features: FeatureOptions, segmenter: Segmenter = defaultSegmenter()): string[] {
  const { words, grams } = extractFeatures(text, features, segmenter);
  return [...words.map((w) => 'w:' + w), ...grams.map((g) => 'c:' + gramText(g))];
}

/** Sparse row: feature indices (ascending, unique) and values. */
interface Row {
  idx: Int32Array;
  val: Float64Array;
}

/**
 * Row from feature ids (any order, repeats = counts, negatives = unknown, ignored): raw counts,
 * or sublinear TF-IDF, L2-normalised, when `idf` is given.
 */
function rowOf(ids: Int32Array, idf: ArrayLike<number> | null): Row {
  ids.sort();
  let start = 0;
  while (start < ids.length && ids[start]! < 0) start++;
  let unique = 0;
  for (let j = start; j < ids.length; j++) if (j === start || ids[j] !== ids[j - 1]) unique++;
  const idx = new Int32Array(unique);
  const val = new Float64Array(unique);
  let u = -1;
  for (let j = start; j < ids.length; j++) {
    if (j === start || ids[j] !== ids[j - 1]) idx[++u] = ids[j]!;
    val[u]!++;
  }
  if (idf) {
    let norm = 0;
    for (let j = 0; j < unique; j++) {
      const v = (1 + Math.log(val[j]!)) * idf[idx[j]!]!;
      val[j] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < unique; j++) val[j]! *= inv;
    }
  }
  return { idx, val };
}

/** Feature ids of a bag under the given word and n-gram indexes (-1 = unknown). */
function idsOf(bag: FeatureBag, words: ReadonlyMap<string, number>, grams: ReadonlyMap<GramKey, number>): Int32Array {
  const ids = new Int32Array(bag.words.length + bag.grams.length);
  let j = 0;
  for (const w of bag.words) ids[j++] = words.get(w) ?? -1;
  for (const g of bag.grams) ids[j++] = grams.get(g) ?? -1;
  return ids;
}

// ───────────────────────── helpers ─────────────────────────

/** Deterministic PRNG (mulberry32) → [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function countLabels(samples: readonly Sample[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of samples) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  return counts;
}

/** Rounds to 5 significant digits: a smaller JSON, no measurable effect on predictions. */
function round5(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(5));
}

export interface PreparedSamples {
  samples: Sample[];
  rareLabels: Record<string, number>;
}

/**
 * Applies the rare-label rule: labels with fewer than `minClassCount` examples are dropped, or
 * renamed to `otherLabel` (which is itself dropped if still too rare). Labels are trimmed.
 */
export function prepareSamples(samples: readonly Sample[], minClassCount = 20, otherLabel?: string): PreparedSamples {
  const trimmed = samples.map((s) => ({ text: s.text, label: s.label.trim() })).filter((s) => s.label !== '');
  const counts = countLabels(trimmed);
  const rare = new Set([...counts].filter(([, n]) => n < minClassCount).map(([l]) => l));
  const rareLabels: Record<string, number> = {};
  for (const l of [...rare].sort()) rareLabels[l] = counts.get(l)!;
  let out = trimmed;
  if (otherLabel !== undefined) {
    out = trimmed.map((s) => (rare.has(s.label) ? { text: s.text, label: otherLabel } : s));
    const merged = countLabels(out).get(otherLabel) ?? 0;
    if (merged < minClassCount) out = out.filter((s) => s.label !== otherLabel);
  } else {
    out = trimmed.filter((s) => !rare.has(s.label));
  }
  return { samples: out, rareLabels };
}

// ───────────────────────── training ─────────────────────────

interface Resolved {
  algorithm: Algorithm;
  features: FeatureOptions;
  minClassCount: number;
  minDf: number;
  maxFeatures: number;
  C: number;
  epochs: number;
  learningRate: number;
  classWeight: 'balanced' | 'sqrt' | 'none';
  alpha: number;
  seed: number;
}

function resolve(opts: TrainOptions): Resolved {
  const algorithm = opts.algorithm ?? 'logreg';
  if (algorithm !== 'logreg' && algorithm !== 'nb') throw new Error(`unknown algorithm: ${String(algorithm)}`);
  const lr = algorithm === 'logreg';
  const positive = (name: string, v: number | undefined, integer = false): void => {
    if (v !== undefined && !(v > 0 && Number.isFinite(v) && (!integer || Number.isInteger(v)))) {
      throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, not ${v}`);
    }
  };
  positive('minDf', opts.minDf, true);
  positive('maxFeatures', opts.maxFeatures, true);
  positive('epochs', opts.epochs, true);
  positive('C', opts.C);
  positive('learningRate', opts.learningRate);
  positive('alpha', opts.alpha);
  for (const n of opts.features?.charNgrams ?? []) positive('charNgrams[]', n, true);
  return {
    algorithm,
    features: {
      words: opts.features?.words ?? true,
      charNgrams: opts.features?.charNgrams ?? (lr ? [1, 2] : []),
    },
    minClassCount: opts.minClassCount ?? 20,
    minDf: opts.minDf ?? (lr ? 2 : 1),
    maxFeatures: opts.maxFeatures ?? 30_000,
    C: opts.C ?? 4,
    epochs: opts.epochs ?? 10,
    learningRate: opts.learningRate ?? 0.5,
    classWeight: opts.classWeight ?? 'balanced',
    alpha: opts.alpha ?? 1,
    seed: opts.seed ?? 1,
  };
}

/** Trains a model on `samples` (see the module comment for the options' meaning and defaults). */
export function train(samples: readonly Sample[], opts: TrainOptions = {}): TextModel {
  const o = resolve(opts);
  const segmenter = opts.segmenter ?? defaultSegmenter();
  const { samples: data, rareLabels } = prepareSamples(samples, o.minClassCount, opts.otherLabel);
  const perLabel = countLabels(data);
  const labels = [...perLabel.keys()].sort();
  if (labels.length < 2) {
    throw new Error(`need at least 2 labels with ≥ ${o.minClassCount} examples each; got ${labels.length}`);
  }
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const y = Int32Array.from(data, (s) => labelIndex.get(s.label)!);

  // Vocabulary by document frequency: provisional ids first, then the kept ones renumbered.
  const bags = data.map((s) => extractFeatures(s.text, o.features, segmenter));
  const wordIds = new Map<string, number>();
  const gramIds = new Map<GramKey, number>();
  const keys: (string | GramKey)[] = [];
  const isWord: boolean[] = [];
  const provisional = bags.map((bag) => {
    const ids = new Int32Array(bag.words.length + bag.grams.length);
    let j = 0;
    for (const w of bag.words) {
      let id = wordIds.get(w);
      if (id === undefined) {
        wordIds.set(w, (id = keys.length));
        keys.push(w);
        isWord.push(true);
      }
      ids[j++] = id;
    }
    for (const g of bag.grams) {
      let id = gramIds.get(g);
      if (id === undefined) {
        gramIds.set(g, (id = keys.length));
        keys.push(g);
        isWord.push(false);
      }
      ids[j++] = id;
    }
    return ids;
  });
  const names = keys.map((k, id) => (isWord[id] ? 'w:' + (k as string) : 'c:' + gramText(k)));
  const df = new Int32Array(names.length);
  const lastDoc = new Int32Array(names.length).fill(-1);
  provisional.forEach((ids, d) => {
    for (const id of ids) {
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        df[id]!++;
      }
    }
  });
  const kept = Array.from(names.keys())
    .filter((id) => df[id]! >= o.minDf)
    .sort((a, b) => df[b]! - df[a]! || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0))
    .slice(0, o.maxFeatures);
  const renumber = new Int32Array(names.length).fill(-1);
  kept.forEach((id, f) => (renumber[id] = f));
  const vocabulary = kept.map((id) => names[id]!);
  const n = data.length;
  const idf = o.algorithm === 'logreg' ? kept.map((id) => Math.log((1 + n) / (1 + df[id]!)) + 1) : null;
  const rows = provisional.map((ids) => rowOf(ids.map((id) => renumber[id]!), idf));

  const { weights, bias } =
    o.algorithm === 'logreg'
      ? fitLogReg(rows, y, labels.length, vocabulary.length, o)
      : fitNaiveBayes(rows, y, labels.length, vocabulary.length, o.alpha);

  const options: Record<string, number | string | boolean> = {
    minClassCount: o.minClassCount,
    minDf: o.minDf,
    maxFeatures: o.maxFeatures,
    seed: o.seed,
  };
  if (o.algorithm === 'logreg') Object.assign(options, { C: o.C, epochs: o.epochs, learningRate: o.learningRate, classWeight: o.classWeight });
  else options.alpha = o.alpha;

  return {
    format: 'suqiu.text-classifier',
    version: 1,
    algorithm: o.algorithm,
    tokenizer: TOKENIZER,
    features: o.features,
    labels,
    vocabulary,
    idf: idf ? idf.map(round5) : null,
    weights: weights.map((w) => Array.from(w, round5)),
    bias: Array.from(bias, round5),
    trainedOn: {
      samples: n,
      perLabel: Object.fromEntries(labels.map((l) => [l, perLabel.get(l)!])),
      rareLabels,
      otherLabel: opts.otherLabel ?? null,
      options,
    },
  };
}

/** The bag-of-words baseline: multinomial naive Bayes on word counts. */
export function trainBaseline(samples: readonly Sample[], opts: TrainOptions = {}): TextModel {
  return train(samples, { ...opts, algorithm: 'nb' });
}

function fitNaiveBayes(rows: Row[], y: Int32Array, K: number, F: number, alpha: number): { weights: Float64Array[]; bias: Float64Array } {
  const counts = Array.from({ length: K }, () => new Float64Array(F));
  const docsPer = new Float64Array(K);
  for (let i = 0; i < rows.length; i++) {
    const c = y[i]!;
    docsPer[c]!++;
    const { idx, val } = rows[i]!;
    const cc = counts[c]!;
    for (let j = 0; j < idx.length; j++) cc[idx[j]!]! += val[j]!;
  }
  const weights = counts.map((cc) => {
    let total = 0;
    for (let f = 0; f < F; f++) total += cc[f]!;
    const denom = Math.log(total + alpha * F);
    return cc.map((v) => Math.log(v + alpha) - denom);
  });
  const bias = docsPer.map((d) => Math.log(d / rows.length));
  return { weights, bias };
}

/**
 * Multinomial logistic regression by SGD on  mean_i w_i·CE(x_i, y_i) + λ/2·‖W‖²  (bias not
 * regularised). L2 decay uses the scale trick (W = s·V) so each step touches only the sample's
 * features. A sample whose class weight exceeds 1 is visited ⌈w⌉ times per epoch with weight
 * w/⌈w⌉, keeping every step bounded. Learning rate η0/√(1+epoch); the result averages the
 * weights at the end of each epoch in the second half.
 */
function fitLogReg(rows: Row[], y: Int32Array, K: number, F: number, o: Resolved): { weights: Float64Array[]; bias: Float64Array } {
  const n = rows.length;
  const lambda = 1 / (o.C * n);
  const classCount = new Float64Array(K);
  for (let i = 0; i < n; i++) classCount[y[i]!]!++;
  const classWeight = Array.from(classCount, (m) => {
    const balanced = n / (K * m);
    return o.classWeight === 'balanced' ? balanced : o.classWeight === 'sqrt' ? Math.sqrt(balanced) : 1;
  });
  // The visiting schedule: (sample, step weight) pairs, shuffled each epoch.
  const visits: number[] = [];
  const visitWeight: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = classWeight[y[i]!]!;
    const reps = Math.max(1, Math.ceil(w));
    for (let r = 0; r < reps; r++) {
      visits.push(i);
      visitWeight.push(w / reps);
    }
  }
  const order = Array.from(visits.keys());
  // Scale so one epoch ≈ one pass of the objective's mean: visits per epoch can exceed n.
  const stepsPerEpoch = order.length;

  const V = new Float64Array(F * K); // feature-major: V[f*K + c]
  const b = new Float64Array(K);
  let s = 1;
  const avgW = new Float64Array(F * K);
  const avgB = new Float64Array(K);
  let averaged = 0;
  const firstAveraged = Math.floor(o.epochs / 2);
  const scores = new Float64Array(K);
  const random = rng(o.seed);

  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    const eta = o.learningRate / Math.sqrt(1 + epoch);
    // Decay per step so that one epoch applies λ·η per sample of the mean objective.
    const decay = 1 - (eta * lambda * n) / stepsPerEpoch;
    for (const v of order) {
      const i = visits[v]!;
      const sw = visitWeight[v]!;
      const { idx, val } = rows[i]!;
      // Scores.
      for (let c = 0; c < K; c++) scores[c] = 0;
      for (let j = 0; j < idx.length; j++) {
        const base = idx[j]! * K;
        const x = val[j]!;
        for (let c = 0; c < K; c++) scores[c]! += x * V[base + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        scores[c] = scores[c]! * s + b[c]!;
        if (scores[c]! > max) max = scores[c]!;
      }
      let z = 0;
      for (let c = 0; c < K; c++) {
        const e = Math.exp(scores[c]! - max);
        scores[c] = e;
        z += e;
      }
      // Gradient of the weighted CE wrt scores: sw·(p − onehot).
      const yi = y[i]!;
      for (let c = 0; c < K; c++) scores[c] = sw * (scores[c]! / z - (c === yi ? 1 : 0));
      // L2 decay, then the sparse step.
      s *= decay;
      const step = eta / s;
      for (let j = 0; j < idx.length; j++) {
        const base = idx[j]! * K;
        const x = val[j]! * step;
        for (let c = 0; c < K; c++) V[base + c]! -= x * scores[c]!;
      }
      for (let c = 0; c < K; c++) b[c]! -= eta * scores[c]!;
      if (s < 1e-9) {
        for (let f = 0; f < V.length; f++) V[f]! *= s;
        s = 1;
      }
    }
    if (epoch >= firstAveraged) {
      for (let f = 0; f < V.length; f++) avgW[f]! += s * V[f]!;
      for (let c = 0; c < K; c++) avgB[c]! += b[c]!;
      averaged++;
    }
  }
  const weights = Array.from({ length: K }, (_, c) => {
    const w = new Float64Array(F);
    for (let f = 0; f < F; f++) w[f] = avgW[f * K + c]! / averaged;
    return w;
  });
  return { weights, bias: avgB.map((v) => v / averaged) };
}

// ───────────────────────── prediction ─────────────────────────

interface Compiled {
  words: Map<string, number>;
  grams: Map<GramKey, number>;
  /** Feature-major weights: W[f*K + c]. */
  W: Float64Array;
  K: number;
}

const compiledCache = new WeakMap<TextModel, Compiled>();

function compile(model: TextModel): Compiled {
  let compiled = compiledCache.get(model);
  if (!compiled) {
    if (model.format !== 'suqiu.text-classifier' || model.version !== 1) throw new Error('not a suqiu text-classifier model (version 1)');
    const K = model.labels.length;
    const F = model.vocabulary.length;
    const W = new Float64Array(F * K);
    for (let c = 0; c < K; c++) {
      const row = model.weights[c]!;
      for (let f = 0; f < F; f++) W[f * K + c] = row[f]!;
    }
    const words = new Map<string, number>();
    const grams = new Map<GramKey, number>();
    model.vocabulary.forEach((f, i) => {
      if (f.startsWith('w:')) words.set(f.slice(2), i);
      else if (f.startsWith('c:')) grams.set(gramKeyOf(f.slice(2)), i);
    });
    compiled = { words, grams, W, K };
    compiledCache.set(model, compiled);
  }
  return compiled;
}

export interface PredictOptions {
  /** The segmenter the model was trained with, if not the default one. */
  segmenter?: Segmenter;
}

/** Softmax probabilities over all labels, in `model.labels` order. */
export function probabilities(model: TextModel, text: string, options: PredictOptions = {}): Float64Array {
  const { words, grams, W, K } = compile(model);
  const bag = extractFeatures(text, model.features, options.segmenter ?? defaultSegmenter());
  const row = rowOf(idsOf(bag, words, grams), model.idf);
  const scores = Float64Array.from(model.bias);
  for (let j = 0; j < row.idx.length; j++) {
    const base = row.idx[j]! * K;
    const x = row.val[j]!;
    for (let c = 0; c < K; c++) scores[c]! += x * W[base + c]!;
  }
  let max = -Infinity;
  for (let c = 0; c < K; c++) if (scores[c]! > max) max = scores[c]!;
  let z = 0;
  for (let c = 0; c < K; c++) {
    scores[c] = Math.exp(scores[c]! - max);
    z += scores[c]!;
  }
  for (let c = 0; c < K; c++) scores[c]! /= z;
  return scores;
}

/** The `k` most likely labels, most likely first; confidences are probabilities (sum ≤ 1). */
export function predict(model: TextModel, text: string, k = 3, options: PredictOptions = {}): Prediction[] {
  const p = probabilities(model, text, options);
  return model.labels
    .map((label, c) => ({ label, confidence: p[c]! }))
    .sort((a, b) => b.confidence - a.confidence || (a.label < b.label ? -1 : 1))
    .slice(0, Math.max(0, k));
}

// ───────────────────────── evaluation ─────────────────────────

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** True examples of this label. */
  support: number;
}

export interface Evaluation {
  samples: number;
  accuracy: number;
  /** Mean F1 over labels that occur as truth or prediction. */
  macroF1: number;
  /** Support-weighted mean F1. */
  weightedF1: number;
  perClass: ClassMetrics[];
  /** `matrix[true][predicted]` over `labels`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/** Metrics from parallel arrays of true and predicted labels; `labels` fixes the order (others are appended). */
export function scorePredictions(truth: readonly string[], predicted: readonly string[], labels: readonly string[] = []): Evaluation {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const order = [...labels];
  const seen = new Set(order);
  for (const l of [...truth, ...predicted]) if (!seen.has(l)) (seen.add(l), order.push(l));
  const at = new Map(order.map((l, i) => [l, i]));
  const matrix = order.map(() => order.map(() => 0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    matrix[at.get(truth[i]!)!]![at.get(predicted[i]!)!]!++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass: ClassMetrics[] = order.map((label, c) => {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, v) => a + v, 0);
    const predictedN = matrix.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedN ? tp / predictedN : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const active = perClass.filter((m, c) => m.support > 0 || matrix.some((row) => row[c]! > 0));
  const macroF1 = active.length ? active.reduce((a, m) => a + m.f1, 0) / active.length : 0;
  const weightedF1 = truth.length ? perClass.reduce((a, m) => a + m.f1 * m.support, 0) / truth.length : 0;
  return {
    samples: truth.length,
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1,
    weightedF1,
    perClass,
    confusion: { labels: order, matrix },
  };
}

/** Evaluates `model` on labelled `samples` (labels unknown to the model count as errors). */
export function evaluate(model: TextModel, samples: readonly Sample[], options: PredictOptions = {}): Evaluation {
  const predicted = samples.map((s) => predict(model, s.text, 1, options)[0]!.label);
  return scorePredictions(
    samples.map((s) => s.label),
    predicted,
    model.labels,
  );
}

/** Stratified k-fold assignment: fold number per sample, deterministic for a seed. */
export function stratifiedFolds(labels: readonly string[], k: number, seed = 1): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error('k must be an integer ≥ 2');
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    let list = byLabel.get(l);
    if (!list) byLabel.set(l, (list = []));
    list.push(i);
  });
  const fold = new Int32Array(labels.length);
  const random = rng(seed);
  let next = 0;
  for (const l of [...byLabel.keys()].sort()) {
    for (const i of shuffle(byLabel.get(l)!, random)) fold[i] = next++ % k;
  }
  return fold;
}

export interface FoldResult {
  fold: number;
  trainSize: number;
  testSize: number;
  accuracy: number;
  macroF1: number;
  /** Wall time of `train` (segmentation included). */
  trainMs: number;
  /** Wall time of predicting the test fold (segmentation included). */
  predictMs: number;
}

export interface CrossValidation {
  k: number;
  /** Samples after the rare-label rule, and what it removed or merged. */
  samples: number;
  rareLabels: Record<string, number>;
  folds: FoldResult[];
  /** Means over folds, and their standard deviations. */
  accuracy: number;
  macroF1: number;
  accuracyStd: number;
  macroF1Std: number;
  /** Metrics over all out-of-fold predictions pooled. */
  pooled: Evaluation;
}

/**
 * Stratified k-fold cross-validation (deterministic with `opts.seed`). The rare-label rule is
 * applied once, before folding, so every fold sees the same label set.
 */
export function crossValidate(samples: readonly Sample[], k = 5, opts: TrainOptions = {}): CrossValidation {
  const o = resolve(opts);
  const { samples: data, rareLabels } = prepareSamples(samples, o.minClassCount, opts.otherLabel);
  const fold = stratifiedFolds(
    data.map((s) => s.label),
    k,
    o.seed,
  );
  const folds: FoldResult[] = [];
  const truth: string[] = [];
  const predicted: string[] = [];
  let labels: string[] = [];
  for (let f = 0; f < k; f++) {
    const trainSet = data.filter((_, i) => fold[i] !== f);
    const testSet = data.filter((_, i) => fold[i] === f);
    const t0 = performance.now();
    const model = train(trainSet, { ...opts, minClassCount: 1, otherLabel: undefined });
    const t1 = performance.now();
    const preds = testSet.map((s) => predict(model, s.text, 1, opts)[0]!.label);
    const t2 = performance.now();
    const ev = scorePredictions(
      testSet.map((s) => s.label),
      preds,
      model.labels,
    );
    labels = model.labels;
    folds.push({ fold: f, trainSize: trainSet.length, testSize: testSet.length, accuracy: ev.accuracy, macroF1: ev.macroF1, trainMs: t1 - t0, predictMs: t2 - t1 });
    for (const s of testSet) truth.push(s.label);
    predicted.push(...preds);
  }
  const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
  const std = (xs: number[]): number => {
    const m = mean(xs);
    return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
  };
  const acc = folds.map((r) => r.accuracy);
  const f1 = folds.map((r) => r.macroF1);
  return {
    k,
    samples: data.length,
    rareLabels,
    folds,
    accuracy: mean(acc),
    macroF1: mean(f1),
    accuracyStd: std(acc),
    macroF1Std: std(f1),
    pooled: scorePredictions(truth, predicted, labels),
  };
}
