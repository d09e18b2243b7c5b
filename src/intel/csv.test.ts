import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvError, parseCsv, readCsv, readLabelledCsv } from './csv.ts';

describe('parseCsv', () => {
  it.each([
    ['a,b,c', [['a', 'b', 'c']]],
    ['a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['a,b\r1,2', [['a', 'b'], ['1', '2']]],
    ['a,,c\n,,', [['a', '', 'c'], ['', '', '']]],
    ['"x,y",z', [['x,y', 'z']]],
    ['"he said ""hi""",2', [['he said "hi"', '2']]],
    ['"line1\r\nline2\nline3",next\r\nr2,v', [['line1\r\nline2\nline3', 'next'], ['r2', 'v']]],
    ['"",b', [['', 'b']]],
    ['a,""\n', [['a', '']]],
    ['a\n\n\nb', [['a'], ['b']]],
    ['\uFEFF留言,类别\n你好,咨询', [['留言', '类别'], ['你好', '咨询']]],
    ['ab"c,d', [['ab"c', 'd']]],
    ['"a"b,c', [['ab', 'c']]],
    ['', []],
  ])('%j', (text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it('names the line of an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5')).toThrow(/unterminated quoted field starting on line 3/);
  });

  it('takes another delimiter', () => {
    expect(parseCsv('a;"b;c"\n1;2', ';')).toEqual([['a', 'b;c'], ['1', '2']]);
  });
});

describe('readLabelledCsv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'messages.csv');
  writeFileSync(
    file,
    [
      '留言,情感类别,问题领域',
      '"路灯坏了，\r\n晚上很黑",愤怒,城建',
      '孩子上学的学位问题,中性, 教育 ',
      '没有标签的留言,中性,',
      '"只有空格的标签",中性,"  "',
      '"他说""快修""",愤怒,交通',
      ',中性,交通',
    ].join('\r\n') + '\r\n',
  );

  it('returns (text, label) pairs, skipping blank labels and texts, trimming labels', () => {
    expect(readLabelledCsv(file, '留言', '问题领域')).toEqual([
      { text: '路灯坏了，\r\n晚上很黑', label: '城建' },
      { text: '孩子上学的学位问题', label: '教育' },
      { text: '他说"快修"', label: '交通' },
    ]);
  });

  it('names a missing column and lists the columns there are', () => {
    expect(() => readLabelledCsv(file, '留言', '问题类型')).toThrow(CsvError);
    expect(() => readLabelledCsv(file, '留言', '问题类型')).toThrow(/no column "问题类型"; columns are "留言", "情感类别", "问题领域"/);
    expect(() => readLabelledCsv(file, 'text', '问题领域')).toThrow(/messages\.csv: no column "text"/);
  });

  it('reads a header', () => {
    expect(readCsv(file).header).toEqual(['留言', '情感类别', '问题领域']);
  });
});
