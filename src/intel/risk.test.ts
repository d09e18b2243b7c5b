import { describe, expect, it } from 'vitest';
import { assessRisk, raisedUrgency } from './risk.ts';

const flags = (text: string, groupSize?: number) => assessRisk(text, { groupSize }).map((f) => `${f.flag}:${f.words.join('|')}`);

describe('assessRisk', () => {
  it.each([
    ['老板欠钱不还，我真的不活了', ['self_harm:不活了']],
    ['再不解决我就去跳楼', ['self_harm:跳楼']],
    ['逼急了就和他同归于尽', ['violence:同归于尽']],
    ['楼道里闻到很浓的燃气泄漏味道', ['safety:燃气泄漏']],
    ['路面突然塌陷，有人触电', ['safety:塌陷|触电']],
    ['小区路灯不亮', []],
    ['经检查没有燃气泄漏', []],
    ['我们二十多个农民工被拖欠工资', ['group_dispute:农民工|拖欠工资|我们']],
    ['工人集体上访', ['group_dispute:集体上访']],
  ])('%s', (text, expected) => {
    expect(flags(text)).toEqual(expected);
  });

  it('a single worker owed wages is not a group dispute; several are', () => {
    expect(flags('公司拖欠工资三个月')).toEqual([]);
    expect(flags('公司拖欠工资三个月', 12)).toEqual(['group_dispute:拖欠工资']);
  });

  it('handles full-width and spaces', () => {
    expect(flags('我 不 活 了')).toEqual(['self_harm:不活了']);
  });

  it('raises urgency, never lowers it', () => {
    expect(raisedUrgency('normal', assessRisk('燃气泄漏'))).toBe('emergency');
    expect(raisedUrgency('normal', assessRisk('农民工讨薪', { groupSize: 5 }))).toBe('urgent');
    expect(raisedUrgency('emergency', assessRisk('农民工讨薪', { groupSize: 5 }))).toBe('emergency');
    expect(raisedUrgency('urgent', [])).toBe('urgent');
  });
});
