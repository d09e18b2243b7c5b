/** Open311 API keys: rows hold a hash and a display prefix, never the key itself. */
import { asc, eq, like, or } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { apiKeys } from './schema.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(tx: Tx, k: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const rows = await tx.insert(apiKeys).values(k).returning();
  return rows[0]!;
}

export async function getApiKeyByHash(tx: Tx, keyHash: string): Promise<ApiKeyRow | null> {
  const rows = await tx.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  return rows[0] ?? null;
}

export async function listApiKeyRows(tx: Tx): Promise<ApiKeyRow[]> {
  return tx.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

/** Keys whose id equals `ref` (when it is a UUID) or whose prefix starts with it. */
export async function findApiKeys(tx: Tx, ref: string, refIsId: boolean): Promise<ApiKeyRow[]> {
  const byPrefix = like(apiKeys.prefix, `${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return tx.select().from(apiKeys).where(refIsId ? or(eq(apiKeys.id, ref), byPrefix) : byPrefix);
}

export async function setApiKeyRevoked(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id));
}

export async function touchApiKey(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}
