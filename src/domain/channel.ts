/**
 * Intake channels and their rules, in one table: who may use a channel and which unit takes the
 * request in (the intake unit). Pure; the use case looks the unit and the mailbox up and asks here.
 */
import type { Actor } from './actor.ts';
import type { Channel } from './case.ts';
import { badInput } from './errors.ts';
import type { Unit, UnitKind } from './org.ts';

/** Units that have a 书记在线 QR code: the service centers from district down to sites. */
export const QR_UNIT_KINDS: readonly UnitKind[] = ['district', 'street', 'community', 'site'];
/** Units that may open a 局长信箱. */
export const MAILBOX_UNIT_KINDS: readonly UnitKind[] = ['bureau'];

interface ChannelRule {
  /** `operator`: registered by an operator for a citizen (walk-in, phone call); `anyone`: the public. */
  by: 'anyone' | 'operator';
  /**
   * Which intake unit the request may name: `any` (none means the city center), `qr` (required: the
   * QR code's center), `mailbox` (required: a bureau with an open mailbox), `operator` (the operator's
   * unit or one below it; none means the operator's own unit).
   */
  unit: 'any' | 'qr' | 'mailbox' | 'operator';
}

export const CHANNEL_RULES: Readonly<Record<Channel, ChannelRule>> = {
  web: { by: 'anyone', unit: 'any' },
  qr: { by: 'anyone', unit: 'qr' },
  mailbox: { by: 'anyone', unit: 'mailbox' },
  walk_in: { by: 'operator', unit: 'operator' },
  hotline: { by: 'operator', unit: 'operator' },
  // The Open311 facade authenticates its clients by API key before it submits.
  open311: { by: 'anyone', unit: 'any' },
};

/** Whether the actor may register a request on this channel (unknown channels: no). */
export function mayUseChannel(actor: Actor | null, channel: string): boolean {
  const rule = (CHANNEL_RULES as Record<string, ChannelRule | undefined>)[channel];
  if (!rule) return false;
  return rule.by === 'anyone' || (actor?.kind === 'staff' && actor.role === 'operator');
}

/** The unit to take the request in when it names none: the operator's own desk, else the city center (null). */
export function defaultIntakeUnit(channel: Channel, actor: Actor | null): string | null {
  return CHANNEL_RULES[channel].unit === 'operator' && actor?.kind === 'staff' ? actor.unitCode : null;
}

type UnitRef = Pick<Unit, 'code' | 'kind' | 'ancestors'>;

/**
 * Checks the named intake unit against the channel's rule. `unit` is null when the request names
 * none; `mailbox` is the unit's mailbox, if it has one. Throws bad_input `unitCode: …`.
 */
export function checkIntakeUnit(channel: Channel, actor: Actor | null, unit: UnitRef | null, mailbox: { open: boolean } | null): void {
  const rule = CHANNEL_RULES[channel].unit;
  if (rule === 'any' || (rule === 'operator' && !unit)) return;
  if (!unit) throw badInput('unitCode', `is required for channel ${channel}`);
  switch (rule) {
    case 'qr':
      if (!QR_UNIT_KINDS.includes(unit.kind)) throw badInput('unitCode', `${unit.code} is a ${unit.kind}; QR codes belong to a ${QR_UNIT_KINDS.join(', ')}`);
      return;
    case 'mailbox':
      if (!MAILBOX_UNIT_KINDS.includes(unit.kind)) throw badInput('unitCode', `${unit.code} is a ${unit.kind}; mailboxes belong to bureaus`);
      if (!mailbox?.open) throw badInput('unitCode', `the mailbox of ${unit.code} is not open`);
      return;
    case 'operator':
      if (actor?.kind !== 'staff' || !unit.ancestors.includes(actor.unitCode)) {
        throw badInput('unitCode', 'must be your own unit or one below it');
      }
  }
}

/** Whether this unit may open a mailbox; throws bad_input `unitCode: …` when not. */
export function checkMailboxUnit(unit: Pick<Unit, 'code' | 'kind'>): void {
  if (!MAILBOX_UNIT_KINDS.includes(unit.kind)) throw badInput('unitCode', `${unit.code} is a ${unit.kind}; only bureaus open a mailbox`);
}

/** Whether this unit has a 书记在线 QR code. */
export const hasQrCode = (unit: Pick<Unit, 'kind'>): boolean => QR_UNIT_KINDS.includes(unit.kind);
