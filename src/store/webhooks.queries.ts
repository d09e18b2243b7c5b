/** Webhooks: external URLs that receive case events, signed with their own secret (sealed at rest). */
import { and, arrayOverlaps, asc, eq, isNull, or, inArray } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { webhooks } from './schema.ts';

export type WebhookRow = typeof webhooks.$inferSelect;

/** `secret` must already be sealed (`pii.encrypt`). */
export async function insertWebhook(tx: Tx, w: Omit<typeof webhooks.$inferInsert, 'id'>): Promise<WebhookRow> {
  const [row] = await tx.insert(webhooks).values(w).returning();
  return row!;
}

/** Every webhook, oldest first. */
export async function listWebhooks(tx: Tx): Promise<WebhookRow[]> {
  return tx.select().from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

/** One webhook by id, or null (deleted). */
export async function getWebhook(tx: Tx, id: string): Promise<WebhookRow | null> {
  const [row] = await tx.select().from(webhooks).where(eq(webhooks.id, id));
  return row ?? null;
}

/** False when there was no such webhook. */
export async function deleteWebhook(tx: Tx, id: string): Promise<boolean> {
  return (await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id })).length === 1;
}

/**
 * Ids of the active webhooks that want an event: subscribed to the action (or `*`), for every
 * unit or for a unit the case involves.
 */
export async function webhooksFor(tx: Tx, action: string, scopeUnits: readonly string[]): Promise<string[]> {
  const unitMatch = scopeUnits.length ? or(isNull(webhooks.unitCode), inArray(webhooks.unitCode, [...scopeUnits])) : isNull(webhooks.unitCode);
  const rows = await tx.select({ id: webhooks.id }).from(webhooks)
    .where(and(eq(webhooks.active, true), arrayOverlaps(webhooks.events, [action, '*']), unitMatch));
  return rows.map((r) => r.id);
}
