/** Administrators' changes to the category catalogue (one row per changed or added code). */
import { asc, eq } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { categoryOverrides } from './schema.ts';

export type CategoryOverrideRow = typeof categoryOverrides.$inferSelect;

export async function listCategoryOverrides(tx: Tx): Promise<CategoryOverrideRow[]> {
  return tx.select().from(categoryOverrides).orderBy(asc(categoryOverrides.code));
}

export async function getCategoryOverride(tx: Tx, code: string): Promise<CategoryOverrideRow | null> {
  const rows = await tx.select().from(categoryOverrides).where(eq(categoryOverrides.code, code));
  return rows[0] ?? null;
}

export async function upsertCategoryOverride(tx: Tx, row: typeof categoryOverrides.$inferInsert): Promise<CategoryOverrideRow> {
  const { code: _code, ...set } = row;
  const rows = await tx.insert(categoryOverrides).values(row)
    .onConflictDoUpdate({ target: categoryOverrides.code, set }).returning();
  return rows[0]!;
}
