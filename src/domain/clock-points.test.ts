import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from './clock-policy.ts';
import { CLOCK_EVENTS, clockRecord, dueMarks, duePoints, dueStatus, pointPayload } from './clock-points.ts';
import type { ClockCaseEvent } from './clocks.ts';
import { makeWorkCalendar } from './work-calendar.ts';

const cal = makeWorkCalendar();
const general = DEFAULT_POLICIES.find((p) => p.id === 'general')!.clocks;
const cn = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const ev = (at: string, action: string, from: string | null, to: string | null, payload: unknown = {}): ClockCaseEvent =>
  ({ at: cn(at), action, fromStatus: from, toStatus: to, payload });
const dispatched = [ev('2026-03-09 10:00', 'accept', null, 'received'), ev('2026-03-09 10:00', 'dispatch', 'received', 'dispatched')];
const raised = (at: string, point: string) => ev(at, point === 'breach' ? CLOCK_EVENTS.breach : CLOCK_EVENTS.warning, 'dispatched', 'dispatched',
  { clock: 'sign', run: 1, point, dueAt: '', late: false });
const names = (ps: { clock: string; point: string }[]) => ps.map((p) => `${p.clock} ${p.point}`);

describe('the stored record', () => {
  it('waits for the first point not raised, even one already past', () => {
    expect(clockRecord(general, dispatched, cal).nextDueAt).toEqual(cn('2026-03-09 10:05'));
    // An event at 10:12 before any scanner ran: the 10:05 warning is still owed.
    const late = [...dispatched, ev('2026-03-09 10:12', 'assist', 'dispatched', 'dispatched')];
    expect(clockRecord(general, late, cal).nextDueAt).toEqual(cn('2026-03-09 10:05'));
    const warned = [...dispatched, raised('2026-03-09 10:05', 'warn:0.5')];
    expect(clockRecord(general, warned, cal).nextDueAt).toEqual(cn('2026-03-09 10:08'));
  });

  it('is computed as of the last event, so it does not depend on when it is computed', () => {
    const r = clockRecord(general, dispatched, cal);
    expect(r.asOf).toEqual(cn('2026-03-09 10:00'));
    expect(r.clocks.find((c) => c.name === 'sign')).toMatchObject({ state: 'running', remainingMs: 600_000 });
  });

  it('stops waiting for a clock once it is met', () => {
    const signed = [...dispatched, raised('2026-03-09 10:05', 'warn:0.5'), ev('2026-03-09 10:06', 'sign', 'dispatched', 'signed')];
    // Contact (30 min from signing) warns first now.
    expect(clockRecord(general, signed, cal).nextDueAt).toEqual(cn('2026-03-09 10:21'));
  });
});

describe('due points', () => {
  it.each([
    ['2026-03-09 10:04', []],
    ['2026-03-09 10:05', ['sign warn:0.5']],
    ['2026-03-09 10:30', ['sign warn:0.5', 'sign warn:0.8', 'sign breach']],
  ])('at %s', (now, want) => {
    expect(names(duePoints(general, dispatched, cn(now), cal))).toEqual(want);
  });

  it('leaves out the points already raised', () => {
    const events = [...dispatched, raised('2026-03-09 10:05', 'warn:0.5'), raised('2026-03-09 10:08', 'warn:0.8')];
    expect(names(duePoints(general, events, cn('2026-03-09 10:30'), cal))).toEqual(['sign breach']);
  });

  it('never raises a point of a clock stopped by an event the scanner\'s clock has not reached yet', () => {
    const events = [...dispatched, ev('2026-03-09 10:09', 'sign', 'dispatched', 'signed')];
    expect(names(duePoints(general, events, cn('2026-03-09 10:08'), cal))).toEqual([]);
    expect(names(duePoints(general, events.slice(0, -1), cn('2026-03-09 10:08'), cal))).toEqual(['sign warn:0.5', 'sign warn:0.8']);
  });

  it('marks a point late when raised more than 5 s after it was due', () => {
    const [p] = duePoints(general, dispatched, cn('2026-03-09 10:05'), cal);
    expect(pointPayload(p!, new Date(+p!.at + 5_000)).late).toBe(false);
    expect(pointPayload(p!, new Date(+p!.at + 5_001)).late).toBe(true);
  });
});

describe('dueStatus', () => {
  const clock = (dueAt: string | null, warn80: string | null, metAt: string | null = null) =>
    ({ dueAt, metAt, cancelledAt: null, warnPoints: [{ fraction: 0.5, at: null }, { fraction: 0.8, at: warn80 }] });
  const now = new Date('2026-03-09T02:00:00Z');
  it.each([
    ['due in 3 h, 80 % ahead', [clock('2026-03-09T05:00:00Z', '2026-03-09T04:00:00Z')], null],
    ['due in 2 h', [clock('2026-03-09T04:00:00Z', '2026-03-09T03:30:00Z')], 'soon'],
    ['past its 80 % point', [clock('2026-03-12T02:00:00Z', '2026-03-09T01:00:00Z')], 'soon'],
    ['past due', [clock('2026-03-09T01:59:00Z', null)], 'overdue'],
    ['past due but met', [clock('2026-03-09T01:59:00Z', null, '2026-03-09T01:58:00Z')], null],
    ['one overdue, one soon', [clock('2026-03-09T01:00:00Z', null), clock('2026-03-09T03:00:00Z', null)], 'overdue'],
    ['paused (no due time)', [clock(null, null)], null],
  ])('%s', (_what, clocks, want) => {
    expect(dueStatus(clocks, now)).toBe(want);
  });

  it('turns on two instants: the earliest due time, and the earliest window start (80 % or due − 2 h)', () => {
    expect(dueMarks([clock('2026-03-12T02:00:00Z', '2026-03-11T00:00:00Z'), clock('2026-03-10T03:00:00Z', null)])).toEqual({
      dueAt: new Date('2026-03-10T03:00:00Z'), soonAt: new Date('2026-03-10T01:00:00Z'),
    });
    expect(dueMarks([clock(null, null)])).toEqual({ dueAt: null, soonAt: null });
  });
});
