import { describe, expect, it } from 'vitest';
import type { CaseState } from './case.ts';
import { LEAD_ACTIONS, clockWindows, dutyOverClocks, leadPeriods, type DutyShift } from './duty.ts';
import { transition, type ActionInputs } from './workflow.ts';

const t = (hhmm: string) => new Date(`2026-11-27T${hhmm}:00Z`);
const U = (code: string) => ({ code, ancestors: ['4403', code] });

describe('leadPeriods', () => {
  it('follows dispatch, escalation and hand-back; a kept return changes nothing', () => {
    const periods = leadPeriods([
      { at: t('01:00'), action: 'accept', payload: {} },
      { at: t('02:00'), action: 'dispatch', payload: { unitCode: 'S' } },
      { at: t('03:00'), action: 'rule_return', payload: { decision: 'keep', reason: 'r' } },
      { at: t('04:00'), action: 'escalate', payload: { unitCode: 'D', fromUnitCode: 'S' } },
      { at: t('05:00'), action: 'assist', payload: { unitCode: 'X' } },
      { at: t('06:00'), action: 'hand_back', payload: { unitCode: 'S' } },
    ]);
    expect(periods).toEqual([
      { unitCode: 'S', from: t('02:00'), to: t('04:00') },
      { unitCode: 'D', from: t('04:00'), to: t('06:00') },
      { unitCode: 'S', from: t('06:00'), to: null },
    ]);
  });

  // The list must agree with the workflow table: exactly these actions move the lead.
  const c: CaseState = {
    id: 'c', trackingNo: 'SZ-1', channel: 'web', type: 'help', category: null, content: 'x', address: null, lat: null, lng: null,
    urgency: 'normal', groupSize: null, amount: null, intakeUnitCode: 'S', leadUnitCode: 'S', coUnitCodes: [], scopeUnits: ['4403', 'S'],
    status: 'signed', anonymous: false, reply: null, rating: null, mergedInto: null, returnReason: null, dispatchedAt: null,
    signedAt: null, contactedAt: null, firstFeedbackAt: null, resolvedAt: null, closedAt: null, createdAt: t('00:00'), updatedAt: t('00:00'),
  };
  const moves: { [A in keyof ActionInputs]?: [CaseState['status'], ActionInputs[A]] } = {
    dispatch: ['received', { unit: U('N') }],
    transfer: ['signed', { unit: U('N'), reason: 'r' }],
    rule_return: ['return_requested', { decision: 'redispatch', unit: U('N') }],
    escalate: ['signed', { unit: U('N'), fromUnitCode: 'S', reason: 'r' }],
    hand_back: ['escalated', { unit: U('N'), status: 'signed', note: 'n' }],
    assist: ['signed', { unit: U('N') }],
    summon: ['escalated', { units: [U('N')], reason: 'r' }],
  };
  it.each(Object.entries(moves))('%s', (action, [status, input]) => {
    const tr = transition({ ...c, status }, action as keyof ActionInputs, input as never, t('01:00'));
    const moved = tr.patch.leadUnitCode !== undefined && tr.patch.leadUnitCode !== c.leadUnitCode;
    expect(moved).toBe(LEAD_ACTIONS.includes(action));
    if (moved) expect(tr.payload.unitCode).toBe(tr.patch.leadUnitCode);
  });
});

describe('duty over clocks', () => {
  const shift = (id: string, unitCode: string, from: string, to: string): DutyShift =>
    ({ id, unitCode, userId: `u-${id}`, startsAt: t(from), endsAt: t(to), label: null });
  const shifts = [
    shift('s1', 'S', '00:00', '08:00'), shift('s2', 'S', '08:00', '16:00'), shift('d1', 'D', '00:00', '23:59'), shift('x', 'X', '00:00', '23:59'),
  ];
  const periods = [{ unitCode: 'S', from: t('02:00'), to: t('09:00') }, { unitCode: 'D', from: t('09:00'), to: null }];

  it('splits a clock by lead unit and lists the overlapping shifts of each', () => {
    const windows = clockWindows([
      { name: 'resolve', run: 1, startedAt: '2026-11-27T02:00:00.000Z', metAt: null, cancelledAt: null },
      { name: 'contact', run: 1, startedAt: t('06:00'), metAt: t('07:00') },
      { name: 'sign', run: 1, startedAt: null },
    ], t('10:00'));
    expect(windows.map((w) => [w.clock, w.running])).toEqual([['resolve', true], ['contact', false]]);
    const [resolve, contact] = dutyOverClocks(windows, periods, shifts);
    expect(resolve!.units.map((u) => [u.unitCode, u.from, u.to, u.shifts.map((s) => s.id)])).toEqual([
      ['S', t('02:00'), t('09:00'), ['s1', 's2']],
      ['D', t('09:00'), t('10:00'), ['d1']],
    ]);
    expect(contact!.units.map((u) => [u.unitCode, u.shifts.map((s) => s.id)])).toEqual([['S', ['s1']]]);
  });

  it('a clock met the instant it started shows who was on duty then', () => {
    const [w] = dutyOverClocks([{ clock: 'sign', run: 1, from: t('08:00'), to: t('08:00'), running: false }], periods, shifts);
    expect(w!.units.map((u) => [u.unitCode, u.shifts.map((s) => s.id)])).toEqual([['S', ['s2']]]);
  });
});
