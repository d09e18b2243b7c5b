/** Staff accounts and their sessions. */
import { and, count, eq, lt } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { sessions, users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;

export async function getUserByUsername(tx: Tx, username: string): Promise<UserRow | null> {
  const rows = await tx.select().from(users).where(eq(users.username, username));
  return rows[0] ?? null;
}

export async function getUser(tx: Tx, id: string): Promise<UserRow | null> {
  const rows = await tx.select().from(users).where(eq(users.id, id));
  return rows[0] ?? null;
}

export async function insertUser(tx: Tx, u: typeof users.$inferInsert): Promise<UserRow> {
  const rows = await tx.insert(users).values(u).returning();
  return rows[0]!;
}

export async function setLoginState(tx: Tx, id: string, failedLogins: number, lockedUntil: Date | null): Promise<void> {
  await tx.update(users).set({ failedLogins, lockedUntil }).where(eq(users.id, id));
}

export async function insertSession(tx: Tx, tokenHash: string, userId: string, now: Date): Promise<void> {
  await tx.insert(sessions).values({ tokenHash, userId, createdAt: now, lastSeenAt: now });
}

export async function getSession(tx: Tx, tokenHash: string) {
  const rows = await tx.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return rows[0] ?? null;
}

export async function touchSession(tx: Tx, tokenHash: string, now: Date): Promise<void> {
  await tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteIdleSessions(tx: Tx, userId: string, idleBefore: Date): Promise<void> {
  await tx.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.lastSeenAt, idleBefore)));
}

export async function countUsers(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** Accounts, by unit then username, without password hashes; `unitCode` narrows to one unit. */
export async function listUsers(tx: Tx, f: { unitCode?: string; limit: number; offset: number }) {
  return tx.select({
    id: users.id, username: users.username, displayName: users.displayName, role: users.role, unitCode: users.unitCode,
    disabled: users.disabled, lockedUntil: users.lockedUntil, createdAt: users.createdAt,
  }).from(users).where(f.unitCode ? eq(users.unitCode, f.unitCode) : undefined)
    .orderBy(users.unitCode, users.username).limit(f.limit).offset(f.offset);
}
