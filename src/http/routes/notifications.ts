/**
 * A staff member's notifications: the list with the unread count, marking read, and a live
 * stream over server-sent events. EventSource cannot set headers, so the stream also takes the
 * session token as `?token=` (the logger records paths only, never query strings).
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../../app/auth.ts';
import type { Deps } from '../../app/deps.ts';
import { liveFeed, toLive, type LiveNotification } from '../../app/notify/live.ts';
import { NotificationQuery, listMyNotifications, readAllNotifications, readNotification } from '../../app/notifications.ts';
import { DomainError } from '../../domain/errors.ts';
import { notificationsAfter } from '../../store/notifications.queries.ts';
import { bearer, requireStaff, staffOf } from '../auth.ts';

export interface NotificationRouteOptions {
  /** Interval of the SSE keep-alive comments (proxies drop idle connections). */
  keepAliveMs?: number;
}

export const notificationRoutes = (deps: Deps, opts: NotificationRouteOptions = {}): FastifyPluginAsyncZod => async (app) => {
  const feed = liveFeed(deps.db, deps.log);
  const streams = new Set<() => void>();
  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  app.addHook('onClose', async () => {
    await feed.close();
  });

  app.get('/api/v1/notifications/stream', {
    schema: {
      tags: ['notifications'], summary: 'Live notifications (text/event-stream); token in the Authorization header or ?token=',
      querystring: z.object({ token: z.string().max(200).optional() }),
    },
  }, async (req, reply) => {
    const token = bearer(req) ?? req.query.token;
    if (!token) throw new DomainError('unauthenticated', 'log in first');
    const staff = await authenticate(deps, token);
    const lastId = Number(req.headers['last-event-id']);
    let sentUpTo = Number.isInteger(lastId) && lastId > 0 ? lastId : 0;
    const res = reply.raw;
    const send = (n: LiveNotification) => {
      if (n.id <= sentUpTo) return;
      sentUpTo = n.id;
      res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
    };
    const pending: LiveNotification[] = [];
    let replaying = sentUpTo > 0;
    const unsubscribe = await feed.subscribe(staff.id, (n) => (replaying ? pending.push(n) : send(n)));
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n: connected\n\n');
    if (replaying) {
      // A reconnecting client gets what it missed, then the live ones (deduplicated by id).
      for (const n of await notificationsAfter(deps.db.orm, staff.id, sentUpTo)) send(toLive(n));
      replaying = false;
      for (const n of pending.splice(0)) send(n);
    }
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), opts.keepAliveMs ?? 20_000);
    const end = () => {
      if (!streams.delete(end)) return;
      clearInterval(keepAlive);
      unsubscribe();
      res.end();
    };
    streams.add(end);
    req.raw.on('close', end);
  });

  app.register(async (scope) => {
    const auth = scope.withTypeProvider<ZodTypeProvider>();
    auth.addHook('preHandler', requireStaff(deps));

    auth.get('/api/v1/notifications', {
      schema: { tags: ['notifications'], summary: 'My notifications, newest first, with the unread count', querystring: NotificationQuery },
    }, async (req) => listMyNotifications(deps, staffOf(req), req.query));

    auth.post('/api/v1/notifications/:id/read', {
      schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: z.object({ id: z.coerce.number().int().positive() }) },
    }, async (req) => readNotification(deps, staffOf(req), req.params.id));

    auth.post('/api/v1/notifications/read-all', {
      schema: { tags: ['notifications'], summary: 'Mark all my notifications read' },
    }, async (req) => readAllNotifications(deps, staffOf(req)));
  });
};
