import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, type ClockDef, type ClockName } from './clock-policy.ts';
import { clockSignals, computeClocks, type ClockCaseEvent, type ClockReport } from './clocks.ts';
import { DAY_MS, HOUR_MS, makeWorkCalendar, type TimeBasis } from './work-calendar.ts';

const cal = makeWorkCalendar();
const MIN = 60_000;
/** China-local wall time, e.g. '2026-03-09 10:00'. */
const cn = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const fmt = (d: Date | null) => d && new Date(+d + 8 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
const policy = (id: string) => DEFAULT_POLICIES.find((p) => p.id === id)!.clocks;

const ev = (at: string, action: string, fromStatus: string | null, toStatus: string | null, payload: unknown = {}): ClockCaseEvent =>
  ({ at: cn(at), action, fromStatus, toStatus, payload });
const accept = (t: string) => ev(t, 'accept', null, 'received');
const dispatch = (t: string) => ev(t, 'dispatch', 'received', 'dispatched');
const sign = (t: string) => ev(t, 'sign', 'dispatched', 'signed');
const contact = (t: string) => ev(t, 'contact', 'signed', 'signed');
const feedback = (t: string, from = 'signed') => ev(t, 'feedback', from, from);
const pend = (t: string) => ev(t, 'pend', 'signed', 'pending');
const resume = (t: string) => ev(t, 'resume', 'pending', 'signed');
const resolve = (t: string) => ev(t, 'resolve', 'signed', 'resolved');
const extend = (t: string, clock: ClockName, amount: number, unit: 'minutes' | 'hours' | 'days') =>
  ev(t, 'extend_approved', 'signed', 'signed', { clock, amount, unit });
/** Accepted 10:00, dispatched 10:00, signed 10:05 on Mon 2026-03-09. */
const handled = (day = '2026-03-09') => [accept(`${day} 10:00`), dispatch(`${day} 10:00`), sign(`${day} 10:05`)];

const clockOf = (r: ClockReport, name: ClockName) => r.clocks.find((c) => c.name === name)!;
const run = (clocks: readonly ClockDef[], events: ClockCaseEvent[], now: string, calendar = cal) => computeClocks(clocks, events, cn(now), calendar);
const view = (r: ClockReport, name: ClockName) => {
  const c = clockOf(r, name);
  return { state: c.state, due: fmt(c.dueAt), onTime: c.onTime };
};

describe('the sign clock', () => {
  it.each([
    ['signed on time', [dispatch('2026-03-09 10:00'), sign('2026-03-09 10:08')], '2026-03-09 12:00', { state: 'met', due: '2026-03-09 10:10', onTime: true }],
    ['signed at the due minute', [dispatch('2026-03-09 10:00'), sign('2026-03-09 10:10')], '2026-03-09 12:00', { state: 'met', due: '2026-03-09 10:10', onTime: true }],
    ['signed late', [dispatch('2026-03-09 10:00'), sign('2026-03-09 10:12')], '2026-03-09 12:00', { state: 'met', due: '2026-03-09 10:10', onTime: false }],
    ['not yet dispatched', [accept('2026-03-09 10:00')], '2026-03-09 12:00', { state: 'pending_start', due: null, onTime: null }],
    ['running', [dispatch('2026-03-09 10:00')], '2026-03-09 10:04', { state: 'running', due: '2026-03-09 10:10', onTime: null }],
    ['warned at 50 %', [dispatch('2026-03-09 10:00')], '2026-03-09 10:05', { state: 'warned', due: '2026-03-09 10:10', onTime: null }],
    ['breached', [dispatch('2026-03-09 10:00')], '2026-03-09 10:11', { state: 'breached', due: '2026-03-09 10:10', onTime: null }],
  ])('%s', (_what, events, now, expected) => {
    expect(view(run(policy('general'), events, now), 'sign')).toEqual(expected);
  });

  it('reports the budget left, negative once over', () => {
    const r = run(policy('general'), [dispatch('2026-03-09 10:00')], '2026-03-09 10:11');
    expect(clockOf(r, 'sign').remainingMs).toBe(-MIN);
  });

  it.each([
    ['a transfer', ev('2026-03-09 11:00', 'transfer', 'signed', 'dispatched')],
    ['a re-dispatch after a return', ev('2026-03-09 11:00', 'rule_return', 'return_requested', 'dispatched')],
  ])('%s gives the new unit its own sign clock', (_what, redispatch) => {
    const r = run(policy('general'), [...handled(), redispatch], '2026-03-09 11:03');
    expect(clockOf(r, 'sign')).toMatchObject({ run: 2, state: 'running', startedAt: cn('2026-03-09 11:00'), dueAt: cn('2026-03-09 11:10') });
  });

  it('co-handling in the dispatched status does not restart it', () => {
    const events = [accept('2026-03-09 10:00'), dispatch('2026-03-09 10:00'), ev('2026-03-09 10:03', 'assist', 'dispatched', 'dispatched')];
    expect(clockOf(run(policy('general'), events, '2026-03-09 10:04'), 'sign')).toMatchObject({ run: 1, dueAt: cn('2026-03-09 10:10') });
  });
});

describe('warnings and the scanner point', () => {
  it.each([
    ['2026-03-09 10:02', 'running', '2026-03-09 10:05'],
    ['2026-03-09 10:05', 'warned', '2026-03-09 10:08'],
    ['2026-03-09 10:09', 'warned', '2026-03-09 10:10'],
    ['2026-03-09 10:10', 'breached', null],
  ])('at %s the sign clock is %s and the next point is %s', (now, state, next) => {
    const r = run(policy('general'), [accept('2026-03-09 10:00'), dispatch('2026-03-09 10:00')], now);
    expect(clockOf(r, 'sign').warnPoints.map((w) => [w.fraction, fmt(w.at)])).toEqual([[0.5, '2026-03-09 10:05'], [0.8, '2026-03-09 10:08']]);
    expect(clockOf(r, 'sign').state).toBe(state);
    // The general resolve clock (7 working days from acceptance) runs too; its first warning is days away.
    expect(fmt(r.nextDueAt)).toBe(next ?? '2026-03-12 22:00');
  });

  it('the next point is the earliest among running clocks', () => {
    const r = run(policy('general'), handled(), '2026-03-09 10:20');
    expect(view(r, 'contact')).toEqual({ state: 'warned', due: '2026-03-09 10:35', onTime: null });
    expect(fmt(r.nextDueAt)).toBe('2026-03-09 10:29');
  });
});

describe('pauses while the case is pending', () => {
  it('shift a calendar clock by the paused time', () => {
    const events = [...handled(), pend('2026-03-09 10:30'), resume('2026-03-09 11:00')];
    const c = clockOf(run(policy('emergency'), events, '2026-03-09 11:10'), 'resolve');
    expect({ state: c.state, due: fmt(c.dueAt), pausedMs: c.pausedMs }).toEqual({ state: 'running', due: '2026-03-09 12:30', pausedMs: 30 * MIN });
  });

  it('leave the due time unknown while still pending, and give the scanner nothing to wait for', () => {
    const events = [...handled(), contact('2026-03-09 10:06'), feedback('2026-03-09 10:07'), pend('2026-03-09 10:30')];
    const r = run(policy('emergency'), events, '2026-03-09 13:00');
    expect(clockOf(r, 'resolve')).toMatchObject({ state: 'paused', dueAt: null, pausedMs: 150 * MIN, remainingMs: 90 * MIN });
    expect(r.nextDueAt).toBeNull();
  });

  it('do not save a clock already breached', () => {
    const events = [...handled(), pend('2026-03-09 12:30')];
    expect(view(run(policy('emergency'), events, '2026-03-09 13:00'), 'resolve')).toEqual({ state: 'breached', due: '2026-03-09 12:00', onTime: null });
  });

  it.each([
    ['over a weekend gives nothing back on working days', pend('2026-03-14 00:00'), resume('2026-03-16 00:00'), '2026-03-18 10:00'],
    ['of 3 h on a Tuesday gives 3 h back', pend('2026-03-10 12:00'), resume('2026-03-10 15:00'), '2026-03-18 13:00'],
    ['across the night gives the whole span back', pend('2026-03-10 20:00'), resume('2026-03-11 08:00'), '2026-03-18 22:00'],
  ])('a pause %s', (_what, p, r, due) => {
    expect(view(run(policy('general'), [...handled(), p, r], '2026-03-17 10:00'), 'resolve').due).toBe(due);
  });

  it('a reply while pending stops the feedback clock', () => {
    const events = [...handled(), pend('2026-03-09 11:00'), feedback('2026-03-09 12:00', 'pending')];
    expect(view(run(policy('general'), events, '2026-03-09 13:00'), 'first_feedback')).toEqual({ state: 'met', due: '2026-03-13 11:05', onTime: true });
  });
});

describe('extensions', () => {
  it('move the due time of the named clock only', () => {
    const events = [...handled(), extend('2026-03-12 09:00', 'resolve', 3, 'days')];
    const r = run(policy('general'), events, '2026-03-12 10:00');
    expect(view(r, 'resolve')).toEqual({ state: 'running', due: '2026-03-23 10:00', onTime: null });
    expect(clockOf(r, 'resolve').extensions).toEqual([{ amount: 3, unit: 'days' }]);
    expect(view(r, 'first_feedback').due).toBe('2026-03-13 10:05');
  });

  it('lift a breach', () => {
    const events = [...handled(), extend('2026-03-18 11:00', 'resolve', 2, 'days')];
    expect(view(run(policy('general'), events, '2026-03-18 12:00'), 'resolve')).toEqual({ state: 'warned', due: '2026-03-20 10:00', onTime: null });
  });

  it('give a petition 60 + 30 days', () => {
    const events = [accept('2026-03-09 10:00'), ev('2026-03-20 10:00', 'accept_decision', 'received', 'received'),
      extend('2026-05-01 10:00', 'petition_handle', 30, 'days')];
    const r = run(policy('petition'), events, '2026-05-01 11:00');
    expect(view(r, 'petition_accept')).toEqual({ state: 'met', due: '2026-03-24 10:00', onTime: true });
    expect(view(r, 'petition_handle')).toEqual({ state: 'running', due: '2026-06-18 10:00', onTime: null });
  });

  it('after the clock stopped change nothing', () => {
    const events = [...handled(), contact('2026-03-09 10:06'), resolve('2026-03-10 10:00'), extend('2026-03-10 11:00', 'resolve', 3, 'days')];
    expect(clockOf(run(policy('general'), events, '2026-03-10 12:00'), 'resolve')).toMatchObject({ state: 'met', extensions: [], onTime: true });
  });

  it('with a malformed payload throw', () => {
    const events = [...handled(), ev('2026-03-10 11:00', 'extend_approved', 'signed', 'signed', { clock: 'resolve', amount: -1, unit: 'days' })];
    expect(() => run(policy('general'), events, '2026-03-10 12:00')).toThrow(/extend_approved/);
  });
});

describe('closing and reopening', () => {
  it('a reply stops resolve and feedback; clocks left running are cancelled', () => {
    const r = run(policy('general'), [...handled(), resolve('2026-03-09 10:20')], '2026-03-10 10:00');
    expect(view(r, 'resolve')).toEqual({ state: 'met', due: '2026-03-18 10:00', onTime: true });
    expect(view(r, 'first_feedback')).toEqual({ state: 'met', due: '2026-03-13 10:05', onTime: true });
    expect(clockOf(r, 'contact')).toMatchObject({ state: 'cancelled', cancelledAt: cn('2026-03-09 10:20'), onTime: null });
    expect(r.nextDueAt).toBeNull();
  });

  it('a clock already over when the case closes is cancelled late', () => {
    const r = run(policy('general'), [...handled(), resolve('2026-03-09 11:00')], '2026-03-10 10:00');
    expect(clockOf(r, 'contact')).toMatchObject({ state: 'cancelled', onTime: false });
  });

  it('an unsatisfied rating reopens the case with a fresh resolution period', () => {
    const events = [...handled(), contact('2026-03-09 10:06'), resolve('2026-03-10 10:00'), ev('2026-03-11 10:00', 'rate', 'resolved', 'reopened')];
    const r = run(policy('general'), events, '2026-03-11 11:00');
    expect(clockOf(r, 'resolve')).toMatchObject({ run: 2, state: 'running', startedAt: cn('2026-03-11 10:00'), dueAt: cn('2026-03-20 10:00') });
    expect(clockOf(r, 'contact')).toMatchObject({ run: 1, state: 'met' });
  });

  it('not accepting a petition decides it and starts no handling period', () => {
    const r = run(policy('petition'), [accept('2026-03-09 10:00'), ev('2026-03-10 10:00', 'not_accept', 'received', 'not_accepted')], '2026-03-11 10:00');
    expect(view(r, 'petition_accept')).toMatchObject({ state: 'met', onTime: true });
    expect(view(r, 'petition_handle').state).toBe('pending_start');
  });
});

describe('co-units summoned to an escalated case (吹哨报到)', () => {
  const SW = '4403-SW', GA = '4403-GA';
  /** Handled, escalated at 10:10 and two units summoned at 10:10 on Mon 2026-03-09. */
  const summoned = () => [
    ...handled(), ev('2026-03-09 10:10', 'escalate', 'signed', 'escalated', { unitCode: '440311', fromUnitCode: '440311005' }),
    ev('2026-03-09 10:10', 'summon', 'escalated', 'escalated', { unitCodes: [SW, GA], reason: '吹哨' }),
  ];
  const coSign = (t: string, unitCode: string, from = 'escalated') => ev(t, 'co_sign', from, from, { unitCode });
  const co = (unitCode: string) => `co_sign:${unitCode}` as const;

  it.each<[string, ClockCaseEvent[], string, Record<string, { state: string; due: string | null; onTime: boolean | null }>]>([
    ['one signs at +4 min, the other not by +10 min', [coSign('2026-03-09 10:14', SW)], '2026-03-09 10:21', {
      [SW]: { state: 'met', due: '2026-03-09 10:20', onTime: true }, [GA]: { state: 'breached', due: '2026-03-09 10:20', onTime: null },
    }],
    ['one signs late', [coSign('2026-03-09 10:25', GA)], '2026-03-09 10:30', {
      [SW]: { state: 'breached', due: '2026-03-09 10:20', onTime: null }, [GA]: { state: 'met', due: '2026-03-09 10:20', onTime: false },
    }],
    ['warned at 50 %', [], '2026-03-09 10:15', {
      [SW]: { state: 'warned', due: '2026-03-09 10:20', onTime: null }, [GA]: { state: 'warned', due: '2026-03-09 10:20', onTime: null },
    }],
    ['the case closed before they signed', [ev('2026-03-09 10:12', 'resolve', 'escalated', 'resolved')], '2026-03-09 10:30', {
      [SW]: { state: 'cancelled', due: '2026-03-09 10:20', onTime: null }, [GA]: { state: 'cancelled', due: '2026-03-09 10:20', onTime: null },
    }],
    ['paused while pending', [ev('2026-03-09 10:12', 'pend', 'escalated', 'pending'), ev('2026-03-09 10:17', 'resume', 'pending', 'escalated'),
      coSign('2026-03-09 10:24', SW)], '2026-03-09 10:26', {
      [SW]: { state: 'met', due: '2026-03-09 10:25', onTime: true }, [GA]: { state: 'breached', due: '2026-03-09 10:25', onTime: null },
    }],
  ])('%s', (_what, more, now, expected) => {
    const r = run(policy('general'), [...summoned(), ...more], now);
    expect({ [SW]: view(r, co(SW)), [GA]: view(r, co(GA)) }).toEqual(expected);
  });

  it('each gets the sign clock of the policy, after the policy clocks; the lead unit\'s own clocks are untouched', () => {
    const r = run(policy('general'), [...summoned(), coSign('2026-03-09 10:14', SW)], '2026-03-09 10:16');
    expect(r.clocks.map((c) => c.name)).toEqual(['sign', 'contact', 'first_feedback', 'resolve', co(SW), co(GA)]);
    expect(clockOf(r, co(GA))).toMatchObject({
      run: 1, basis: 'calendar', targetMs: 10 * MIN, startedAt: cn('2026-03-09 10:10'), metAt: null,
      warnPoints: [{ fraction: 0.5, at: cn('2026-03-09 10:15') }, { fraction: 0.8, at: cn('2026-03-09 10:18') }],
    });
    expect(view(r, 'sign')).toEqual({ state: 'met', due: '2026-03-09 10:10', onTime: true });
    expect(fmt(r.nextDueAt)).toBe('2026-03-09 10:18');
  });

  it('a unit summoned again after signing owes a new signature: a fresh run', () => {
    const events = [...summoned(), coSign('2026-03-09 10:14', SW), ev('2026-03-09 11:00', 'summon', 'escalated', 'escalated', { unitCodes: [SW], reason: '再次' })];
    expect(clockOf(run(policy('general'), events, '2026-03-09 11:03'), co(SW))).toMatchObject({
      run: 2, state: 'running', startedAt: cn('2026-03-09 11:00'), dueAt: cn('2026-03-09 11:10'),
    });
  });

  it('a co-sign of a unit never summoned, and a policy without a sign clock, give no co-sign clock', () => {
    expect(run(policy('general'), [...handled(), coSign('2026-03-09 10:14', SW, 'signed')], '2026-03-09 10:20').clocks.map((c) => c.name))
      .toEqual(['sign', 'contact', 'first_feedback', 'resolve']);
    const petition = [accept('2026-03-09 10:00'), ev('2026-03-09 10:10', 'summon', 'escalated', 'escalated', { unitCodes: [SW], reason: 'x' })];
    expect(run(policy('petition'), petition, '2026-03-09 10:20').clocks.map((c) => c.name)).toEqual(['petition_accept', 'petition_handle']);
  });
});

describe('working-day clocks over the calendar', () => {
  it('first feedback: 4 working days from Fri 2026-02-13 is Thu 2026-02-26', () => {
    const events = [accept('2026-02-13 09:00'), dispatch('2026-02-13 09:30'), sign('2026-02-13 10:00')];
    expect(view(run(policy('general'), events, '2026-02-13 11:00'), 'first_feedback').due).toBe('2026-02-26 10:00');
  });

  it('a deadline in a year with no published calendar warns until an override is loaded', () => {
    const events = handled('2026-12-24');
    expect(view(run(policy('general'), events, '2026-12-24 11:00'), 'resolve').due).toBe('2027-01-04 10:00');
    expect(run(policy('general'), events, '2026-12-24 11:00').warnings).toEqual([
      expect.stringMatching(/^resolve: due 2027-01-04 .*2027.*no published holiday calendar/),
    ]);
    const loaded = makeWorkCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    const r = run(policy('general'), events, '2026-12-24 11:00', loaded);
    expect(r.warnings).toEqual([]);
    expect(view(r, 'resolve').due).toBe('2027-01-05 10:00');
  });

  it('calendar clocks never warn about the holiday calendar', () => {
    const events = [accept('2027-03-01 10:00'), ev('2027-03-02 10:00', 'accept_decision', 'received', 'received')];
    expect(run(policy('petition'), events, '2027-03-02 11:00').warnings).toEqual([]);
  });
});

describe('reading the events', () => {
  it('ignores events after now and sorts the rest', () => {
    const events = [sign('2026-03-09 10:05'), accept('2026-03-09 10:00'), dispatch('2026-03-09 10:00'), resolve('2026-03-20 10:00')];
    const r = run(policy('general'), events, '2026-03-09 11:00');
    expect(view(r, 'resolve').state).toBe('running');
    expect(view(r, 'sign').state).toBe('met');
  });

  it.each<[string, ClockCaseEvent, string[]]>([
    ['accept', accept('2026-03-09 10:00'), ['accepted']],
    ['answer at intake', ev('2026-03-09 10:00', 'answer', 'received', 'answered'), ['resolved', 'feedback', 'closed']],
    ['pend', pend('2026-03-09 10:00'), ['pause']],
    ['resume', resume('2026-03-09 10:00'), ['resume']],
    ['assist', ev('2026-03-09 10:00', 'assist', 'signed', 'signed'), []],
    ['reopen', ev('2026-03-09 10:00', 'reopen', 'closed', 'reopened'), ['reopened']],
    ['close after resolve', ev('2026-03-09 10:00', 'close', 'resolved', 'closed'), []],
    ['summon', ev('2026-03-09 10:00', 'summon', 'escalated', 'escalated', { unitCodes: ['A', 'B'], reason: 'x' }), ['summoned:A', 'summoned:B']],
    ['co_sign', ev('2026-03-09 10:00', 'co_sign', 'escalated', 'escalated', { unitCode: 'A' }), ['co_signed:A']],
  ])('%s raises %j', (_what, e, signals) => {
    expect(clockSignals(e)).toEqual(signals);
  });
});

describe('properties', () => {
  const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true });

  it('more working days or hours never give an earlier date', () => {
    fc.assert(fc.property(instant, fc.nat(40), fc.nat(40), (start, a, b) => {
      const [n, m] = a <= b ? [a, b] : [b, a];
      return +cal.addWorkingDays(start, n) <= +cal.addWorkingDays(start, m) && +cal.addWorkingHours(start, n) <= +cal.addWorkingHours(start, m)
        && (n === m || +cal.addWorkingDays(start, n) < +cal.addWorkingDays(start, m));
    }));
  });

  it('a later start never gives an earlier due date', () => {
    fc.assert(fc.property(instant, fc.nat(10 * DAY_MS), fc.nat(20), (start, later, n) =>
      +cal.addWorkingDays(start, n) <= +cal.addWorkingDays(new Date(+start + later), n)));
  });

  const calendarClock = (hours: number): ClockDef =>
    ({ name: 'resolve', start: 'accepted', stop: 'resolved', target: { amount: hours, unit: 'hours' }, basis: 'calendar', warnAt: [0.5, 0.8] });
  const at = (t: number, action: string, fromStatus: string | null, toStatus: string | null): ClockCaseEvent =>
    ({ at: new Date(t), action, fromStatus, toStatus, payload: {} });

  it('a pause of length p on a calendar clock moves the due time by exactly p', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat(30 * DAY_MS),
      (start, hours, where, p) => {
        const def = calendarClock(hours);
        const s = +start;
        const pauseAt = s + Math.floor(where * hours * HOUR_MS);
        const base = [at(s, 'accept', null, 'received'), at(s, 'sign', 'dispatched', 'signed')];
        const paused = [...base, at(pauseAt, 'pend', 'signed', 'pending'), at(pauseAt + p, 'resume', 'pending', 'signed')];
        const now = new Date(s + 400 * DAY_MS);
        const before = computeClocks([def], base, now, cal).clocks[0]!;
        const after = computeClocks([def], paused, now, cal).clocks[0]!;
        return +after.dueAt! - +before.dueAt! === p && after.pausedMs === p;
      }));
  });

  it('on working bases the due time gives back exactly the working time inside the pause', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 1, max: 30 }), fc.constantFrom<TimeBasis>('workdays', 'workhours'),
      fc.nat(20 * DAY_MS), fc.nat(10 * DAY_MS), (start, days, basis, offset, p) => {
        const def: ClockDef = { ...calendarClock(0), target: { amount: days, unit: 'days' }, basis };
        const s = +start;
        const events = [at(s, 'accept', null, 'received'), at(s, 'sign', 'dispatched', 'signed'),
          at(s + offset, 'pend', 'signed', 'pending'), at(s + offset + p, 'resume', 'pending', 'signed')];
        const c = computeClocks([def], events, new Date(s + 400 * DAY_MS), cal).clocks[0]!;
        const due = c.dueAt!;
        const pauseEnd = Math.min(s + offset + p, +due);
        const inPause = s + offset < +due ? cal.workingMsBetween(new Date(s + offset), new Date(pauseEnd), basis) : 0;
        return cal.workingMsBetween(start, due, basis) - inPause === c.targetMs && +due >= +cal.advance(start, c.targetMs, basis);
      }));
  });

  /** Random walks through the workflow: every recomputation from the same events agrees. */
  const STEPS: Record<string, [string, string][]> = {
    received: [['dispatch', 'dispatched'], ['answer', 'answered'], ['extend_approved', 'received']],
    dispatched: [['sign', 'signed'], ['transfer', 'dispatched'], ['assist', 'dispatched']],
    signed: [['contact', 'signed'], ['feedback', 'signed'], ['pend', 'pending'], ['resolve', 'resolved'], ['transfer', 'dispatched'],
      ['return', 'return_requested'], ['extend_approved', 'signed']],
    return_requested: [['rule_return', 'dispatched']],
    pending: [['resume', 'signed'], ['feedback', 'pending']],
    resolved: [['rate', 'reopened'], ['close', 'closed']],
    reopened: [['resolve', 'resolved'], ['pend', 'pending']],
    closed: [['reopen', 'reopened']],
    answered: [],
  };
  const walk = fc.tuple(instant, fc.array(fc.tuple(fc.nat(100), fc.nat(3 * DAY_MS)), { maxLength: 25 })).map(([start, steps]) => {
    let t = +start;
    let status = 'received';
    const events: ClockCaseEvent[] = [at(t, 'accept', null, status)];
    for (const [pick, gap] of steps) {
      const options = STEPS[status] ?? [];
      if (options.length === 0) break;
      const [action, to] = options[pick % options.length]!;
      t += gap;
      const payload = action === 'extend_approved' ? { clock: 'resolve', amount: 1 + (pick % 5), unit: 'days' } : {};
      events.push({ at: new Date(t), action, fromStatus: status, toStatus: to, payload });
      status = to;
    }
    return events;
  });

  it('recomputing from the same events is deterministic, and agrees with what was true at each event', () => {
    fc.assert(fc.property(walk, fc.constantFrom('general', 'emergency', 'petition'), fc.nat(10 * DAY_MS), (events, id, after) => {
      const clocks = policy(id);
      const last = +events.at(-1)!.at;
      const now = new Date(last + after);
      const once = computeClocks(clocks, events, now, cal);
      expect(computeClocks(clocks, structuredClone(events), now, cal)).toEqual(once);
      expect(computeClocks(clocks, [...events].reverse(), now, cal).clocks.map((c) => c.name)).toEqual(once.clocks.map((c) => c.name));
      // What a scanner stored at an earlier instant equals a later recomputation asked about that instant.
      const mid = new Date(+events[0]!.at + Math.floor((last - +events[0]!.at) / 2));
      const stored = computeClocks(clocks, events.filter((e) => +e.at <= +mid), mid, cal);
      expect(computeClocks(clocks, events, mid, cal)).toEqual(stored);
      for (const c of once.clocks) {
        if (c.dueAt && c.startedAt) expect(+c.dueAt).toBeGreaterThanOrEqual(+c.startedAt);
        if (once.nextDueAt) expect(+once.nextDueAt).toBeGreaterThan(+now);
      }
    }), { numRuns: 200 });
  });
});
