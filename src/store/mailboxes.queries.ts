/** Queries for 局长信箱 (`mailboxes`): one row per bureau that has opened one. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { mailboxes, units } from './schema.ts';

export interface Mailbox {
  unitCode: string;
  title: string;
  intro: string | null;
  open: boolean;
}

/** The unit's mailbox, or null when it never opened one. */
export async function getMailbox(tx: Tx, unitCode: string): Promise<Mailbox | null> {
  const [row] = await tx.select().from(mailboxes).where(eq(mailboxes.unitCode, unitCode)).limit(1);
  return row ? { unitCode: row.unitCode, title: row.title, intro: row.intro, open: row.open } : null;
}

/** Creates or replaces a unit's mailbox (title, intro, open); keeps its creation time. */
export async function upsertMailbox(tx: Tx, m: Mailbox, now: Date): Promise<void> {
  await tx.insert(mailboxes).values({ ...m, createdAt: now }).onConflictDoUpdate({
    target: mailboxes.unitCode,
    set: { title: sql`excluded.title`, intro: sql`excluded.intro`, open: sql`excluded.open` },
  });
}

/** Creates the mailboxes that do not exist yet; leaves existing ones (and their open flag) alone. */
export async function insertMissingMailboxes(tx: Tx, list: readonly Mailbox[], now: Date): Promise<void> {
  if (list.length === 0) return;
  await tx.insert(mailboxes).values(list.map((m) => ({ ...m, createdAt: now }))).onConflictDoNothing();
}

/** Open mailboxes with their unit's name, by unit code. */
export async function listOpenMailboxes(tx: Tx): Promise<(Mailbox & { unitName: string })[]> {
  return tx
    .select({ unitCode: mailboxes.unitCode, unitName: units.name, title: mailboxes.title, intro: mailboxes.intro, open: mailboxes.open })
    .from(mailboxes)
    .innerJoin(units, eq(units.code, mailboxes.unitCode))
    .where(eq(mailboxes.open, true))
    .orderBy(asc(mailboxes.unitCode));
}
