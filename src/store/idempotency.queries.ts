/**
 * Idempotency keys. A row is first written as a claim (status 0) before the request runs, so of
 * two concurrent requests with one key exactly one gets to run; the other sees the claim.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from './db.ts';
import { idempotencyKeys } from './schema.ts';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * Claims (scope, key) for a new request: inserts the claim, or takes over a row that expired
 * (created before `expiredBefore`) or a claim abandoned by a crashed request (still status 0,
 * created before `staleBefore`). True when this request now holds the claim.
 */
export async function claimKey(
  tx: Tx, k: { scope: string; key: string; requestHash: string; now: Date; expiredBefore: Date; staleBefore: Date },
): Promise<boolean> {
  const rows = await rowsOf<{ key: string }>(tx, sql`
    insert into idempotency_keys (scope, key, request_hash, status, response, created_at)
    values (${k.scope}, ${k.key}, ${k.requestHash}, 0, '{}'::jsonb, ${k.now.toISOString()})
    on conflict (scope, key) do update
      set request_hash = excluded.request_hash, status = 0, response = '{}'::jsonb, created_at = excluded.created_at
      where idempotency_keys.created_at < ${k.expiredBefore.toISOString()}
         or (idempotency_keys.status = 0 and idempotency_keys.created_at < ${k.staleBefore.toISOString()})
    returning key`);
  return rows.length === 1;
}

export async function getKey(tx: Tx, scope: string, key: string): Promise<IdempotencyRow | null> {
  const rows = await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  return rows[0] ?? null;
}

/** Stores the response of the request holding the claim. */
export async function completeKey(tx: Tx, scope: string, key: string, status: number, response: unknown): Promise<void> {
  await tx.update(idempotencyKeys).set({ status, response })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 0)));
}

/** Gives a claim up (the request failed), so a retry with the key runs again. */
export async function releaseKey(tx: Tx, scope: string, key: string): Promise<void> {
  await tx.delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 0)));
}
