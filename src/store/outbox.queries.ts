/**
 * The outbox seen by its sender: claim due rows under a lease, then settle each one. Rows are
 * written by src/app/outbox.ts `enqueue` in the transaction of the change that causes them.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from './db.ts';
import { outbox } from './schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Claims up to `limit` undelivered rows that are due at `now`: locks them with FOR UPDATE SKIP
 * LOCKED (another sender skips them instead of waiting), counts the attempt and pushes
 * `available_at` to `leaseUntil`, so no other sender takes them while they are being delivered.
 * If this sender dies, the lease runs out and the rows are delivered again (at least once).
 * Run it in its own short transaction.
 */
export async function claimDue(tx: Tx, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
  const ids = await rowsOf<{ id: string | number }>(tx, sql`
    select id from outbox
    where delivered_at is null and available_at <= ${now.toISOString()}::timestamptz
    order by available_at, id
    limit ${limit}
    for update skip locked`);
  if (ids.length === 0) return [];
  return tx.update(outbox)
    .set({ availableAt: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, ids.map((r) => Number(r.id))))
    .returning();
}

/**
 * Settles a row as done. `note` records why a message was dropped instead of sent (e.g. no
 * e-mail address). False when it was already settled (a slower sender whose lease ran out).
 */
export async function markDelivered(tx: Tx, id: number, at: Date, note: string | null = null): Promise<boolean> {
  const rows = await tx.update(outbox).set({ deliveredAt: at, lastError: note })
    .where(and(eq(outbox.id, id), isNull(outbox.deliveredAt))).returning({ id: outbox.id });
  return rows.length === 1;
}

/** Records a failed attempt and when to try again. */
export async function scheduleRetry(tx: Tx, id: number, at: Date, error: string): Promise<void> {
  await tx.update(outbox).set({ availableAt: at, lastError: error.slice(0, 1000) })
    .where(and(eq(outbox.id, id), isNull(outbox.deliveredAt)));
}
