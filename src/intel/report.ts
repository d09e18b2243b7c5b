/** Plain-text reports of classifier figures for the CLI (and anything else that prints them). */
import type { CrossValidation, Evaluation } from './classifier.ts';

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - displayWidth(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - displayWidth(s))) + s;

/** A table with the first `left` columns left-aligned and the rest right-aligned. */
export function textTable(header: string[], rows: string[][], left = 1): string {
  const widths = header.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (cells: string[]) => cells.map((x, c) => (c < left ? padEnd(x, widths[c]!) : padStart(x, widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const pct = (x: number) => (100 * x).toFixed(1);

/** Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix (rows: truth). */
export function evaluationReport(e: Evaluation, cv?: Pick<CrossValidation, 'k' | 'accuracyStd' | 'macroF1Std' | 'accuracy' | 'macroF1'>): string {
  const head = cv
    ? `${cv.k}-fold cross-validation: accuracy ${pct(cv.accuracy)} % ± ${pct(cv.accuracyStd)}, macro-F1 ${pct(cv.macroF1)} % ± ${pct(cv.macroF1Std)} (pooled: accuracy ${pct(e.accuracy)} %, macro-F1 ${pct(e.macroF1)} %, weighted-F1 ${pct(e.weightedF1)} %)`
    : `accuracy ${pct(e.accuracy)} %, macro-F1 ${pct(e.macroF1)} %, weighted-F1 ${pct(e.weightedF1)} % over ${e.samples} samples`;
  const classes = e.perClass.filter((m) => m.support > 0 || e.confusion.matrix.some((r) => r[e.confusion.labels.indexOf(m.label)]! > 0));
  const per = textTable(['label', 'precision %', 'recall %', 'F1 %', 'support'],
    classes.map((m) => [m.label, pct(m.precision), pct(m.recall), pct(m.f1), String(m.support)]));
  const idx = classes.map((m) => e.confusion.labels.indexOf(m.label));
  const confusion = textTable(['truth \\ predicted', ...idx.map((_, j) => String(j + 1))],
    idx.map((i, r) => [`${r + 1} ${e.confusion.labels[i]}`, ...idx.map((j) => String(e.confusion.matrix[i]![j]))]));
  return `${head}\n\n${per}\n\nconfusion matrix (columns numbered as the rows):\n${confusion}`;
}
