import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { describe, expect, it } from 'vitest';
import { defaultSegmenter, nameVariants, placeNames, Segmenter } from './segment.ts';

const seg = defaultSegmenter();

describe('domain dictionary', () => {
  it('name variants: with and without suffix, split at an inner 社区, no 深圳市 prefix', () => {
    expect(nameVariants('玉塘街道')).toEqual([['玉塘街道'], ['玉塘']]);
    expect(nameVariants('田寮社区')).toEqual([['田寮社区'], ['田寮']]);
    expect(nameVariants('光明区')).toEqual([['光明区'], ['光明']]);
    expect(nameVariants('凤凰社区平湖墟居委会')).toEqual([
      ['凤凰社区', '平湖墟居委会'],
      ['凤凰', '平湖墟'],
    ]);
    expect(nameVariants('深圳市宝安国际机场')[0]).toEqual(['宝安国际机场']);
    // The kind picks the suffix: a street-level 保税区 keeps its 区.
    expect(nameVariants('福田保税区', 'street')).toEqual([['福田保税区'], []]);
    expect(nameVariants('罗湖区', 'district')).toEqual([['罗湖区'], ['罗湖']]);
    expect(nameVariants('桂园街道', 'community')).toEqual([['桂园街道'], []]);
    // No one-character bare names.
    expect(nameVariants('南社区')).toEqual([['南社区'], []]);
  });

  it('reads the Shenzhen seed', () => {
    const [full, bare] = placeNames();
    expect(full).toContain('玉塘街道');
    expect(full).toContain('田寮社区');
    expect(full).toContain('罗湖区');
    expect(bare).toContain('玉塘');
    expect(full).not.toContain('深圳市');
  });

  it('plain jieba splits the names the dictionary keeps whole', () => {
    const plain = Jieba.withDict(dict);
    expect(plain.cut('玉塘街道田寮社区')).not.toContain('玉塘街道');
    expect(seg.cut('玉塘街道田寮社区')).toEqual(['玉塘街道', '田寮社区']);
  });
});

describe('Segmenter', () => {
  it('keeps place names and government terms as tokens', () => {
    const tokens = seg.tokens('我住在光明区玉塘街道田寮社区，网格员说这件事接诉即办，农民工被拖欠工资，打了12345。');
    for (const t of ['光明区', '玉塘街道', '田寮社区', '网格员', '接诉即办', '农民工', '拖欠工资', '12345']) {
      expect(tokens, t).toContain(t);
    }
  });

  it('finds bare names too', () => {
    expect(seg.tokens('田寮的路灯坏了')).toContain('田寮');
    expect(seg.tokens('坂田街道杨美社区嘉丽园居委会')).toEqual(['坂田街道', '杨美社区', '嘉丽园居委会']);
  });

  it('drops punctuation, whitespace, masks, stop words and long numbers; lower-cases ASCII', () => {
    const tokens = seg.tokens('\r\n\t您好！*****区****号楼的ＡＢＣ公司，电话13812345678。');
    expect(tokens).toEqual(['您好', '区', '号楼', 'abc', '公司', '电话']);
  });

  it('cut() keeps everything, normalised', () => {
    expect(seg.cut('ＡＢ，**号').join('|')).toBe('AB|,|＊|号');
  });

  it('extracts keywords', () => {
    const words = seg.keywords('玉塘街道田寮社区的农民工被拖欠工资，希望尽快解决拖欠工资问题', 3).map((k) => k.keyword);
    expect(words).toContain('拖欠工资');
    expect(words.length).toBe(3);
  });

  it('takes its own places, terms and stop words', () => {
    const custom = new Segmenter({
      places: [{ code: '1', name: '示例街道', kind: 'street', parentCode: null }],
      terms: ['诉求直达'],
      stopWords: ['我'],
    });
    expect(custom.tokens('我到示例街道反映诉求直达')).toEqual(['到', '示例街道', '反映', '诉求直达']);
    expect(custom.tokens('玉塘街道')).not.toContain('玉塘街道');
  });
});
