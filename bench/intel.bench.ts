/**
 * Category classifier: stratified k-fold cross-validation of the TF-IDF logistic regression
 * (src/intel/classifier.ts) against the bag-of-words naive-Bayes baseline, on real citizen
 * messages (../shared/data/msgabench-citizen-messages.csv: 问题领域, labelled rows only, then
 * 问题类型), or on any labelled CSV.
 *
 *   npm run bench -- intel [--folds 5] [--seed 1] [--min-class 20] [--per-class] [--class-weight none,sqrt] [--dup-cases 1000000] [--dup-lookups 2000]
 *   npm run bench -- intel --csv FILE --text-col C --label-col L [--label-col L2 …]
 *
 * Without --csv it goes on with the bureau classifier behind routing suggestions (5-fold on the
 * handling-unit set), address → unit accuracy on the development and held-out sets
 * (src/intel/address-cases.ts), and the similar/duplicate look-up latency against --dup-cases
 * cases on a throwaway PostgreSQL (bench/duplicates.bench.ts; 0 skips it), then a summary.
 *
 * Prints accuracy and macro-F1 (mean ± sd over folds), support-weighted F1, training wall time
 * per fold, this process's CPU time per fold (train + predict: less inflated than wall time when
 * the machine is shared), inference throughput (messages/s, one thread, segmentation included),
 * and the size of a model trained on all rows as JSON. Labels with fewer than --min-class rows
 * are dropped first (listed). --per-class adds per-label F1 from the pooled out-of-fold
 * predictions; --class-weight adds logreg rows with other class weightings (the default is
 * balanced), to show the accuracy / macro-F1 trade-off.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crossValidate, train, type CrossValidation, type Sample, type TrainOptions } from '../src/intel/classifier.ts';
import { readLabelledCsv } from '../src/intel/csv.ts';
import { defaultSegmenter } from '../src/intel/segment.ts';
import { ADDRESS_CASES, ADDRESS_HOLDOUT, addressAccuracy } from '../src/intel/address-cases.ts';
import { duplicateLatency } from './duplicates.bench.ts';

const DEFAULT_CSV = fileURLToPath(new URL('../../shared/data/msgabench-citizen-messages.csv', import.meta.url));
const ROUTING_CSV = fileURLToPath(new URL('../../shared/data/msgabench-questions-handling-unit.csv', import.meta.url));

function values(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === `--${name}`) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
      out.push(v);
    }
  });
  return out;
}

function numberOption(args: string[], name: string, fallback: number, min = 1): number {
  const [v] = values(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number ≥ ${min}`);
  return n;
}

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number): string => ' '.repeat(Math.max(0, n - width(s))) + s;

function table(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < leftColumns ? padEnd(cell, widths[c]!) : padStart(cell, widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const pct = (x: number): string => (100 * x).toFixed(1);

interface Run {
  name: string;
  cv: CrossValidation;
  /** This process's CPU time per fold (train + predict), which a busy machine inflates less than wall time. */
  cpuMsPerFold: number;
  modelBytes: number;
  vocabulary: number;
}

function measure(name: string, samples: Sample[], folds: number, opts: TrainOptions): Run {
  const cpu = process.cpuUsage();
  const cv = crossValidate(samples, folds, opts);
  const used = process.cpuUsage(cpu);
  const cpuMsPerFold = (used.user + used.system) / 1000 / folds;
  const model = train(samples, opts);
  return { name, cv, cpuMsPerFold, modelBytes: Buffer.byteLength(JSON.stringify(model)), vocabulary: model.vocabulary.length };
}

type ClassWeight = NonNullable<TrainOptions['classWeight']>;

interface Headline {
  what: string;
  accuracy: number;
  macroF1: number;
  baselineAccuracy: number;
  baselineMacroF1: number;
  trainSPerFold: number;
  inferPerS: number;
}

function report(file: string, textCol: string, labelCol: string, folds: number, base: TrainOptions, perClass: boolean, extraWeights: ClassWeight[]): Headline {
  const samples = readLabelledCsv(file, textCol, labelCol);
  const started = performance.now();
  const runs = [
    measure('logreg: tf-idf words + char 1-2 grams', samples, folds, { ...base, algorithm: 'logreg' }),
    measure('baseline: naive Bayes, word counts', samples, folds, { ...base, algorithm: 'nb' }),
    ...extraWeights.map((w) => measure(`logreg, class weights ${w}`, samples, folds, { ...base, algorithm: 'logreg', classWeight: w })),
  ];
  const cv0 = runs[0]!.cv;
  const labels = cv0.pooled.perClass.filter((m) => m.support > 0);
  console.log(`\n## ${labelCol} — ${samples.length} labelled rows of ${file.split('/').pop()}, ${folds}-fold stratified, seed ${base.seed ?? 1}`);
  const rare = Object.entries(cv0.rareLabels);
  if (rare.length) {
    const dropped = rare.reduce((a, [, n]) => a + n, 0);
    console.log(`dropped ${rare.length} label${rare.length === 1 ? '' : 's'} with < ${base.minClassCount ?? 20} rows (${dropped} rows): ${rare.map(([l, n]) => `${l} ${n}`).join(', ')}`);
  }
  console.log(`${cv0.samples} rows, ${labels.length} labels: ${labels.map((m) => `${m.label} ${m.support}`).join(', ')}\n`);
  console.log(
    table(
      ['model', 'accuracy %', 'macro-F1 %', 'weighted-F1 %', 'train s/fold', 'CPU s/fold', 'infer msg/s', 'features', 'model JSON'],
      runs.map((r) => {
        const trainMs = r.cv.folds.reduce((a, f) => a + f.trainMs, 0) / r.cv.folds.length;
        const tested = r.cv.folds.reduce((a, f) => a + f.testSize, 0);
        const predictMs = r.cv.folds.reduce((a, f) => a + f.predictMs, 0);
        return [
          r.name,
          `${pct(r.cv.accuracy)} ± ${pct(r.cv.accuracyStd)}`,
          `${pct(r.cv.macroF1)} ± ${pct(r.cv.macroF1Std)}`,
          pct(r.cv.pooled.weightedF1),
          (trainMs / 1000).toFixed(2),
          (r.cpuMsPerFold / 1000).toFixed(2),
          ((tested / predictMs) * 1000).toFixed(0),
          String(r.vocabulary),
          `${(r.modelBytes / 1e6).toFixed(1)} MB`,
        ];
      }),
    ),
  );
  const [a, b] = runs;
  const foldsOf = (r: Run) => r.cv.folds;
  const headline: Headline = {
    what: `${labelCol} (${file.split('/').pop()})`, accuracy: a!.cv.accuracy, macroF1: a!.cv.macroF1,
    baselineAccuracy: b!.cv.accuracy, baselineMacroF1: b!.cv.macroF1,
    trainSPerFold: foldsOf(a!).reduce((x, f) => x + f.trainMs, 0) / foldsOf(a!).length / 1000,
    inferPerS: (foldsOf(a!).reduce((x, f) => x + f.testSize, 0) / foldsOf(a!).reduce((x, f) => x + f.predictMs, 0)) * 1000,
  };
  console.log(
    `\nmacro-F1 ${pct(a!.cv.macroF1)} vs ${pct(b!.cv.macroF1)} (×${(a!.cv.macroF1 / b!.cv.macroF1).toFixed(2)}), ` +
      `accuracy ${pct(a!.cv.accuracy)} vs ${pct(b!.cv.accuracy)}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
  );
  if (perClass) {
    console.log('\nper label (pooled out-of-fold predictions): F1 %, precision %, recall %\n');
    const by = (r: Run, label: string) => r.cv.pooled.perClass.find((m) => m.label === label);
    console.log(
      table(
        ['label', 'support', 'logreg F1', 'P', 'R', 'baseline F1', 'P', 'R'],
        labels.map((m) => {
          const x = by(a!, m.label)!;
          const y = by(b!, m.label);
          return [m.label, String(m.support), pct(x.f1), pct(x.precision), pct(x.recall), pct(y?.f1 ?? 0), pct(y?.precision ?? 0), pct(y?.recall ?? 0)];
        }),
      ),
    );
  }
  return headline;
}

export default async function run(args: string[]): Promise<void> {
  const folds = numberOption(args, 'folds', 5);
  const seed = numberOption(args, 'seed', 1);
  const minClassCount = numberOption(args, 'min-class', 20);
  const perClass = args.includes('--per-class');
  const extraWeights = (values(args, 'class-weight')[0] ?? '').split(',').filter(Boolean) as ClassWeight[];
  for (const w of extraWeights) if (!['balanced', 'sqrt', 'none'].includes(w)) throw new Error(`--class-weight: balanced, sqrt or none, not ${w}`);
  const [csv] = values(args, 'csv');
  const file = csv ?? DEFAULT_CSV;
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const textCol = values(args, 'text-col')[0] ?? '留言';
  const labelCols = values(args, 'label-col');
  if (labelCols.length === 0) {
    if (csv) throw new Error('--csv needs --label-col');
    labelCols.push('问题领域', '问题类型');
  }
  const t0 = performance.now();
  defaultSegmenter();
  console.log(`intel: segmenter ready in ${(performance.now() - t0).toFixed(0)} ms (jieba + Shenzhen dictionary); Node ${process.version}, one thread`);
  const headlines = labelCols.map((labelCol) => report(file, textCol, labelCol, folds, { seed, minClassCount }, perClass, extraWeights));
  if (csv) return;

  // The bureau classifier behind routing suggestions: the small real routing set (question → handling agency).
  if (existsSync(ROUTING_CSV)) headlines.push(report(ROUTING_CSV, '用户问题', '处理单位', folds, { seed, minClassCount: 10 }, perClass, []));

  console.log('\n## address → unit (exact unit, "no Shenzhen place" counted when nothing resolves)');
  const dev = addressAccuracy(ADDRESS_CASES);
  const held = addressAccuracy(ADDRESS_HOLDOUT);
  console.log(`development set ${dev.correct}/${dev.total} (${pct(dev.correct / dev.total)} %), held-out set ${held.correct}/${held.total} (${pct(held.correct / held.total)} %)`);
  for (const m of held.misses) console.log(`  held-out miss: ${m}`);

  const dupCases = numberOption(args, 'dup-cases', 1_000_000, 0);
  let dup: Awaited<ReturnType<typeof duplicateLatency>> | null = null;
  if (dupCases > 0) {
    console.log(`\n## similar/duplicate look-up against ${dupCases.toLocaleString('en')} cases on PostgreSQL (--dup-cases 0 skips)`);
    dup = await duplicateLatency({ cases: dupCases, lookups: numberOption(args, 'dup-lookups', 2000) });
  }

  console.log('\n## summary');
  for (const h of headlines) {
    console.log(`${h.what}: accuracy ${pct(h.accuracy)} %, macro-F1 ${pct(h.macroF1)} % (bag-of-words NB baseline ${pct(h.baselineAccuracy)} % / ${pct(h.baselineMacroF1)} %, ×${(h.macroF1 / h.baselineMacroF1).toFixed(2)} macro-F1); ` +
      `training ${h.trainSPerFold.toFixed(2)} s/fold; inference ${h.inferPerS.toFixed(0)} messages/s`);
  }
  console.log(`address → unit: held-out ${held.correct}/${held.total} (${pct(held.correct / held.total)} %), development ${dev.correct}/${dev.total}`);
  if (dup) console.log(`duplicate look-up at ${dup.cases.toLocaleString('en')} cases: p50 ${dup.p50.toFixed(2)} ms, p95 ${dup.p95.toFixed(2)} ms, p99 ${dup.p99.toFixed(2)} ms (goal p95 ≤ 10 ms)`);
}
