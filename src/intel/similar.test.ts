import { describe, expect, it } from 'vitest';
import {
  bucketOf, bucketsBetween, estimatedSimilarity, jaccard, keyArea, lshKeys, packMinhash, probeKeys, rankCandidates, sameArea, signature, unpackMinhash,
} from './similar.ts';

const a = '南山区粤海街道科技园社区高新南七道路灯连续三晚不亮，晚上行人很危险';
const b = '高新南七道的路灯已经连续三个晚上不亮了，行人很危险，请处理';
const c = '罗湖区东门步行街有商户占道经营，噪音很大';

describe('similar-request signatures', () => {
  it('is deterministic and 32 values / 16 int4 bands', () => {
    const s = signature(a);
    expect(s).toEqual(signature(a));
    expect(s.minhash).toHaveLength(32);
    expect(s.bands).toHaveLength(16);
    for (const v of s.bands) expect(v).toBe(v | 0);
  });

  it('estimates Jaccard: paraphrases high, other matters low', () => {
    const ab = estimatedSimilarity(signature(a).minhash, signature(b).minhash);
    const ac = estimatedSimilarity(signature(a).minhash, signature(c).minhash);
    expect(jaccard(a, b)).toBeGreaterThan(0.3);
    expect(ab).toBeGreaterThan(0.3);
    expect(ac).toBeLessThan(0.1);
    expect(signature(a).bands.some((x, i) => x === signature(b).bands[i])).toBe(true);
  });

  it('packs a MinHash into 128 bytes and back', () => {
    const { minhash } = signature(a);
    const packed = packMinhash(minhash);
    expect(packed.byteLength).toBe(128);
    expect(unpackMinhash(packed)).toEqual(minhash);
    // Big-endian, as PostgreSQL's int4send writes an int4.
    expect([...packMinhash([1, -1])]).toEqual([0, 0, 0, 1, 255, 255, 255, 255]);
  });

  it('ignores masks, width and spacing', () => {
    expect(signature('路灯不亮 １３８＊＊＊＊５６７８').minhash).toEqual(signature('路灯不亮 138***5678').minhash);
  });

  it('compares areas along the tree', () => {
    expect(sameArea('440305', '440305007')).toBe(true);
    expect(sameArea('4403', '440303001')).toBe(true);
    expect(sameArea('440303', '440305')).toBe(false);
  });

  it('ranks candidates in the same area above the threshold', () => {
    const sig = signature(a);
    const at = new Date('2026-11-01');
    const r = rankCandidates(sig, '440305', [
      { caseId: 'b', areaCode: '440305007', createdAt: at, minhash: signature(b).minhash },
      { caseId: 'b-elsewhere', areaCode: '440303', createdAt: at, minhash: signature(b).minhash },
      { caseId: 'c', areaCode: '440305', createdAt: at, minhash: signature(c).minhash },
    ]);
    expect(r.map((x) => x.caseId)).toEqual(['b']);
  });

  it('keys carry the bucket in the high 32 bits and the scoped band in the low 32', () => {
    const { bands } = signature(a);
    const at = new Date('2026-11-20T08:00:00Z');
    const keys = lshKeys(bands, keyArea('440305007003'), bucketOf(at));
    expect(keys).toHaveLength(16);
    for (const k of keys) {
      expect(Number.isSafeInteger(k)).toBe(true);
      expect(Math.floor(k / 2 ** 32)).toBe(bucketOf(at));
    }
    // Same text, another street or another fortnight: no key in common.
    expect(lshKeys(bands, '440305008', bucketOf(at)).filter((k) => keys.includes(k))).toEqual([]);
    expect(lshKeys(bands, '440305007', bucketOf(at) - 1).filter((k) => keys.includes(k))).toEqual([]);
  });

  it('a look-up probes every bucket of its window, in each of its areas', () => {
    const now = new Date('2026-11-27T02:00:00Z');
    const since = new Date(+now - 30 * 86_400_000);
    const buckets = bucketsBetween(since, now);
    expect(buckets[0]).toBe(bucketOf(now));
    expect(buckets.at(-1)).toBe(bucketOf(since));
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    const { bands } = signature(b);
    const stored = lshKeys(bands, '440305', bucketOf(new Date(+since + 3_600_000)));
    const probe = probeKeys(signature(a).bands, ['440305007', '440305', '4403'], buckets);
    expect(probe).toHaveLength(16 * 3 * buckets.length);
    expect(stored.some((k) => probe.includes(k))).toBe(true);
  });
});
