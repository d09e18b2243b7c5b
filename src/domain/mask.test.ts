import { describe, expect, it } from 'vitest';
import { maskName, maskPhone, normalizePhone } from './mask.ts';

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['075512345678', '075*****5678'],
    ['12345678', '123*5678'],
    ['1234567', '*****67'],
    ['12345', '***45'],
    ['110', '*10'],
    ['12', '*2'],
    ['9', '*'],
    ['  13812345678 ', '138****5678'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['王小明', '王**'],
    ['李', '*'],
    ['𠀋三', '𠀋*'],
    ['John Smith', 'J*********'],
    [' 张三 ', '张*'],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+86-13812345678', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['(0755) 1234-5678', '075512345678'],
    ['（0755）12345678', '075512345678'],
    ['12345', '12345'],
    ['12345678901234567890', '12345678901234567890'],
    ['1234', null],
    ['123456789012345678901', null],
    ['138abc45678', null],
    ['+1 555 0100', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});
