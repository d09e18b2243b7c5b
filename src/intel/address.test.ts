import { describe, expect, it } from 'vitest';
import { GAZETTEER } from './gazetteer.ts';
import { buildAddressIndex, HIGH_CONFIDENCE, resolveAddress } from './address.ts';
import { ADDRESS_CASES, ADDRESS_HOLDOUT, addressAccuracy } from './address-cases.ts';
import { loadShenzhenPlaces } from './segment.ts';

const rows = loadShenzhenPlaces();
const byCode = new Map(rows.map((r) => [r.code, r]));

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

  it(`resolves all of the ${ADDRESS_CASES.length}-address development set`, () => {
    const a = addressAccuracy(ADDRESS_CASES);
    expect(ADDRESS_CASES.length).toBeGreaterThanOrEqual(40);
    expect(a.misses).toEqual([]);
  });

  it('every held-out expectation names a real unit (its accuracy is a benchmark figure, not a test)', () => {
    const labels = new Set(rows.filter((r) => r.kind !== 'city').map((r) => {
      let d = r;
      while (d.kind !== 'district') d = byCode.get(d.parentCode!)!;
      return `${d.name}/${r.name}`;
    }));
    for (const [, expected] of ADDRESS_HOLDOUT) if (expected) expect(labels, expected).toContain(expected);
  });
});
