import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import type { Channel } from './case.ts';
import { checkIntakeUnit, checkMailboxUnit, defaultIntakeUnit, mayUseChannel } from './channel.ts';
import type { UnitKind } from './org.ts';

const DISTRICT = '440311', STREET = '440311005';
const op: Actor = { kind: 'staff', id: 'u1', role: 'operator', unitCode: DISTRICT };
const handler: Actor = { kind: 'staff', id: 'u2', role: 'handler', unitCode: DISTRICT };
const unit = (kind: UnitKind, code = 'X1', ancestors = ['4403', code]) => ({ code, kind, ancestors });
const street = unit('street', STREET, ['4403', DISTRICT, STREET]);
const otherDistrict = unit('district', '440303', ['4403', '440303']);
const bureau = unit('bureau', '4403-RS');

describe('mayUseChannel', () => {
  it.each([
    [null, 'web', true], [null, 'qr', true], [null, 'mailbox', true], [null, 'open311', true],
    [null, 'walk_in', false], [null, 'hotline', false], [handler, 'walk_in', false],
    [op, 'walk_in', true], [op, 'hotline', true], [null, 'fax', false],
  ] as const)('%j via %s → %s', (actor, channel, want) => {
    expect(mayUseChannel(actor, channel)).toBe(want);
  });
});

describe('checkIntakeUnit', () => {
  const open = { open: true }, closed = { open: false };
  // [channel, actor, unit, mailbox, error or null]
  it.each([
    ['web', null, null, null, null],
    ['web', null, bureau, null, null],
    ['qr', null, street, null, null],
    ['qr', null, unit('site'), null, null],
    ['qr', null, null, null, /^unitCode: is required for channel qr/],
    ['qr', null, bureau, null, /^unitCode: 4403-RS is a bureau; QR codes belong to/],
    ['qr', null, unit('city', '4403', ['4403']), null, /QR codes belong to/],
    ['mailbox', null, bureau, open, null],
    ['mailbox', null, bureau, closed, /^unitCode: the mailbox of 4403-RS is not open/],
    ['mailbox', null, bureau, null, /is not open/],
    ['mailbox', null, street, open, /mailboxes belong to bureaus/],
    ['mailbox', null, null, null, /is required for channel mailbox/],
    ['walk_in', op, null, null, null],
    ['walk_in', op, street, null, null],
    ['hotline', op, otherDistrict, null, /^unitCode: must be your own unit or one below it/],
  ] as const)('%s %j at %j (mailbox %j)', (channel, actor, u, mailbox, error) => {
    const run = () => checkIntakeUnit(channel as Channel, actor, u, mailbox);
    if (error) expect(run).toThrow(error);
    else expect(run).not.toThrow();
  });
});

describe('defaultIntakeUnit', () => {
  it('operators register at their own desk; everything else lands at the city center', () => {
    expect(defaultIntakeUnit('walk_in', op)).toBe(DISTRICT);
    expect(defaultIntakeUnit('hotline', op)).toBe(DISTRICT);
    expect(defaultIntakeUnit('web', null)).toBeNull();
    expect(defaultIntakeUnit('web', op)).toBeNull();
  });
});

describe('checkMailboxUnit', () => {
  it('only bureaus open a mailbox', () => {
    expect(() => checkMailboxUnit(bureau)).not.toThrow();
    expect(() => checkMailboxUnit(street)).toThrow(/^unitCode: 440311005 is a street; only bureaus/);
  });
});
