import { describe, expect, it } from 'vitest';
import { checkExtension, DEFAULT_POLICIES, durationMs, selectPolicy, type CaseFacts, type ClockDef, type ClockPolicy } from './clock-policy.ts';

const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ channel: 'hotline', urgency: 'normal', type: 'complaint', category: '市政设施', ...over });
const resolveOf = (p: ClockPolicy) => p.clocks.find((c) => c.name === 'resolve');
const defOf = (policy: string, clock: string): ClockDef => {
  const def = DEFAULT_POLICIES.find((p) => p.id === policy)?.clocks.find((c) => c.name === clock);
  if (!def) throw new Error(`${policy}/${clock} missing`);
  return def;
};

describe('selectPolicy over the defaults', () => {
  it.each<[string, Partial<CaseFacts>, string]>([
    ['a petition, even an emergency one', { petition: true, urgency: 'emergency' }, 'petition'],
    ['an emergency', { urgency: 'emergency' }, 'emergency'],
    ['an emergency about water', { urgency: 'emergency', category: '供水' }, 'emergency'],
    ['an urgent case', { urgency: 'urgent' }, 'urgent'],
    ['a water outage', { category: '停水' }, 'utilities'],
    ['gas', { category: '燃气' }, 'utilities'],
    ['a complex case', { complex: true }, 'complex'],
    ['a complex power cut', { complex: true, category: '供电' }, 'utilities'],
    ['an ordinary complaint', {}, 'general'],
    ['no category', { category: null }, 'general'],
    ['not a petition, said explicitly', { petition: false }, 'general'],
    ['a consultation by QR code', { channel: 'qr', type: 'consult' }, 'general'],
  ])('%s → %s', (_what, over, id) => {
    expect(selectPolicy(DEFAULT_POLICIES, facts(over)).id).toBe(id);
  });

  it.each<[string, { amount: number; unit: string; basis: string } | undefined]>([
    ['emergency', { amount: 2, unit: 'hours', basis: 'calendar' }],
    ['urgent', { amount: 24, unit: 'hours', basis: 'calendar' }],
    ['utilities', { amount: 24, unit: 'hours', basis: 'calendar' }],
    ['complex', { amount: 15, unit: 'days', basis: 'workdays' }],
    ['general', { amount: 7, unit: 'days', basis: 'workdays' }],
    ['petition', undefined],
  ])('%s resolves within %j', (id, expected) => {
    const r = resolveOf(DEFAULT_POLICIES.find((p) => p.id === id)!);
    expect(r && { ...r.target, basis: r.basis }).toEqual(expected);
  });

  it('ships the handling clocks and the petition limits', () => {
    expect(defOf('general', 'sign')).toMatchObject({ start: 'dispatched', stop: 'signed', target: { amount: 10, unit: 'minutes' }, basis: 'calendar', warnAt: [0.5, 0.8] });
    expect(defOf('general', 'contact')).toMatchObject({ start: 'signed', stop: 'contacted', target: { amount: 30, unit: 'minutes' } });
    expect(defOf('general', 'first_feedback')).toMatchObject({ stop: 'feedback', target: { amount: 4, unit: 'days' }, basis: 'workdays' });
    expect(defOf('petition', 'petition_accept')).toMatchObject({ start: 'accepted', stop: 'accepted_decision', target: { amount: 15, unit: 'days' }, basis: 'calendar' });
    expect(defOf('petition', 'petition_handle')).toMatchObject({
      start: 'accepted_decision', stop: 'resolved', target: { amount: 60, unit: 'days' }, maxExtension: { max: { amount: 30, unit: 'days' }, times: 1 },
    });
  });

  it('ends with a fallback that matches everything', () => {
    expect(DEFAULT_POLICIES.at(-1)?.match).toEqual({});
  });
});

describe('selectPolicy over custom lists', () => {
  const rs: ClockPolicy = { id: 'rs-wages', name: '人社局欠薪', match: { bureau: '4403-RS', type: ['complaint', 'report'] }, clocks: [] };
  const street: ClockPolicy = { id: 'street-qr', name: '街道扫码', match: { unitKind: 'street', channel: 'qr' }, clocks: [] };
  const list = [rs, street, ...DEFAULT_POLICIES];

  it.each<[string, Partial<CaseFacts>, string]>([
    ['a wage complaint at the bureau', { bureau: '4403-RS', type: 'complaint' }, 'rs-wages'],
    ['a wage report at the bureau', { bureau: '4403-RS', type: 'report' }, 'rs-wages'],
    ['a consultation at the bureau', { bureau: '4403-RS', type: 'consult' }, 'general'],
    ['another bureau', { bureau: '4403-ZJ', type: 'complaint' }, 'general'],
    ['a QR case led by a street', { unitKind: 'street', channel: 'qr' }, 'street-qr'],
    ['a QR case not yet dispatched', { unitKind: null, channel: 'qr' }, 'general'],
    ['first match wins over a later, more specific one', { bureau: '4403-RS', type: 'complaint', urgency: 'emergency' }, 'rs-wages'],
  ])('%s → %s', (_what, over, id) => {
    expect(selectPolicy(list, facts(over)).id).toBe(id);
  });

  it('throws when nothing matches: the fallback is missing', () => {
    expect(() => selectPolicy([rs], facts())).toThrow(/fallback/);
    expect(() => selectPolicy([], facts())).toThrow(/fallback/);
  });
});

describe('durationMs', () => {
  it.each([
    [{ amount: 10, unit: 'minutes' }, 'calendar', 600_000],
    [{ amount: 2, unit: 'hours' }, 'workhours', 7_200_000],
    [{ amount: 1, unit: 'days' }, 'calendar', 86_400_000],
    [{ amount: 1, unit: 'days' }, 'workdays', 86_400_000],
    [{ amount: 1, unit: 'days' }, 'workhours', 9 * 3_600_000],
  ] as const)('%j on %s → %i ms', (d, basis, ms) => {
    expect(durationMs(d, basis)).toBe(ms);
  });
});

describe('checkExtension', () => {
  const handle = defOf('petition', 'petition_handle');
  it.each<[string, ClockDef, { amount: number; unit: 'days' | 'hours' | 'minutes' }[], { amount: number; unit: 'days' | 'hours' | 'minutes' }, RegExp | null]>([
    ['30 days on a petition', handle, [], { amount: 30, unit: 'days' }, null],
    ['31 days', handle, [], { amount: 31, unit: 'days' }, /at most 30 days/],
    ['a second extension', handle, [{ amount: 10, unit: 'days' }], { amount: 5, unit: 'days' }, /at most 1 extension/],
    ['zero', handle, [], { amount: 0, unit: 'days' }, /positive/],
    ['the sign clock', defOf('general', 'sign'), [], { amount: 5, unit: 'minutes' }, /cannot be extended/],
    ['7 more working days on a general case', defOf('general', 'resolve'), [], { amount: 7, unit: 'days' }, null],
  ])('%s', (_what, def, granted, requested, error) => {
    const run = () => checkExtension(def, granted, requested);
    if (error) expect(run).toThrow(error);
    else expect(run).not.toThrow();
  });
});
