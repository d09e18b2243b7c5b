import { describe, expect, it } from 'vitest';
import { estimatedSimilarity, jaccard, rankCandidates, sameArea, signature } from './similar.ts';

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
});
