import { describe, expect, it } from 'vitest';
import { rng } from './classifier.ts';
import { detectSignals, poissonThreshold, poissonUpperTail, type SignalSeries } from './signals.ts';

const DAY = '2026-11-27';
const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

/** Poisson draw by Knuth's method. */
function poisson(rand: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rand(); } while (p > l);
  return k - 1;
}

describe('poisson tail', () => {
  it.each([
    [0, 2, 1],
    [1, 1, 1 - Math.exp(-1)],
    [2, 1, 1 - 2 * Math.exp(-1)],
    [3, 0.5, 1 - Math.exp(-0.5) * (1 + 0.5 + 0.125)],
  ])('P(X ≥ %i | λ=%f) = %f', (k, lambda, p) => {
    expect(poissonUpperTail(k, lambda)).toBeCloseTo(p, 10);
  });
  it('is tiny but positive far in the tail, and thresholds grow with the rate', () => {
    const p = poissonUpperTail(40, 2);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-20);
    expect(poissonThreshold(0.1, 0.001, 5)).toBe(5);
    expect(poissonThreshold(3, 0.001, 5)).toBeGreaterThan(poissonThreshold(1, 0.001, 5));
  });
});

describe('detectSignals', () => {
  const one = (history: number[], count: number): SignalSeries[] => [{ unitCode: 'U', category: 'streetlight', history, count }];
  it.each<[string, number[], number, boolean]>([
    ['flat 3 a day, 4 today', flat(28, 3), 4, false],
    ['flat 3 a day, 15 today', flat(28, 3), 15, true],
    ['empty history, 4 today: under the minimum count', flat(28, 0), 4, false],
    ['empty history, 5 today', flat(28, 0), 5, true],
    ['single case never alerts', flat(28, 0), 1, false],
    ['busy series 20 a day, 28 today: within its noise', flat(28, 20), 28, false],
    ['busy series 20 a day, 45 today', flat(28, 20), 45, true],
    ['no history, 3 today', [], 3, false],
  ])('%s', (_name, history, count, alert) => {
    expect(detectSignals(one(history, count), DAY).length).toBe(alert ? 1 : 0);
  });

  it('explains an alert', () => {
    const [a] = detectSignals(one(flat(28, 1), 12), DAY);
    expect(a).toMatchObject({ unitCode: 'U', category: 'streetlight', day: DAY, count: 12, baseline: 1 });
    expect(a!.threshold).toBeLessThanOrEqual(12);
    expect(a!.score).toBeGreaterThan(3);
    expect(a!.explanation).toContain('近28日日均 1.0 件，今日 12 件，超出 12.0 倍');
  });

  it('finds exactly the injected spike in seeded Poisson data, and nothing in the flat series', () => {
    const rand = rng(20261127);
    const series: SignalSeries[] = [];
    for (let u = 0; u < 20; u++) {
      for (const [c, lambda] of [['streetlight', 0.5], ['noise', 2], ['garbage', 4], ['traffic', 8]] as const) {
        const days = Array.from({ length: 29 }, () => poisson(rand, lambda));
        series.push({ unitCode: `S${u}`, category: c, history: days.slice(0, 28), count: days[28]! });
      }
    }
    expect(detectSignals(series, DAY)).toEqual([]);
    const target = series.findIndex((s) => s.unitCode === 'S7' && s.category === 'garbage');
    const spiked = series.map((s, i) => (i === target ? { ...s, count: s.count + 12 } : s));
    const alerts = detectSignals(spiked, DAY);
    expect(alerts.map((a) => [a.unitCode, a.category])).toEqual([['S7', 'garbage']]);
  });
});
