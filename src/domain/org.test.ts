import { describe, expect, it } from 'vitest';
import shenzhen from '../store/seed/shenzhen.json' with { type: 'json' };
import { BUREAUS } from '../store/seed/bureaus.ts';
import { buildUnits, descendantsOf, isWithin, makeSite, type SeedUnit, type Unit, type UnitKind } from './org.ts';

const row = (code: string, kind: UnitKind, parentCode: string | null, extra: Partial<SeedUnit> = {}): SeedUnit =>
  ({ code, name: code, kind, parentCode, ...extra });

const TREE: SeedUnit[] = [
  row('C1', 'community', 'S1'),
  row('S2', 'street', 'D'),
  row('S1', 'street', 'D'),
  row('D', 'district', 'X'),
  row('X', 'city', null),
  row('B', 'bureau', 'X'),
  row('B-1', 'branch', 'B'),
  row('B-1-01', 'station', 'B-1'),
];
const units = buildUnits(TREE);
const unit = (code: string): Unit => units.find((u) => u.code === code)!;

describe('buildUnits', () => {
  it.each([
    ['X', ['X']],
    ['D', ['X', 'D']],
    ['S1', ['X', 'D', 'S1']],
    ['C1', ['X', 'D', 'S1', 'C1']],
    ['B-1-01', ['X', 'B', 'B-1', 'B-1-01']],
  ])('ancestors of %s', (code, ancestors) => {
    expect(unit(code).ancestors).toEqual(ancestors);
  });

  it('puts parents before children', () => {
    const seen = new Set<string>();
    for (const u of units) {
      if (u.parentCode) expect(seen.has(u.parentCode)).toBe(true);
      seen.add(u.code);
    }
  });

  it.each<[string, SeedUnit[], RegExp]>([
    ['a site under a street', [row('X', 'city', null), row('D', 'district', 'X'), row('S', 'street', 'D'), row('P', 'site', 'S', { siteType: 'estate' })], /site may not sit under a street/],
    ['a missing parent', [row('X', 'city', null), row('D', 'district', 'Y')], /parent Y does not exist/],
    ['a root that is not a city', [row('D', 'district', null)], /only a city may be a root/],
    ['a duplicate code', [row('X', 'city', null), row('X', 'city', null)], /duplicate code/],
    ['an unknown kind', [row('X', 'town' as UnitKind, null)], /unknown kind 'town'/],
    ['a site without a type', [row('X', 'city', null), row('D', 'district', 'X'), row('S', 'street', 'D'), row('C', 'community', 'S'), row('P', 'site', 'C')], /needs a site type/],
    ['a site type on a street', [row('X', 'city', null), row('D', 'district', 'X'), row('S', 'street', 'D', { siteType: 'park' })], /only a site has a site type/],
    ['a cycle', [row('X', 'city', null), row('A', 'branch', 'B'), row('B', 'branch', 'A')], /cycle|may not sit under/],
  ])('refuses %s', (_, rows, message) => {
    expect(() => buildUnits(rows)).toThrow(message);
  });

  it('accepts a site under a community', () => {
    const built = buildUnits([...TREE, row('P', 'site', 'C1', { siteType: 'construction' })]);
    expect(built.find((u) => u.code === 'P')).toMatchObject({ siteType: 'construction', ancestors: ['X', 'D', 'S1', 'C1', 'P'] });
  });
});

describe('isWithin and descendantsOf', () => {
  it.each([
    ['C1', 'S1', true],
    ['C1', 'S2', false],
    ['S1', 'S1', true],
    ['S1', 'S2', false],
    ['S2', 'D', true],
    ['B-1-01', 'D', false],
    ['B-1-01', 'X', true],
  ])('%s within %s: %s', (code, root, expected) => {
    expect(isWithin(unit(code), root)).toBe(expected);
  });

  it.each([
    ['S1', ['C1']],
    ['S2', []],
    ['D', ['C1', 'S1', 'S2']],
    ['B', ['B-1', 'B-1-01']],
  ])('descendants of %s', (code, expected) => {
    expect(descendantsOf(units, code).map((u) => u.code).sort()).toEqual(expected);
  });
});

describe('makeSite', () => {
  const community = unit('C1');

  it.each<[string[], string]>([
    [[], 'C1-S1'],
    [['C1-S1'], 'C1-S2'],
    [['C1-S1', 'C1-S7', 'C1-Sx', 'C2-S9'], 'C1-S8'],
    [['C1-S2'], 'C1-S3'],
  ])('numbers after %j as %s', (existing, code) => {
    expect(makeSite(community, { name: '某小区', siteType: 'estate' }, existing).code).toBe(code);
  });

  it('builds a site below the community', () => {
    expect(makeSite(community, { name: ' 某工地 ', siteType: 'construction' }, [])).toEqual({
      code: 'C1-S1', name: '某工地', kind: 'site', parentCode: 'C1', siteType: 'construction', ancestors: ['X', 'D', 'S1', 'C1', 'C1-S1'],
    });
  });

  it.each<[string, Unit, Parameters<typeof makeSite>[1], string[], RegExp]>([
    ['a street parent', unit('S1'), { name: '某小区', siteType: 'estate' }, [], /under a community, not a street/],
    ['an empty name', community, { name: '  ', siteType: 'estate' }, [], /name: must be 1-60/],
    ['a 61-character name', community, { name: '园'.repeat(61), siteType: 'estate' }, [], /name: must be 1-60/],
    ['an unknown site type', community, { name: '某小区', siteType: 'mall' as 'estate' }, [], /siteType: must be one of/],
    ['a malformed code', community, { code: 'a b', name: '某小区', siteType: 'estate' }, [], /code: must be/],
    ['a taken code', community, { code: 'C1-S1', name: '某小区', siteType: 'estate' }, ['C1-S1'], /already in use/],
  ])('refuses %s', (_, parent, input, existing, message) => {
    expect(() => makeSite(parent, input, existing)).toThrow(message);
  });

  it('accepts a 60-character name', () => {
    expect(makeSite(community, { name: '园'.repeat(60), siteType: 'park' }, []).name).toHaveLength(60);
  });
});

describe('the Shenzhen seed', () => {
  const all = buildUnits([...(shenzhen as SeedUnit[]), ...BUREAUS]);
  const ofKind = (kind: UnitKind) => all.filter((u) => u.kind === kind);

  it.each<[UnitKind, number]>([
    ['city', 1],
    ['district', 9],
    ['street', 79],
    ['community', 788],
    ['bureau', 11],
    // A branch per district, and the traffic police (交警局).
    ['branch', 10],
    ['station', 6],
    ['site', 0],
  ])('has %s × %i', (kind, n) => {
    expect(ofKind(kind)).toHaveLength(n);
  });

  it('uses 6-, 9- and 12-digit national codes', () => {
    const digits: Partial<Record<UnitKind, number>> = { district: 6, street: 9, community: 12 };
    for (const u of all) {
      const n = digits[u.kind];
      if (n) expect(u.code).toMatch(new RegExp(`^\\d{${n}}$`));
    }
  });

  it('places 玉塘街道 in 光明区 with 田寮社区 in it', () => {
    const yutang = all.find((u) => u.code === '440311005');
    expect(yutang).toMatchObject({ name: '玉塘街道', kind: 'street', ancestors: ['4403', '440311', '440311005'] });
    expect(all.find((u) => u.code === '440311')?.name).toBe('光明区');
    expect(descendantsOf(all, '440311005').map((u) => u.name)).toContain('田寮社区');
  });

  it('keeps 大鹏 streets under 龙岗区', () => {
    expect(all.find((u) => u.name === '大鹏街道')?.parentCode).toBe('440307');
  });

  it('places 玉塘派出所 under 光明分局 of 公安局', () => {
    expect(all.find((u) => u.name === '玉塘派出所')?.ancestors).toEqual(['4403', '4403-GA', '4403-GA-440311', '4403-GA-440311-01']);
  });
});
