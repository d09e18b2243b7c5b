/** One-time tracking codes: only a keyed hash of each code is stored (app/tracking-code.ts). */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { otpCodes } from './schema.ts';

export type OtpRow = typeof otpCodes.$inferSelect;

export async function insertOtp(tx: Tx, row: { caseId: string; codeHash: string; createdAt: Date; expiresAt: Date }): Promise<number> {
  const [r] = await tx.insert(otpCodes).values(row).returning({ id: otpCodes.id });
  return r!.id;
}

/** Codes sent for a case since `since`, newest first. */
export async function otpsSince(tx: Tx, caseId: string, since: Date): Promise<OtpRow[]> {
  return tx.select().from(otpCodes).where(and(eq(otpCodes.caseId, caseId), gte(otpCodes.createdAt, since))).orderBy(desc(otpCodes.id));
}

/** The case's newest code, locked until the transaction ends (attempts are counted exactly). */
export async function lockNewestOtp(tx: Tx, caseId: string): Promise<OtpRow | null> {
  const rows = await tx.select().from(otpCodes).where(eq(otpCodes.caseId, caseId)).orderBy(desc(otpCodes.id)).limit(1).for('update');
  return rows[0] ?? null;
}

export async function countOtpAttempt(tx: Tx, id: number): Promise<void> {
  await tx.update(otpCodes).set({ attempts: sql`${otpCodes.attempts} + 1` }).where(eq(otpCodes.id, id));
}

export async function markOtpUsed(tx: Tx, id: number, at: Date): Promise<void> {
  await tx.update(otpCodes).set({ usedAt: at }).where(eq(otpCodes.id, id));
}
