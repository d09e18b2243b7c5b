import { describe, expect, it } from 'vitest';
import type { Actor, Party, Role } from './actor.ts';
import { PARTIES } from './actor.ts';
import type { CaseState, Status } from './case.ts';
import { STATUS_LIST } from './case.ts';
import { allowedActions, can, canSee, canSubmit, visibleScope } from './policy.ts';
import type { CaseAction } from './workflow.ts';
import { CASE_ACTIONS } from './workflow.ts';

// The workflow as the issue specifies it, written out by hand: action → statuses → parties.
const W = ['signed', 'reopened'] as const;
const UNRESOLVED = ['received', 'dispatched', 'signed', 'return_requested', 'reopened', 'escalated', 'pending'] as const;
const EXPECTED: Record<CaseAction, { from: readonly Status[]; parties: readonly Party[] }> = {
  dispatch: { from: ['received'], parties: ['operator'] },
  sign: { from: ['dispatched'], parties: ['handler'] },
  return: { from: ['dispatched', 'signed'], parties: ['handler'] },
  rule_return: { from: ['return_requested'], parties: ['operator'] },
  transfer: { from: ['dispatched', ...W], parties: ['operator'] },
  assist: { from: ['dispatched', ...W], parties: ['operator', 'handler'] },
  contact: { from: [...W, 'escalated'], parties: ['handler'] },
  feedback: { from: [...W, 'pending', 'escalated'], parties: ['handler'] },
  resolve: { from: W, parties: ['handler'] },
  rate: { from: ['resolved'], parties: ['citizen', 'operator'] },
  close: { from: ['resolved'], parties: ['operator'] },
  reopen: { from: ['resolved', 'closed'], parties: ['operator', 'leader'] },
  merge: { from: ['received', 'dispatched'], parties: ['operator'] },
  answer: { from: ['received'], parties: ['operator'] },
  not_accept: { from: ['received'], parties: ['operator'] },
  pend: { from: W, parties: ['handler'] },
  resume: { from: ['pending'], parties: ['handler', 'citizen'] },
  reveal: { from: STATUS_LIST, parties: ['operator', 'handler', 'leader'] },
  extend: { from: [...W, 'pending'], parties: ['handler'] },
  approve_extension: { from: [...W, 'pending'], parties: ['leader'] },
  refuse_extension: { from: [...W, 'pending'], parties: ['leader'] },
  escalate: { from: W, parties: ['handler'] },
  summon: { from: ['escalated'], parties: ['handler'] },
  co_sign: { from: [...W, 'escalated', 'pending'], parties: ['handler'] },
  hand_back: { from: ['escalated'], parties: ['handler'] },
  supplement: { from: UNRESOLVED, parties: ['citizen', 'operator'] },
  withdraw: { from: UNRESOLVED, parties: ['citizen', 'operator'] },
  thank: { from: ['resolved', 'closed'], parties: ['citizen'] },
  attach: { from: STATUS_LIST.filter((s) => s !== 'merged' && s !== 'withdrawn'), parties: ['citizen', 'operator', 'handler', 'leader'] },
};

// 光明区 440311 → 玉塘街道 440311005 (lead) ; 光明街道 440311001 is its sibling.
const CITY = '4403', DISTRICT = '440311', STREET = '440311005', SIBLING = '440311001';
const caseIn = (status: Status): CaseState => ({
  id: 'c1', trackingNo: 'SZ-20261127-000001', channel: 'web', type: 'complaint', category: null, content: 'x',
  address: null, lat: null, lng: null, urgency: 'normal', groupSize: null, amount: null,
  intakeUnitCode: STREET, leadUnitCode: STREET, coUnitCodes: [], scopeUnits: [CITY, DISTRICT, STREET],
  status, anonymous: false, reply: null, rating: null, mergedInto: null, returnReason: null,
  dispatchedAt: null, signedAt: null, contactedAt: null, firstFeedbackAt: null, resolvedAt: null, closedAt: null,
  createdAt: new Date(0), updatedAt: new Date(0),
});
const staff = (role: Role, unitCode: string): Actor =>
  ({ kind: 'staff', id: `${role}@${unitCode}`, role, unitCode });
/** An actor of the party standing in the closest relation to the case. */
const related = (p: Party): Actor => (p === 'citizen' ? { kind: 'citizen', caseId: 'c1' } : staff(p, p === 'handler' ? STREET : DISTRICT));
/** The same party with no relation: a sibling street, another citizen's case. */
const unrelated = (p: Party): Actor => (p === 'citizen' ? { kind: 'citizen', caseId: 'c2' } : staff(p, SIBLING));

describe('every status × action × party', () => {
  const rows = STATUS_LIST.flatMap((s) => CASE_ACTIONS.flatMap((a) => PARTIES.map((p) => [s, a, p] as const)));
  it('covers the full product', () => {
    expect(rows).toHaveLength(13 * 29 * 6);
  });
  it.each(rows)('%s × %s × %s', (status, action, party) => {
    // The lead street also owes a co-signature here, so the closest handler stands in every relation.
    const c = { ...caseIn(status), awaitingCoSign: [STREET] };
    const want = EXPECTED[action].from.includes(status) && EXPECTED[action].parties.includes(party);
    expect(can(related(party), action, c)).toBe(want);
    expect(can(unrelated(party), action, c)).toBe(false);
  });
});

describe('relations', () => {
  const c = { ...caseIn('signed'), coUnitCodes: ['4403-SW'], scopeUnits: [CITY, DISTRICT, STREET, '4403-SW'] };
  it.each([
    ['co-unit handler may contact', staff('handler', '4403-SW'), 'contact', true],
    ['co-unit handler may give feedback', staff('handler', '4403-SW'), 'feedback', true],
    ['co-unit handler may not resolve', staff('handler', '4403-SW'), 'resolve', false],
    ['district handler is not the lead', staff('handler', DISTRICT), 'resolve', false],
    ['city operator may transfer', staff('operator', CITY), 'transfer', true],
    ['sibling-street operator may not transfer', staff('operator', SIBLING), 'transfer', false],
    ['district leader may reveal', staff('leader', DISTRICT), 'reveal', true],
    ['admin may not reveal', staff('admin', CITY), 'reveal', false],
  ] as const)('%s', (_name, actor, action, want) => {
    expect(can(actor, action, c)).toBe(want);
  });

  it('a sibling street sees nothing', () => {
    expect(canSee(staff('handler', SIBLING), c)).toBe(false);
    expect(allowedActions(staff('leader', SIBLING), c)).toEqual([]);
  });

  it('allowedActions lists what the lead handler may do on a signed case', () => {
    expect(allowedActions(staff('handler', STREET), c)).toEqual(['return', 'assist', 'contact', 'feedback', 'resolve', 'pend', 'reveal', 'extend', 'escalate', 'attach']);
  });
});

describe('escalation relations', () => {
  // The street escalated to its district, which leads and summoned the water bureau ('4403-SW').
  const SW = '4403-SW';
  const escalated = { ...caseIn('escalated'), leadUnitCode: DISTRICT, coUnitCodes: [SW], scopeUnits: [CITY, DISTRICT, STREET, SW] };
  it.each([
    ['the district (now lead) may summon', staff('handler', DISTRICT), 'summon', [SW], true],
    ['the district may hand back', staff('handler', DISTRICT), 'hand_back', [SW], true],
    ['the escalating street no longer leads', staff('handler', STREET), 'hand_back', [SW], false],
    ['the street may not escalate again while escalated', staff('handler', STREET), 'escalate', [SW], false],
    ['a summoned unit may co-sign', staff('handler', SW), 'co_sign', [SW], true],
    ['once signed it may not sign again', staff('handler', SW), 'co_sign', [], false],
    ['unknown summons (a list row) offer no co_sign', staff('handler', SW), 'co_sign', undefined, false],
    ['a summoned unit may give feedback as a co-unit', staff('handler', SW), 'feedback', [SW], true],
    ['a summoned unit may not summon', staff('handler', SW), 'summon', [SW], false],
    ['a summoned operator may not co-sign', staff('operator', SW), 'co_sign', [SW], false],
  ] as const)('%s', (_name, actor, action, awaiting, want) => {
    expect(can(actor, action, { ...escalated, awaitingCoSign: awaiting })).toBe(want);
  });
});

describe('visibleScope', () => {
  it.each([
    ['operator', ['440311']], ['handler', ['440311']], ['leader', ['440311']], ['admin', []], ['auditor', []],
  ] as const)('%s sees %j', (role, units) => {
    expect(visibleScope(staff(role, DISTRICT))).toEqual({ units });
  });
  it('the system (clock scanner) sees nothing and may take no action', () => {
    const system: Actor = { kind: 'system', id: 'clock-scanner' };
    expect(visibleScope(system)).toEqual({ units: [] });
    expect(STATUS_LIST.flatMap((s) => allowedActions(system, caseIn(s)))).toEqual([]);
  });
  it('a citizen lists nothing', () => {
    expect(visibleScope({ kind: 'citizen', caseId: 'c1' })).toEqual({ units: [] });
  });
});

describe('canSubmit', () => {
  it.each([
    [null, 'web', true], [null, 'qr', true], [null, 'walk_in', false], [null, 'hotline', false],
    [staff('operator', STREET), 'hotline', true], [staff('handler', STREET), 'walk_in', false],
  ] as const)('%j via %s → %s', (actor, channel, want) => {
    expect(canSubmit(actor, channel)).toBe(want);
  });
});
