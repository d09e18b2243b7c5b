/**
 * Clustering common problems: a planted cluster among noise (real citizen messages in other
 * categories, and street-light complaints about other places in every street), the same texts in
 * another street kept apart,
 * known problems seeding the next run, determinism, and the key terms and weekly counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OTHER_LIGHTS, TIANLIAO } from '../../test/fixtures/problem-texts.ts';
import { parseCsv } from './csv.ts';
import { chinaWeek, clusterProblems, type ClusterCase, type KnownProblem } from './problems.ts';

const MESSAGES = new URL('../../../shared/data/msgabench-citizen-messages.csv', import.meta.url);
const YUTANG = '440311005', GUANGMING = '440311001';
const NOW = Date.parse('2026-11-27T02:00:00Z');
const DAY = 86_400_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The planted cases: one every ~1.7 days over the last three weeks, at a community of the street. */
const planted = (prefix: string, street: string): ClusterCase[] => TIANLIAO.map((text, i) => ({
  id: `${prefix}${String(i).padStart(2, '0')}`, category: 'streetlight', areaCode: `${street}003`,
  createdAt: new Date(NOW - (21 - i * 1.7) * DAY), text,
}));

function noise(): ClusterCase[] {
  expect(existsSync(MESSAGES), fileURLToPath(MESSAGES)).toBe(true);
  const texts = parseCsv(readFileSync(MESSAGES, 'utf8')).slice(1).map((r) => r[0]!.trim()).filter(Boolean);
  const random = rng(11);
  const categories = ['road_damage', 'noise', 'garbage'];
  const streets = [YUTANG, GUANGMING, '440311002', '440311003', '440311004', '440306017', '440306018', '440304001'];
  const cases: ClusterCase[] = texts.slice(0, 800).map((text, i) => ({
    id: `n${String(i).padStart(4, '0')}`, category: categories[Math.floor(random() * categories.length)]!,
    areaCode: `${streets[Math.floor(random() * streets.length)]}00${1 + Math.floor(random() * 4)}`,
    createdAt: new Date(NOW - random() * 56 * DAY), text,
  }));
  streets.forEach((street, s) => OTHER_LIGHTS.forEach((text, i) => cases.push({
    id: `o${s}${i}`, category: 'streetlight', areaCode: `${street}002`, createdAt: new Date(NOW - (5 + i * 5 + s) * DAY), text,
  })));
  return cases;
}

describe('clusterProblems', () => {
  const base = [...noise(), ...planted('p', YUTANG), ...planted('q', GUANGMING)];
  const result = clusterProblems(base, { areaName: (c) => ({ [YUTANG]: '玉塘街道', [GUANGMING]: '光明街道' })[c] ?? c, categoryName: (c) => (c === 'streetlight' ? '路灯故障' : c) });

  it('proposes exactly the planted clusters, one per street, and nothing from the noise', () => {
    expect(result.proposals.map((p) => [p.areaCode, p.category, p.caseIds]).sort()).toEqual([
      [GUANGMING, 'streetlight', planted('q', GUANGMING).map((c) => c.id)],
      [YUTANG, 'streetlight', planted('p', YUTANG).map((c) => c.id)],
    ]);
    expect(result.grown).toEqual([]);
  });

  it('describes a cluster: name from its key terms, first and last seen, weekly counts, central cases, profile', () => {
    const p = result.proposals.find((x) => x.areaCode === YUTANG)!;
    expect(p.caseCount).toBe(12);
    expect(p.name.startsWith('玉塘街道 · 路灯故障 · ')).toBe(true);
    expect(p.keyTerms[0]!.term).toBe('田寮');
    expect(p.keyTerms[0]!.cases).toBe(12);
    // The street's own name says nothing and is left out.
    expect(p.keyTerms.map((t) => t.term)).not.toContain('玉塘街道');
    expect(p.name).toContain('田寮');
    expect(p.firstSeen).toEqual(new Date(NOW - 21 * DAY));
    expect(p.lastSeen).toEqual(planted('p', YUTANG)[11]!.createdAt);
    expect(p.weekly.reduce((a, w) => a + w.count, 0)).toBe(12);
    expect(p.weekly.map((w) => w.week)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(p.representativeIds).toHaveLength(5);
    expect(p.representativeIds.every((id) => p.caseIds.includes(id))).toBe(true);
    expect(p.profile['田寮']).toBe(1);
    expect(p.profile['路灯']).toBeGreaterThan(0.5);
  });

  it('gives the same result whatever the input order', () => {
    const shuffled = [...base];
    const random = rng(5);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(clusterProblems(shuffled).proposals.map((p) => p.caseIds)).toEqual(result.proposals.map((p) => p.caseIds));
  });

  it('a one-week burst or a cluster too small is not proposed', () => {
    const burst = planted('b', YUTANG).map((c, i) => ({ ...c, createdAt: new Date(NOW - 3 * DAY + i * 3_600_000) }));
    expect(clusterProblems([...noise(), ...burst]).proposals).toEqual([]);
    expect(clusterProblems([...noise(), ...planted('s', YUTANG).slice(0, 4)]).proposals).toEqual([]);
    const four = planted('s', YUTANG).slice(0, 4);
    expect(clusterProblems([...noise(), ...four], { minCases: 4, minSpanDays: 3 }).proposals.map((p) => p.caseIds)).toContainEqual(four.map((c) => c.id));
  });

  describe('with known problems', () => {
    const p = result.proposals.find((x) => x.areaCode === YUTANG)!;
    const known = (dismissed: boolean, caseIds = p.caseIds): KnownProblem[] =>
      [{ id: 'P1', category: 'streetlight', areaCode: YUTANG, dismissed, profile: p.profile, caseIds }];
    const later: ClusterCase[] = [
      { id: 'z1', category: 'streetlight', areaCode: `${YUTANG}001`, createdAt: new Date(NOW + DAY), text: '田寮路的路灯晚上又不亮了' },
      { id: 'z2', category: 'streetlight', areaCode: `${YUTANG}003`, createdAt: new Date(NOW + 2 * DAY), text: '田寮路有两盏路灯坏了，晚上很黑' },
      { id: 'z3', category: 'streetlight', areaCode: `${YUTANG}003`, createdAt: new Date(NOW + 2 * DAY), text: '长圳路的路灯不亮' },
      { id: 'z4', category: 'road_damage', areaCode: `${YUTANG}003`, createdAt: new Date(NOW + 3 * DAY), text: '田寮路路灯下面的路面塌了' },
    ];

    it('a re-run proposes nothing new, and later look-alikes of the same category and street join the problem', () => {
      const r = clusterProblems([...base, ...later], { known: known(false) });
      expect(r.proposals.map((x) => x.areaCode)).toEqual([GUANGMING]);
      expect(r.grown.map((g) => [g.problemId, g.added])).toEqual([['P1', ['z1', 'z2']]]);
      expect(r.grown[0]!.cluster.caseCount).toBe(14);
    });

    it('after the window has moved past its cases, the stored profile still catches look-alikes', () => {
      const r = clusterProblems([...noise(), ...later], { known: known(false) });
      expect(r.proposals).toEqual([]);
      expect(r.grown.map((g) => [g.problemId, g.added])).toEqual([['P1', ['z1', 'z2']]]);
    });

    it('a dismissed problem absorbs look-alikes without proposing or linking them', () => {
      const r = clusterProblems([...base, ...later], { known: known(true) });
      expect(r.proposals.map((x) => x.areaCode)).toEqual([GUANGMING]);
      expect(r.grown).toEqual([]);
      expect(r.suppressed).toBe(2);
    });
  });
});

describe('chinaWeek', () => {
  it.each([
    ['2026-11-23T00:00:00+08:00', '2026-11-23'], // Monday 00:00 China time
    ['2026-11-22T15:59:59Z', '2026-11-16'], // Sunday 23:59:59 China time
    ['2026-11-22T16:00:00Z', '2026-11-23'],
    ['2027-01-01T12:00:00+08:00', '2026-12-28'], // across the year
  ])('%s is in the week of %s', (at, week) => expect(chinaWeek(new Date(at))).toBe(week));
});
