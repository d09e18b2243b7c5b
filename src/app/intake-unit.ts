/** Which unit takes a new request in, checked against its channel's rule (domain/channel.ts). */
import type { Actor } from '../domain/actor.ts';
import { CHANNEL_RULES, checkIntakeUnit, defaultIntakeUnit } from '../domain/channel.ts';
import { badInput } from '../domain/errors.ts';
import type { Unit } from '../domain/org.ts';
import type { Tx } from '../store/db.ts';
import { getMailbox } from '../store/mailboxes.queries.ts';
import { getUnit, rootUnit } from '../store/units.queries.ts';
import type { SubmitInput } from './submit-request.ts';

/**
 * The named unit when the channel allows it, else the channel's default (the operator's desk or
 * the city center). Throws bad_input `unitCode: …` for an unknown unit or one the channel forbids.
 */
export async function resolveIntakeUnit(tx: Tx, actor: Actor | null, input: Pick<SubmitInput, 'channel' | 'unitCode'>): Promise<Unit> {
  const named = input.unitCode ? await getUnit(tx, input.unitCode) : null;
  if (input.unitCode && !named) throw badInput('unitCode', `unknown unit ${input.unitCode}`);
  const mailbox = named && CHANNEL_RULES[input.channel].unit === 'mailbox' ? await getMailbox(tx, named.code) : null;
  checkIntakeUnit(input.channel, actor, named, mailbox);
  if (named) return named;
  const fallback = defaultIntakeUnit(input.channel, actor);
  const unit = fallback ? await getUnit(tx, fallback) : await rootUnit(tx);
  if (!unit) throw new Error(fallback ? `the actor's unit ${fallback} does not exist` : 'the org tree is not seeded');
  return unit;
}
