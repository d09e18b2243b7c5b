import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from './clock-policy.ts';
import { EXTENSION_ACTION, computeClocks, type ClockCaseEvent } from './clocks.ts';
import { approvableExtension, checkExtensionRequest, decidesForLead, pendingExtension, refusableExtension } from './extensions.ts';
import { makeWorkCalendar } from './work-calendar.ts';

const cal = makeWorkCalendar();
const general = DEFAULT_POLICIES.find((p) => p.id === 'general')!.clocks;
const cn = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const ev = (at: string, action: string, payload: unknown = {}, from = 'signed', to = 'signed'): ClockCaseEvent => ({ at: cn(at), action, fromStatus: from, toStatus: to, payload });
const base = [
  ev('2026-03-09 10:00', 'accept', {}, null as never, 'received'), ev('2026-03-09 10:00', 'dispatch', {}, 'received', 'dispatched'),
  ev('2026-03-09 10:05', 'sign', {}, 'dispatched', 'signed'),
];
const ask = (at: string, amount = 3) => ev(at, 'extend', { clock: 'resolve', amount, unit: 'days', reason: '协调' });
const state = (events: ClockCaseEvent[]) => {
  const clocks = computeClocks(general, events, events.at(-1)!.at, cal).clocks;
  return { clocks, pending: pendingExtension(events, clocks) };
};
const req = { clock: 'resolve' as const, amount: 3, unit: 'days' as const };

describe('extensions', () => {
  it('a request waits until approved or refused', () => {
    expect(state([...base, ask('2026-03-10 09:00')]).pending).toMatchObject({ clock: 'resolve', amount: 3 });
    expect(state([...base, ask('2026-03-10 09:00'), ev('2026-03-10 10:00', 'refuse_extension', { clock: 'resolve', reason: 'x' })]).pending).toBeNull();
    expect(state([...base, ask('2026-03-10 09:00'), ev('2026-03-10 10:00', EXTENSION_ACTION, req)]).pending).toBeNull();
  });

  it('a request lapses when its clock stops', () => {
    expect(state([...base, ask('2026-03-10 09:00'), ev('2026-03-10 10:00', 'resolve', {}, 'signed', 'resolved')]).pending).toBeNull();
  });

  it.each([
    ['a clock the policy lacks', { ...req, clock: 'petition_handle' as const }, /no petition_handle clock/],
    ['a stopped clock', { ...req, clock: 'sign' as const }, /sign clock is not running/],
    ['more than the maximum', { ...req, amount: 8 }, /at most 7 days/],
  ])('refuses to ask for %s', (_what, r, msg) => {
    const { clocks, pending } = state(base);
    expect(() => checkExtensionRequest(general, clocks, pending, r)).toThrow(msg);
  });

  it('one request at a time, one extension per run under the general policy', () => {
    const waiting = state([...base, ask('2026-03-10 09:00')]);
    expect(() => checkExtensionRequest(general, waiting.clocks, waiting.pending, req)).toThrow(/already waiting/);
    expect(approvableExtension(general, waiting.clocks, waiting.pending)).toMatchObject(req);
    const granted = state([...base, ask('2026-03-10 09:00'), ev('2026-03-10 10:00', EXTENSION_ACTION, req)]);
    expect(() => checkExtensionRequest(general, granted.clocks, granted.pending, req)).toThrow(/at most 1 extension/);
    expect(() => approvableExtension(general, granted.clocks, granted.pending)).toThrow(/no extension request/);
    expect(() => refusableExtension(null)).toThrow(/no extension request/);
  });

  it('is decided at the lead unit or above it', () => {
    const lead = ['4403', '440311', '440311005'];
    expect(decidesForLead('440311', lead)).toBe(true);
    expect(decidesForLead('440311005', lead)).toBe(true);
    expect(decidesForLead('440311001', lead)).toBe(false);
  });
});
