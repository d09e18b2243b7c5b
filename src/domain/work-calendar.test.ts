import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, makeWorkCalendar, PUBLISHED_YEARS, type CalendarOverride, type TimeBasis } from './work-calendar.ts';

/** China-local wall time, e.g. '2026-02-13 10:00'. */
const cn = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const fmt = (d: Date) => new Date(+d + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
const cal = makeWorkCalendar();

/** Illustrative only: the 2027 arrangement was not yet published when this was written. */
const OVERRIDES_2027: CalendarOverride[] = [
  { date: '2027-02-08', kind: 'holiday', name: '春节' },
  { date: '2027-02-09', kind: 'holiday', name: '春节' },
  { date: '2027-02-20', kind: 'workday', name: '春节补班' },
];

describe('isWorkday', () => {
  it.each([
    ['2026-01-01', false, '元旦'],
    ['2026-01-04', true, 'Sunday, make-up workday for 元旦'],
    ['2026-02-13', true, 'Friday before Spring Festival'],
    ['2026-02-14', true, 'Saturday, make-up workday'],
    ['2026-02-15', false, 'Spring Festival'],
    ['2026-02-16', false, 'Spring Festival, a Monday'],
    ['2026-02-23', false, 'last day of Spring Festival, a Monday'],
    ['2026-02-24', true, 'first workday after Spring Festival'],
    ['2026-02-28', true, 'Saturday, make-up workday'],
    ['2026-03-07', false, 'ordinary Saturday'],
    ['2026-03-09', true, 'ordinary Monday'],
    ['2026-09-20', true, 'Sunday, make-up workday for National Day'],
    ['2026-09-30', true, 'Wednesday before National Day'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'National Day, a Wednesday'],
    ['2026-10-08', true, 'Thursday after National Day'],
    ['2026-10-10', true, 'Saturday, make-up workday'],
    ['2026-10-11', false, 'Sunday'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-2-1', '20260201', ''])('rejects %j', (date) => {
    expect(() => cal.isWorkday(date)).toThrow(/date: not a YYYY-MM-DD date/);
  });

  it('overrides win over the package', () => {
    const c = makeWorkCalendar([{ date: '2026-03-09', kind: 'holiday' }, { date: '2026-03-07', kind: 'workday' }]);
    expect([c.isWorkday('2026-03-09'), c.isWorkday('2026-03-07')]).toEqual([false, true]);
  });

  it('rejects a malformed override', () => {
    expect(() => makeWorkCalendar([{ date: '2027-13-01', kind: 'holiday' }])).toThrow(/date:/);
  });
});

describe('addWorkingDays (n × 24 h of working-day time: same time of day on the n-th working day after)', () => {
  it.each([
    ['2026-02-13 10:00', 4, '2026-02-26 10:00', 'the issue: Sat 02-14 is a make-up workday, then Spring Festival'],
    ['2026-09-30 10:00', 4, '2026-10-12 10:00', 'the issue: National Day, then Sat 10-10 make-up'],
    ['2026-02-13 10:00', 1, '2026-02-14 10:00', 'into the make-up Saturday'],
    ['2026-02-14 10:00', 1, '2026-02-24 10:00', 'across the whole Spring Festival'],
    ['2026-02-15 10:00', 1, '2026-02-25 00:00', 'from a holiday: the end of the first working day'],
    ['2026-03-06 18:30', 1, '2026-03-09 18:30', 'Friday to Monday'],
    ['2026-03-09 10:00', 0, '2026-03-09 10:00', 'zero'],
    ['2026-09-28 09:00', 7, '2026-10-13 09:00', 'seven working days around National Day'],
    ['2026-12-31 10:00', 1, '2027-01-01 10:00', '2027 unpublished: Fri 01-01 counts as a plain Friday'],
  ])('%s + %i → %s (%s)', (start, n, due) => {
    expect(fmt(cal.addWorkingDays(cn(start), n))).toBe(due);
  });

  it('rejects a negative count', () => {
    expect(() => cal.addWorkingDays(cn('2026-03-09 10:00'), -1)).toThrow(RangeError);
  });
});

describe('addWorkingHours (09:00–18:00 on working days)', () => {
  it.each([
    ['2026-03-09 10:00', 2, '2026-03-09 12:00', 'within a day'],
    ['2026-03-09 07:00', 1, '2026-03-09 10:00', 'before opening'],
    ['2026-03-09 17:00', 2, '2026-03-10 10:00', 'overnight'],
    ['2026-03-12 17:00', 10, '2026-03-13 18:00', 'ends exactly at closing, not the next morning'],
    ['2026-03-06 17:30', 1, '2026-03-09 09:30', 'over a weekend'],
    ['2026-03-07 12:00', 1, '2026-03-09 10:00', 'from a Saturday'],
    ['2026-02-13 17:00', 2, '2026-02-14 10:00', 'into the make-up Saturday'],
    ['2026-02-14 17:00', 2, '2026-02-24 10:00', 'across Spring Festival'],
    ['2026-09-30 16:00', 3, '2026-10-08 10:00', 'across National Day'],
    ['2026-10-09 17:00', 11, '2026-10-12 10:00', 'Fri → make-up Sat → Mon'],
  ])('%s + %ih → %s (%s)', (start, h, due) => {
    expect(fmt(cal.addWorkingHours(cn(start), h))).toBe(due);
  });
});

describe('workingMsBetween', () => {
  it.each<[string, string, TimeBasis, number]>([
    ['2026-03-06 17:00', '2026-03-09 10:00', 'calendar', 65 * HOUR_MS],
    ['2026-03-06 17:00', '2026-03-09 10:00', 'workhours', 2 * HOUR_MS],
    ['2026-03-06 17:00', '2026-03-09 10:00', 'workdays', 17 * HOUR_MS],
    ['2026-02-13 12:00', '2026-02-24 12:00', 'workdays', 2 * DAY_MS],
    ['2026-09-30 00:00', '2026-10-08 00:00', 'workhours', 9 * HOUR_MS],
    ['2026-03-09 10:00', '2026-03-06 17:00', 'workhours', -2 * HOUR_MS],
  ])('%s → %s on %s', (a, b, basis, ms) => {
    expect(cal.workingMsBetween(cn(a), cn(b), basis)).toBe(ms);
  });

  it('inverts advance on every basis', () => {
    const instant = fc.date({ min: new Date('2025-01-01'), max: new Date('2026-12-01'), noInvalidDate: true });
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 40 * DAY_MS }), fc.constantFrom<TimeBasis>('calendar', 'workdays', 'workhours'),
      (start, ms, basis) => cal.workingMsBetween(start, cal.advance(start, ms, basis), basis) === ms));
  });
});

describe('coverage', () => {
  it('detects the published years from the package', () => {
    expect(PUBLISHED_YEARS[0]).toBe(2004);
    expect(PUBLISHED_YEARS).toContain(2026);
    expect(PUBLISHED_YEARS).not.toContain(2027);
  });

  it.each([
    ['2026-05-01', [], 'published'],
    ['2027-02-10', [], 'missing'],
    ['2027-02-10', OVERRIDES_2027, 'override'],
    ['2028-02-10', OVERRIDES_2027, 'missing'],
    ['2026-05-01', OVERRIDES_2027, 'published'],
  ] as const)('%s with %j overrides → %s', (date, overrides, expected) => {
    expect(makeWorkCalendar(overrides).coverage(date)).toBe(expected);
  });

  it('a 2027 deadline warns until an override for 2027 is loaded', () => {
    const [a, b] = [cn('2026-12-28 10:00'), cn('2027-01-06 10:00')];
    expect(cal.missingYears(a, b)).toEqual([2027]);
    expect(cal.missingYears(b, a)).toEqual([2027]);
    const loaded = makeWorkCalendar(OVERRIDES_2027);
    expect(loaded.missingYears(a, b)).toEqual([]);
    expect([loaded.isWorkday('2027-02-08'), loaded.isWorkday('2027-02-20')]).toEqual([false, true]);
  });

  it('takes the published years as a parameter', () => {
    const c = makeWorkCalendar([], [2025]);
    expect([c.coverage('2025-06-01'), c.coverage('2026-06-01')]).toEqual(['published', 'missing']);
  });
});

describe('time zone', () => {
  it('answers the same whatever the machine zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const c = makeWorkCalendar();
        expect(c.isWorkday('2026-02-14')).toBe(true);
        expect(fmt(c.addWorkingDays(cn('2026-02-13 10:00'), 4))).toBe('2026-02-26 10:00');
        expect(fmt(c.addWorkingHours(cn('2026-02-14 17:00'), 2))).toBe('2026-02-24 10:00');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
