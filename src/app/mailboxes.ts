/**
 * 局长信箱: a bureau opens (or closes) its mailbox; the public lists the open ones. Letters are
 * submitted with channel `mailbox` and land at the bureau's own intake desk (submit-request.ts).
 */
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { checkMailboxUnit } from '../domain/channel.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { canAdminister } from '../domain/policy.ts';
import { insertMissingMailboxes, listOpenMailboxes, upsertMailbox, type Mailbox } from '../store/mailboxes.queries.ts';
import { getUnit, listUnits } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';

export const MailboxBody = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters'),
  intro: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
  open: z.boolean().default(true),
});

/**
 * Opens, edits or closes a bureau's mailbox (admin only). Throws forbidden for anyone else,
 * not_found for an unknown unit, bad_input `unitCode: …` when the unit is not a bureau.
 */
export async function setMailbox(deps: Deps, actor: Actor, unitCode: string, body: z.infer<typeof MailboxBody>): Promise<Mailbox> {
  if (!canAdminister(actor)) throw new DomainError('forbidden', 'only an administrator opens or closes a mailbox');
  return deps.db.orm.transaction(async (tx) => {
    const unit = await getUnit(tx, unitCode);
    if (!unit) throw notFound('unit');
    checkMailboxUnit(unit);
    const m: Mailbox = { unitCode: unit.code, title: body.title, intro: body.intro || null, open: body.open };
    await upsertMailbox(tx, m, deps.now());
    return m;
  });
}

/** The open mailboxes, with their bureau's name: public. */
export async function listMailboxes(deps: Deps) {
  const rows = await listOpenMailboxes(deps.db.orm);
  return { items: rows.map(({ unitCode, unitName, title, intro }) => ({ unitCode, unitName, title, intro })) };
}

/**
 * Opens a mailbox for every bureau that has none yet (demo data); never reopens a closed one.
 * Returns how many bureaus there are.
 */
export async function openBureauMailboxes(deps: Deps): Promise<number> {
  const bureaus = await listUnits(deps.db.orm, { kind: 'bureau', limit: 1000, offset: 0 });
  await deps.db.orm.transaction((tx) => insertMissingMailboxes(tx, bureaus.map((b) => ({
    unitCode: b.code,
    title: `${b.name}${b.name.endsWith('委员会') ? '主任' : '局长'}信箱`,
    intro: `${b.name}负责人直接阅处来信，我们将按时答复。`,
    open: true,
  })), deps.now()));
  return bureaus.length;
}
