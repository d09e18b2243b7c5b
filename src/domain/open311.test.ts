import { describe, expect, it } from 'vitest';
import { STATUS_LIST, categoryOf } from './case.ts';
import { MAX_WINDOW_MS, OPEN311_STATUS, categoriesFor, isPublished, parseW3cDate, scrubText, searchWindow, updateStatus, w3cDateTime } from './open311.ts';

const d = (s: string) => new Date(s);
const DAY = 24 * 3600_000;

describe('Open311 rules', () => {
  it('maps status categories to open/closed and back', () => {
    expect(OPEN311_STATUS).toEqual({ new: 'open', open: 'open', pending: 'open', resolved: 'closed', closed: 'closed' });
    expect(categoriesFor('open')).toEqual(['new', 'open', 'pending']);
    expect(categoriesFor('closed')).toEqual(['resolved', 'closed']);
    for (const s of STATUS_LIST) expect(updateStatus(s).length, s).toBeGreaterThan(0);
    expect([updateStatus('received'), updateStatus('signed'), updateStatus('resolved'), updateStatus('merged'), updateStatus('closed')])
      .toEqual(['open', 'in_progress', 'fixed', 'duplicate', 'closed']);
    expect(OPEN311_STATUS[categoryOf('answered')]).toBe('closed');
  });

  it('publishes only Open311 cases', () => {
    expect(isPublished({ channel: 'open311' })).toBe(true);
    for (const channel of ['web', 'qr', 'mailbox', 'hotline', 'walk_in']) expect(isPublished({ channel }), channel).toBe(false);
  });

  it('windows a search to 90 days', () => {
    const now = d('2026-11-27T02:00:00Z');
    const cases: [Date | undefined, Date | undefined, { from: Date; to: Date } | RegExp][] = [
      [undefined, undefined, { from: new Date(now.getTime() - MAX_WINDOW_MS), to: now }],
      [d('2026-11-01T00:00:00Z'), undefined, { from: d('2026-11-01T00:00:00Z'), to: new Date(d('2026-11-01T00:00:00Z').getTime() + 90 * DAY) }],
      [undefined, d('2026-11-01T00:00:00Z'), { from: new Date(d('2026-11-01T00:00:00Z').getTime() - 90 * DAY), to: d('2026-11-01T00:00:00Z') }],
      [d('2026-08-29T00:00:00Z'), d('2026-11-27T00:00:00Z'), { from: d('2026-08-29T00:00:00Z'), to: d('2026-11-27T00:00:00Z') }],
      [d('2026-08-28T23:59:59Z'), d('2026-11-27T00:00:00Z'), /^end_date: must be at most 90 days after start_date$/],
      [d('2026-11-02T00:00:00Z'), d('2026-11-01T00:00:00Z'), /^end_date: must not be before start_date$/],
    ];
    for (const [start, end, want] of cases) {
      if (want instanceof RegExp) expect(() => searchWindow(now, start, end)).toThrow(want);
      else expect(searchWindow(now, start, end)).toEqual(want);
    }
  });

  it('writes dates at +08:00 and reads W3C dates', () => {
    expect(w3cDateTime(d('2026-11-27T02:00:00.750Z'))).toBe('2026-11-27T10:00:00+08:00');
    expect(w3cDateTime(d('2026-12-31T16:30:00Z'))).toBe('2027-01-01T00:30:00+08:00');
    const ok: [string, string][] = [
      ['2010-01-01T00:00:00Z', '2010-01-01T00:00:00.000Z'],
      ['2026-11-27T10:00:00+08:00', '2026-11-27T02:00:00.000Z'],
      ['2026-11-27T10:00+08:00', '2026-11-27T02:00:00.000Z'],
      ['2026-11-27T10:00:00.5-05:00', '2026-11-27T15:00:00.500Z'],
      ['2026-11-27', '2026-11-26T16:00:00.000Z'],
    ];
    for (const [s, iso] of ok) expect(parseW3cDate(s)?.toISOString(), s).toBe(iso);
    for (const s of ['2026-11-27T10:00:00', '2026-02-30', '2026-13-01T00:00:00Z', '2026-11-27T24:00:00Z', 'yesterday', '1700000000']) {
      expect(parseW3cDate(s), s).toBeNull();
    }
  });

  it('scrubs phone numbers, ID numbers and e-mail addresses out of free text', () => {
    const cases: [string, string][] = [
      ['请联系13812345678处理', '请联系[电话]处理'],
      ['电话 138 1234 5678 或 +86 13812345678', '电话 [电话] 或 [电话]'],
      ['座机0755-12345678', '座机[电话]'],
      ['身份证44030119900101123X', '身份证[证件号]'],
      ['邮箱 a.b+c@example.com.cn', '邮箱 [邮箱]'],
      ['编号 SZ-20261127-000123，门牌 12 号，3000 元', '编号 SZ-20261127-000123，门牌 12 号，3000 元'],
    ];
    for (const [input, out] of cases) expect(scrubText(input)).toBe(out);
  });
});
