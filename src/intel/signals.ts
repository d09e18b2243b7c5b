/**
 * Weak signals (弱信号): a day's count of requests per (area unit, category) compared with the
 * series' own baseline over the preceding window. The baseline is the window's daily mean (with
 * a small prior so an empty history is not a zero rate); a count alerts when its Poisson upper
 * tail P(X ≥ count | baseline) is below `alpha` and it reaches `minCount` (single cases never
 * alert). Pure: no clock, no database.
 */

export interface SignalSeries {
  unitCode: string;
  category: string;
  /** Daily counts of the window before `day`, oldest first (missing days as 0). */
  history: readonly number[];
  /** The count of `day`. */
  count: number;
}

export interface SignalOptions {
  /** Tail probability below which a count alerts (default 0.001). */
  alpha?: number;
  /** Smallest count that may alert (default 5). */
  minCount?: number;
  /** Added to the window's total before averaging, so an empty history has a small rate (default 0.5). */
  prior?: number;
  /** The category's display name in the explanation (default: the code). */
  label?: (category: string) => string;
}

export interface SignalAlert {
  unitCode: string;
  category: string;
  day: string;
  count: number;
  /** Daily mean of the window. */
  baseline: number;
  /** Smallest count that would have alerted. */
  threshold: number;
  /** −log10 of the tail probability. */
  score: number;
  pValue: number;
  explanation: string;
}

/** log(n!) by summation (counts are small) with Stirling beyond 170. */
function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n > 170) return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n);
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** P(X ≥ k) for X ~ Poisson(lambda), summed from k upwards (accurate for tiny tails). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
    if (term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/** The smallest count whose upper tail is below alpha, at least minCount. */
export function poissonThreshold(lambda: number, alpha: number, minCount: number): number {
  let k = Math.max(1, minCount);
  while (poissonUpperTail(k, lambda) >= alpha) k++;
  return k;
}

const fmt = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

/** Evaluates each series on `day`; returns the alerts, highest score first. */
export function detectSignals(series: readonly SignalSeries[], day: string, opts: SignalOptions = {}): SignalAlert[] {
  const alpha = opts.alpha ?? 0.001, minCount = opts.minCount ?? 5, prior = opts.prior ?? 0.5;
  const alerts: SignalAlert[] = [];
  for (const s of series) {
    if (s.count < minCount) continue;
    const n = s.history.length;
    const total = s.history.reduce((a, b) => a + Math.max(0, b), 0);
    const baseline = n === 0 ? 0 : total / n;
    const lambda = (total + prior) / Math.max(1, n);
    const pValue = poissonUpperTail(s.count, lambda);
    if (pValue >= alpha) continue;
    const ratio = s.count / Math.max(baseline, 1 / Math.max(1, n));
    alerts.push({
      unitCode: s.unitCode, category: s.category, day, count: s.count,
      baseline, threshold: poissonThreshold(lambda, alpha, minCount),
      score: -Math.log10(Math.max(pValue, Number.MIN_VALUE)), pValue,
      explanation: `${opts.label?.(s.category) ?? s.category} 诉求异常上升（近${n}日日均 ${fmt(baseline)} 件，今日 ${s.count} 件，超出 ${fmt(ratio)} 倍）`,
    });
  }
  return alerts.sort((a, b) => b.score - a.score || (a.unitCode < b.unitCode ? -1 : 1));
}
