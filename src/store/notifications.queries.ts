/** In-app notifications of staff users. Every query is restricted to one user's rows. */
import { and, count, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from './db.ts';
import { notifications } from './schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

/** Inserts one notification (the in-app channel, in the outbox sender's marking transaction). */
export async function insertNotification(tx: Tx, n: Omit<typeof notifications.$inferInsert, 'id' | 'readAt'>): Promise<NotificationRow> {
  const [row] = await tx.insert(notifications).values(n).returning();
  return row!;
}

/** Newest first; `before` is the id of the last row of the previous page. */
export async function listNotifications(tx: Tx, userId: string, f: { before?: number; unreadOnly?: boolean; limit: number }): Promise<NotificationRow[]> {
  return tx.select().from(notifications)
    .where(and(
      eq(notifications.userId, userId),
      f.before === undefined ? undefined : lt(notifications.id, f.before),
      f.unreadOnly ? isNull(notifications.readAt) : undefined,
    ))
    .orderBy(desc(notifications.id)).limit(f.limit);
}

/** The user's notifications after `afterId`, oldest first: what a reconnecting stream missed. */
export async function notificationsAfter(tx: Tx, userId: string, afterId: number, limit = 100): Promise<NotificationRow[]> {
  return tx.select().from(notifications)
    .where(and(eq(notifications.userId, userId), gt(notifications.id, afterId)))
    .orderBy(notifications.id).limit(limit);
}

/** How many of the user's notifications are unread. */
export async function countUnread(tx: Tx, userId: string): Promise<number> {
  const [r] = await tx.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return r?.n ?? 0;
}

/** Marks one of the user's notifications read (keeps the first read time); false when it is not theirs. */
export async function markRead(tx: Tx, userId: string, id: number, at: Date): Promise<boolean> {
  const rows = await tx.update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ id: notifications.id });
  return rows.length === 1;
}

/** Marks all of the user's unread notifications read; returns how many. */
export async function markAllRead(tx: Tx, userId: string, at: Date): Promise<number> {
  const rows = await tx.update(notifications).set({ readAt: at })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
