/**
 * The transactional outbox: a message is written in the same transaction as the change that
 * causes it, and delivered at least once by the outbox job. The dedupe key makes a repeated
 * write (a retried transaction, a second scanner) a no-op.
 */
import type { Tx } from '../store/db.ts';
import { outbox } from '../store/schema.ts';

export const OUTBOX_CHANNELS = ['inapp', 'email', 'webhook', 'sms'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export interface OutboxMessage {
  /** Unique per logical message, e.g. `breach:<caseId>:sign:1:inapp:<userId>`. */
  dedupeKey: string;
  channel: OutboxChannel;
  /** A user id (inapp, email), a webhook id, or an encrypted phone token (sms). Never plain personal data. */
  recipient: string;
  payload: Record<string, unknown>;
}

/** Queues messages inside the caller's transaction; returns how many were new. */
export async function enqueue(tx: Tx, now: Date, messages: readonly OutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await tx.insert(outbox)
    .values(messages.map((m) => ({ ...m, createdAt: now, availableAt: now })))
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return rows.length;
}
