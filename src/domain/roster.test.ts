import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './actor.ts';
import { readRosterCsv } from './roster-csv.ts';
import {
  assignInTurn, canManageRoster, canReadRoster, checkShifts, formatChinaTime, parseShiftTime, shiftProblem, templateSlots, type Shift,
} from './roster.ts';

const t = (s: string) => new Date(s);
const H = 3_600_000;
const shift = (userId: string, from: string, to: string): Shift => ({ userId, startsAt: t(from), endsAt: t(to), label: null });

describe('shiftProblem', () => {
  it.each([
    ['8 hours', '2026-11-27T00:00:00Z', '2026-11-27T08:00:00Z', null],
    ['exactly 24 hours', '2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z', null],
    ['ends when it starts', '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z', 'must be after startsAt'],
    ['ends before it starts', '2026-11-27T08:00:00Z', '2026-11-27T00:00:00Z', 'must be after startsAt'],
    ['24 h and a minute', '2026-11-27T00:00:00Z', '2026-11-28T00:01:00Z', 'a shift lasts at most 24 hours'],
  ])('%s', (_n, from, to, want) => {
    expect(shiftProblem({ startsAt: t(from), endsAt: t(to) })?.message ?? null).toBe(want);
  });
});

describe('checkShifts', () => {
  const existing = [{ ...shift('u1', '2026-11-27T00:00:00Z', '2026-11-27T08:00:00Z'), unitCode: '440311005' }];
  it.each([
    ['back to back is fine', [shift('u1', '2026-11-27T08:00:00Z', '2026-11-27T16:00:00Z')], []],
    ['another person may overlap', [shift('u2', '2026-11-27T04:00:00Z', '2026-11-27T12:00:00Z')], []],
    ['overlapping an existing shift at any unit', [shift('u1', '2026-11-27T07:59:00Z', '2026-11-27T12:00:00Z')],
      [{ index: 0, field: 'startsAt', message: "overlaps the same person's shift 2026-11-27 08:00–2026-11-27 16:00 at 440311005" }]],
    ['overlapping within the batch', [shift('u3', '2026-11-27T00:00:00Z', '2026-11-27T08:00:00Z'), shift('u3', '2026-11-27T06:00:00Z', '2026-11-27T10:00:00Z')],
      [{ index: 1, field: 'startsAt', message: 'overlaps shift #1 of the same person in this batch' }]],
    ['a bad shift is reported alone', [shift('u1', '2026-11-27T06:00:00Z', '2026-11-27T05:00:00Z')],
      [{ index: 0, field: 'endsAt', message: 'must be after startsAt' }]],
  ] as const)('%s', (_n, added, want) => {
    expect(checkShifts(added, existing)).toEqual(want);
  });
});

describe('templates (China time, UTC+8)', () => {
  it('three 8-hour shifts from 08:00 cover the day end to end', () => {
    const slots = templateSlots('three_8h', '2026-11-27', '08:00');
    expect(slots.map((s) => [formatChinaTime(s.startsAt), formatChinaTime(s.endsAt), s.label])).toEqual([
      ['2026-11-27 08:00', '2026-11-27 16:00', '一班'],
      ['2026-11-27 16:00', '2026-11-28 00:00', '二班'],
      ['2026-11-28 00:00', '2026-11-28 08:00', '三班'],
    ]);
    expect(slots[0]!.startsAt.toISOString()).toBe('2026-11-27T00:00:00.000Z');
  });
  it('one 24-hour shift per day for three days', () => {
    const slots = templateSlots('one_24h', '2026-11-27', '09:30', 3);
    expect(slots).toHaveLength(3);
    expect(slots.map((s) => formatChinaTime(s.startsAt))).toEqual(['2026-11-27 09:30', '2026-11-28 09:30', '2026-11-29 09:30']);
    expect(slots.every((s) => +s.endsAt - +s.startsAt === 24 * H)).toBe(true);
    expect(checkShifts(assignInTurn(slots, ['a']), [])).toEqual([]);
  });
  it('people take the slots in turn', () => {
    const slots = templateSlots('three_8h', '2026-11-27', '08:00', 2);
    expect(assignInTurn(slots, ['a', 'b', 'c', 'd']).map((s) => s.userId)).toEqual(['a', 'b', 'c', 'd', 'a', 'b']);
  });
  it.each([['2026-02-30', '08:00', /^date: /], ['2026-11-27', '24:00', /^start: /], ['2026-11-27', '8:00', /^start: /]])(
    'refuses %s %s', (date, start, msg) => {
      expect(() => templateSlots('one_24h', date, start)).toThrow(msg);
    });
});

describe('parseShiftTime', () => {
  it.each([
    ['2026-11-27 08:00', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27T08:00', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27 08:00:30', '2026-11-27T00:00:30.000Z'],
    ['2026-11-27T08:00:00+08:00', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27T00:00:00Z', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27T00:00:00.500Z', '2026-11-27T00:00:00.500Z'],
    [' 2026-11-27 08:00 ', '2026-11-27T00:00:00.000Z'],
    ['2026-11-27', null], ['2026-11-27 24:00', null], ['2026-02-30 08:00', null], ['tomorrow', null], ['', null],
  ])('%j → %s', (s, want) => {
    expect(parseShiftTime(s)?.toISOString() ?? null).toBe(want);
  });
});

describe('who may read and change a roster', () => {
  const street = { ancestors: ['4403', '440311', '440311005'] };
  const staff = (role: Role, unitCode: string): Actor => ({ kind: 'staff', id: 'x', role, unitCode });
  it.each([
    ['street operator', staff('operator', '440311005'), true, true],
    ['district leader', staff('leader', '440311'), true, true],
    ['street handler reads only', staff('handler', '440311005'), false, true],
    ['admin', staff('admin', '4403'), true, true],
    ['auditor', staff('auditor', '4403'), false, false],
    ['sibling street operator', staff('operator', '440311001'), false, false],
    ['community below it', staff('operator', '440311005001'), false, false],
    ['citizen', { kind: 'citizen', caseId: 'c' } as Actor, false, false],
  ] as const)('%s', (_n, actor, manage, read) => {
    expect(canManageRoster(actor, street)).toBe(manage);
    expect(canReadRoster(actor, street)).toBe(read);
  });
});

describe('roster CSV', () => {
  it('reads rows with their lines, in any column order, quoted fields and CRLF', () => {
    const csv = '\ufefflabel,username,ends_at,starts_at\r\n"早班, A",alice,2026-11-27 16:00,2026-11-27 08:00\r\n\r\n,bob,2026-11-28T00:00:00+08:00,2026-11-27T16:00:00+08:00\r\n';
    const { rows, problems } = readRosterCsv(csv);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, username: 'alice', startsAt: t('2026-11-27T00:00:00Z'), endsAt: t('2026-11-27T08:00:00Z'), label: '早班, A' },
      { line: 4, username: 'bob', startsAt: t('2026-11-27T08:00:00Z'), endsAt: t('2026-11-27T16:00:00Z'), label: null },
    ]);
  });
  it('names the line of every problem', () => {
    const csv = [
      'username,starts_at,ends_at,label',
      'alice,2026-11-27 08:00,2026-11-27 16:00,ok',
      ',2026-11-27 08:00,2026-11-27 16:00,',
      'bob,next monday,2026-11-27 16:00,',
      'carol,2026-11-27 08:00,2026-11-28 09:00,',
      '"dave\nsmith",2026-11-27 16:00,2026-11-27 08:00,',
      'erin,2026-11-27 08:00,2026-11-27 16:00,a,b',
    ].join('\n');
    expect(readRosterCsv(csv).problems).toEqual([
      { line: 3, message: 'username: is empty' },
      { line: 4, message: "starts_at: not a time: 'next monday' (use 2026-11-27 08:00 or an ISO datetime with a zone)" },
      { line: 5, message: 'ends_at: a shift lasts at most 24 hours' },
      { line: 6, message: 'ends_at: must be after startsAt' },
      { line: 8, message: '5 fields, the header has 4' },
    ]);
  });
  it.each([
    ['', 1, /the file is empty/],
    ['user,from,to\nalice,x,y', 1, /the header lacks username, starts_at, ends_at/],
    ['username,starts_at,ends_at\n', 1, /no shifts after the header/],
    ['username,starts_at,ends_at\n"alice,2026-11-27 08:00,2026-11-27 16:00', 2, /a quoted field is never closed/],
  ])('refuses %j', (csv, line, msg) => {
    const [p] = readRosterCsv(csv).problems;
    expect(p?.line).toBe(line);
    expect(p?.message).toMatch(msg);
  });
});
