import { describe, expect, it } from 'vitest';
import { GAZETTEER } from './gazetteer.ts';
import { buildAddressIndex, HIGH_CONFIDENCE, resolveAddress } from './address.ts';
import { ADDRESS_CASES } from './address-cases.ts';
import { loadShenzhenPlaces } from './segment.ts';

const rows = loadShenzhenPlaces();
const byCode = new Map(rows.map((r) => [r.code, r]));
/** `district/name` of a unit code. */
function label(code: string): string {
  let d = byCode.get(code)!;
  const name = d.name;
  while (d.kind !== 'district') d = byCode.get(d.parentCode!)!;
  return `${d.name}/${name}`;
}

/** Accuracy of the resolver over the test set (exact unit, null included). */
export function addressAccuracy() {
  const misses: string[] = [];
  for (const [text, expected] of ADDRESS_CASES) {
    const r = resolveAddress(text);
    const got = r ? label(r.unitCode) : null;
    if (got !== expected) misses.push(`${text}: ${got} ≠ ${expected}`);
  }
  return { total: ADDRESS_CASES.length, correct: ADDRESS_CASES.length - misses.length, misses };
}

describe('resolveAddress', () => {
  it('resolves the issue examples', () => {
    expect(resolveAddress('光明区玉塘街道田寮社区')).toMatchObject({ name: '田寮社区', kind: 'community', matched: ['光明区', '玉塘街道', '田寮社区'] });
    expect(resolveAddress('光明区玉塘街道田寮社区')!.confidence).toBeGreaterThanOrEqual(HIGH_CONFIDENCE);
    expect(resolveAddress('龙岗区南湾街道布沙路58号天桥下')).toMatchObject({ name: '南湾街道', kind: 'street' });
    expect(resolveAddress('福田区华强北')).toMatchObject({ name: '华强北街道', kind: 'street', matched: ['福田区', '华强北'] });
  });

  it('keeps an ambiguous community name at low confidence without its street', () => {
    const r = resolveAddress('新围社区');
    expect(r === null || r.confidence < HIGH_CONFIDENCE).toBe(true);
    expect(resolveAddress('罗湖区东湖街道布心社区')!.confidence).toBeGreaterThanOrEqual(HIGH_CONFIDENCE);
  });

  it('lowers confidence when the text names two districts', () => {
    const r = resolveAddress('福田区南湾街道');
    expect(r!.confidence).toBeLessThan(HIGH_CONFIDENCE);
  });

  it('names no unit for text outside Shenzhen', () => {
    expect(resolveAddress('今天天气很好')).toBeNull();
  });

  it('every gazetteer entry names a real unit', () => {
    expect(() => buildAddressIndex(rows, GAZETTEER)).not.toThrow();
    expect(() => buildAddressIndex(rows, [['某地', '福田区', '不存在街道']])).toThrow(/names no unit/);
  });

  it(`resolves at least 90 % of the ${ADDRESS_CASES.length}-address test set`, () => {
    const a = addressAccuracy();
    expect(ADDRESS_CASES.length).toBeGreaterThanOrEqual(40);
    expect(a.misses).toEqual([]);
  });
});
