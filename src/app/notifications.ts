/** A staff member's own in-app notifications: list with the unread count, mark read. */
import { z } from 'zod';
import type { StaffActor } from '../domain/actor.ts';
import { notFound } from '../domain/errors.ts';
import { countUnread, listNotifications, markAllRead, markRead, type NotificationRow } from '../store/notifications.queries.ts';
import type { Deps } from './deps.ts';

export const NotificationQuery = z.object({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A notification as the API shows it. */
export const presentNotification = (n: NotificationRow) => ({
  id: n.id, caseId: n.caseId, kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt, readAt: n.readAt,
});

/** Newest first; `nextBefore` pages on (null on the last page). */
export async function listMyNotifications(deps: Deps, actor: StaffActor, q: z.infer<typeof NotificationQuery>) {
  const rows = await listNotifications(deps.db.orm, actor.id, { before: q.before, unreadOnly: q.unread, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(presentNotification),
    unread: await countUnread(deps.db.orm, actor.id),
    nextBefore: rows.length > q.limit ? page.at(-1)!.id : null,
  };
}

/** Marks one of the actor's notifications read. Throws not_found for anyone else's. */
export async function readNotification(deps: Deps, actor: StaffActor, id: number): Promise<{ unread: number }> {
  if (!(await markRead(deps.db.orm, actor.id, id, deps.now()))) throw notFound('notification');
  return { unread: await countUnread(deps.db.orm, actor.id) };
}

/** Marks all of the actor's unread notifications read. */
export async function readAllNotifications(deps: Deps, actor: StaffActor): Promise<{ marked: number; unread: 0 }> {
  return { marked: await markAllRead(deps.db.orm, actor.id, deps.now()), unread: 0 };
}
