/** Attachment rows; the files themselves live in the file store (attachment-files.ts). */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { attachments } from './schema.ts';

export type AttachmentRow = typeof attachments.$inferSelect;

export async function insertAttachment(tx: Tx, row: typeof attachments.$inferInsert): Promise<void> {
  await tx.insert(attachments).values(row);
}

/** How many files of these purposes a case holds. */
export async function countAttachments(tx: Tx, caseId: string, purposes: readonly string[]): Promise<number> {
  const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(attachments)
    .where(and(eq(attachments.caseId, caseId), inArray(attachments.purpose, [...purposes])));
  return Number(r?.n ?? 0);
}

export async function listAttachments(tx: Tx, caseId: string): Promise<AttachmentRow[]> {
  return tx.select().from(attachments).where(eq(attachments.caseId, caseId)).orderBy(asc(attachments.createdAt), asc(attachments.id));
}

/** One attachment of one case; null when the id belongs to another case. */
export async function getAttachment(tx: Tx, caseId: string, id: string): Promise<AttachmentRow | null> {
  const rows = await tx.select().from(attachments).where(and(eq(attachments.caseId, caseId), eq(attachments.id, id)));
  return rows[0] ?? null;
}
