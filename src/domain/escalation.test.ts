import { describe, expect, it } from 'vitest';
import type { CaseState, Status } from './case.ts';
import { awaitingCoSign, escalationOrigin } from './escalation.ts';
import { transition } from './workflow.ts';

const now = new Date('2026-11-27T03:00:00Z');
const STREET = { code: '440311005', ancestors: ['4403', '440311', '440311005'] };
const DISTRICT = { code: '440311', ancestors: ['4403', '440311'] };
const SW = { code: '4403-SW', ancestors: ['4403', '4403-SW'] };
const base = (status: Status, over: Partial<CaseState> = {}): CaseState => ({
  id: 'c1', trackingNo: 'SZ-20261127-000001', channel: 'qr', type: 'complaint', category: null, content: 'x', address: null,
  lat: null, lng: null, urgency: 'normal', groupSize: null, amount: null, intakeUnitCode: STREET.code, leadUnitCode: STREET.code,
  coUnitCodes: [], scopeUnits: STREET.ancestors, status, anonymous: false, reply: null, rating: null,
  mergedInto: null, returnReason: null, dispatchedAt: new Date(1), signedAt: new Date(2), contactedAt: null, firstFeedbackAt: null,
  resolvedAt: null, closedAt: null, createdAt: new Date(0), updatedAt: new Date(0), ...over,
});

describe('escalation transitions', () => {
  it('escalate: the parent leads, the case is escalated, sign times stay', () => {
    const t = transition(base('reopened'), 'escalate', { unit: DISTRICT, fromUnitCode: STREET.code, reason: '涉及多部门' }, now);
    expect(t.to).toBe('escalated');
    expect(t.patch).toMatchObject({ leadUnitCode: '440311', scopeUnits: ['4403', '440311', '440311005'] });
    expect(t.patch).not.toHaveProperty('signedAt');
    expect(t.payload).toEqual({ unitCode: '440311', fromUnitCode: '440311005', reason: '涉及多部门' });
  });
  it('summon: units join as co-units and their trees widen the scope', () => {
    const t = transition(base('escalated', { leadUnitCode: DISTRICT.code }), 'summon', { units: [SW], reason: '吹哨' }, now);
    expect(t.to).toBe('escalated');
    expect(t.patch).toMatchObject({ coUnitCodes: ['4403-SW'], scopeUnits: ['4403', '440311', '440311005', '4403-SW'] });
    expect(t.payload).toEqual({ unitCodes: ['4403-SW'], reason: '吹哨' });
  });
  it('co_sign changes nothing but records the unit', () => {
    const t = transition(base('escalated', { coUnitCodes: [SW.code] }), 'co_sign', { unitCode: SW.code }, now);
    expect(t.patch).toEqual({ status: 'escalated', updatedAt: now });
    expect(t.payload).toEqual({ unitCode: '4403-SW' });
  });
  it('hand_back returns the lead and the status it escalated from', () => {
    const t = transition(base('escalated', { leadUnitCode: DISTRICT.code }), 'hand_back', { unit: STREET, status: 'reopened', note: '已协调水务' }, now);
    expect(t.to).toBe('reopened');
    expect(t.patch).toMatchObject({ leadUnitCode: '440311005' });
    expect(t.payload).toEqual({ unitCode: '440311005', note: '已协调水务' });
  });
});

describe('read from the events', () => {
  const esc = (from: string, fromStatus: string) => ({ action: 'escalate', fromStatus, payload: { unitCode: 'P', fromUnitCode: from } });
  it.each([
    ['never escalated', [{ action: 'dispatch', fromStatus: 'received', payload: {} }], null],
    ['one escalation', [esc('440311005', 'signed')], { unitCode: '440311005', status: 'signed' }],
    ['the latest wins', [esc('A', 'signed'), { action: 'hand_back', fromStatus: 'escalated', payload: {} }, esc('B', 'reopened')], { unitCode: 'B', status: 'reopened' }],
    ['a malformed payload is no origin', [{ action: 'escalate', fromStatus: 'signed', payload: {} }], null],
  ] as const)('escalationOrigin: %s', (_n, events, want) => {
    expect(escalationOrigin(events)).toEqual(want);
  });

  const summon = (...unitCodes: string[]) => ({ action: 'summon', fromStatus: 'escalated', payload: { unitCodes } });
  const coSign = (unitCode: string) => ({ action: 'co_sign', fromStatus: 'escalated', payload: { unitCode } });
  it.each([
    ['nobody summoned', [], []],
    ['two summoned, one signed', [summon('A', 'B'), coSign('A')], ['B']],
    ['summoned again after signing owes again', [summon('A'), coSign('A'), summon('A')], ['A']],
    ['a co-sign by an unsummoned unit changes nothing', [summon('A'), coSign('Z')], ['A']],
  ] as const)('awaitingCoSign: %s', (_n, events, want) => {
    expect(awaitingCoSign(events)).toEqual(want);
  });
});
