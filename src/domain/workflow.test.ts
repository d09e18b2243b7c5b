import { describe, expect, it } from 'vitest';
import type { CaseState, Status } from './case.ts';
import { mayRateRootAnswer } from './case.ts';
import { can } from './policy.ts';
import { transition } from './workflow.ts';

const now = new Date('2026-11-27T03:00:00Z');
const base = (status: Status, over: Partial<CaseState> = {}): CaseState => ({
  id: 'c1', trackingNo: 'SZ-20261127-000001', channel: 'qr', type: 'complaint', category: null, content: 'x', address: null,
  lat: null, lng: null, urgency: 'normal', groupSize: null, amount: null, intakeUnitCode: '440311005', leadUnitCode: '440311005',
  coUnitCodes: [], scopeUnits: ['4403', '440311', '440311005'], status, anonymous: false, reply: null, rating: null,
  mergedInto: null, returnReason: null, dispatchedAt: null, signedAt: null, contactedAt: null, firstFeedbackAt: null,
  resolvedAt: null, closedAt: null, createdAt: new Date(0), updatedAt: new Date(0), ...over,
});
const MATIAN = { code: '440311006', ancestors: ['4403', '440311', '440311006'] };
const RS = { code: '4403-RS', ancestors: ['4403', '4403-RS'] };

describe('transition effects', () => {
  it.each([
    ['dispatch sets the lead and widens the scope', base('received', { leadUnitCode: null }), 'dispatch', { unit: MATIAN },
      { status: 'dispatched', leadUnitCode: '440311006', dispatchedAt: now, scopeUnits: ['4403', '440311', '440311005', '440311006'] }],
    ['sign stamps the time', base('dispatched'), 'sign', {}, { status: 'signed', signedAt: now }],
    ['return keeps the reason', base('signed'), 'return', { reason: '不属于本街道' }, { status: 'return_requested', returnReason: '不属于本街道' }],
    ['keep sends it back to the same unit', base('return_requested', { returnReason: 'r' }), 'rule_return', { decision: 'keep', reason: 'k' },
      { status: 'dispatched', returnReason: null, dispatchedAt: now }],
    ['assist adds a co-unit once', base('signed', { coUnitCodes: [] }), 'assist', { unit: RS },
      { status: 'signed', coUnitCodes: ['4403-RS'], scopeUnits: ['4403', '440311', '440311005', '4403-RS'] }],
    ['the first contact is kept', base('signed', { contactedAt: new Date(1) }), 'contact', { method: 'phone', note: 'n' },
      { status: 'signed', contactedAt: new Date(1) }],
    ['the first feedback is stamped', base('pending'), 'feedback', { message: 'm' }, { status: 'pending', firstFeedbackAt: now }],
    ['resolve stores the reply', base('reopened'), 'resolve', { reply: 'done' }, { status: 'resolved', reply: 'done', resolvedAt: now }],
    ['a satisfied rating closes', base('resolved', { resolvedAt: new Date(5) }), 'rate', { resolved: true, satisfied: true, by: 'citizen' },
      { status: 'closed', closedAt: now, rating: { resolved: true, satisfied: true, comment: null, by: 'citizen', at: now.toISOString() } }],
    ['an unsatisfied rating reopens', base('resolved', { resolvedAt: new Date(5) }), 'rate', { resolved: false, satisfied: false, comment: '没修好', by: 'callback' },
      { status: 'reopened', resolvedAt: null, closedAt: null }],
    ['answer closes at intake', base('received'), 'answer', { reply: 'a' }, { status: 'answered', reply: 'a', closedAt: now }],
    ['a merged reporter\'s rating is kept on their case, which stays merged', base('merged', { mergedInto: 'root', closedAt: new Date(3) }), 'rate',
      { resolved: true, satisfied: false, by: 'citizen' },
      { status: 'merged', rating: { resolved: true, satisfied: false, comment: null, by: 'citizen', at: now.toISOString() } }],
    ['merge points at the root', base('dispatched'), 'merge', { into: { id: 'root', trackingNo: 'SZ-1' } }, { status: 'merged', mergedInto: 'root' }],
    ['resume goes back to work', base('pending'), 'resume', {}, { status: 'signed' }],
    ['reveal changes nothing but the time', base('closed'), 'reveal', { field: 'phone' }, { status: 'closed', updatedAt: now }],
  ] as const)('%s', (_name, c, action, input, want) => {
    const t = transition(c, action, input as never, now);
    expect(t.patch).toMatchObject(want);
    expect(t.from).toBe(c.status);
    expect(t.to).toBe(want.status);
  });

  it('records unit codes, not unit objects, in the event payload', () => {
    expect(transition(base('received'), 'dispatch', { unit: MATIAN }, now).payload).toEqual({ unitCode: '440311006' });
    expect(transition(base('dispatched'), 'merge', { into: { id: 'r', trackingNo: 'SZ-1' } }, now).payload)
      .toEqual({ intoCaseId: 'r', intoTrackingNo: 'SZ-1' });
  });

  it('lets a merged reporter rate only once the case it was merged into is answered', () => {
    const citizen = { kind: 'citizen', caseId: 'c1' } as const;
    const merged = base('merged', { mergedInto: 'root' });
    expect(can(citizen, 'rate', merged)).toBe(false);
    expect(can(citizen, 'rate', { ...merged, rootAnswerToRate: false })).toBe(false);
    expect(can(citizen, 'rate', { ...merged, rootAnswerToRate: true })).toBe(true);
    expect(can({ kind: 'citizen', caseId: 'other' }, 'rate', { ...merged, rootAnswerToRate: true })).toBe(false);
    // Once per answer: rated after the root's answer → no more; a later answer may be rated again.
    const answeredAt = new Date('2026-11-27T03:00:00Z');
    const rated = { resolved: true, satisfied: false, comment: null, by: 'citizen' as const, at: '2026-11-27T04:00:00.000Z' };
    expect(mayRateRootAnswer(null, { status: 'resolved', answeredAt })).toBe(true);
    expect(mayRateRootAnswer(null, { status: 'signed', answeredAt: null })).toBe(false);
    expect(mayRateRootAnswer(rated, { status: 'resolved', answeredAt })).toBe(false);
    expect(mayRateRootAnswer(rated, { status: 'resolved', answeredAt: new Date('2026-11-28T03:00:00Z') })).toBe(true);
    expect(can(citizen, 'rate', base('resolved'))).toBe(true);
  });

  it('refuses an action the status does not allow', () => {
    expect(() => transition(base('closed'), 'sign', {}, now)).toThrow(/sign is not allowed from closed/);
  });
});
