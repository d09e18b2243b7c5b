import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasWordChar, isWordChar, MASK, normalize, toHalfWidth } from './normalize.ts';

describe('toHalfWidth', () => {
  it.each([
    ['ＡＢＣ１２３', 'ABC123'],
    ['ｗｗｗ．１２３４５．ｇｏｖ', 'www.12345.gov'],
    ['你好，请问！（急）', '你好,请问!(急)'],
    ['１００％；～', '100%;~'],
    ['中\u3000文', '中 文'],
    ['。、「」', '。、「」'], // not in the ASCII block: unchanged
    ['plain ascii', 'plain ascii'],
  ])('%j → %j', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });
});

describe('normalize', () => {
  it.each([
    ['\r\n\t\t我是*****区****号楼的住户。\r\n', `我是${MASK}区${MASK}号楼的住户。`],
    ['地铁**号线****岭站', `地铁${MASK}号线${MASK}岭站`],
    ['*', MASK],
    ['＊＊＊先生', `${MASK}先生`],
    ['第一行\r\n\r\n第二行\t\t第三行', '第一行 第二行 第三行'],
    ['  多个   空格  ', '多个 空格'],
    ['Ｅｍａｉｌ：ａ＠ｂ．ｃｎ', 'Email:a@b.cn'],
    ['零\u200B宽\uFEFF字符', '零宽字符'],
    ['\u00A0不间断\u3000空格 ', '不间断 空格'],
    ['', ''],
    [' \r\n\t ', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('takes another mask token', () => {
    expect(normalize('****区', { mask: '[MASK]' })).toBe('[MASK]区');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '＊', ' ', '\n', '\t', '\u3000', 'Ａ', '１', '，', '中', 'a', '。') }), (s) => {
        const once = normalize(s);
        expect(normalize(once)).toBe(once);
      }),
    );
  });
});

describe('isWordChar', () => {
  it('knows letters and digits from punctuation', () => {
    for (const ch of ['中', '龍', 'a', 'Z', '7', 'é']) expect(isWordChar(ch.charCodeAt(0)), ch).toBe(true);
    for (const ch of [' ', ',', '，', '。', '*', MASK, '(', '—', '\n']) expect(isWordChar(ch.charCodeAt(0)), ch).toBe(false);
    expect(hasWordChar('!!a')).toBe(true);
    expect(hasWordChar('，。')).toBe(false);
  });
});
