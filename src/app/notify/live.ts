/**
 * Live notifications for the SSE stream: each process's subscribers hear about notifications
 * as they are committed. On PostgreSQL the inserting transaction calls `pg_notify` and one
 * listening connection per process (taken from the pool while anyone subscribes) fans out; any
 * node hears every node. On PGlite (one process) the sender publishes to an in-process emitter
 * after commit.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type pg from 'pg';
import type { Db } from '../../store/db.ts';
import type { NotificationRow } from '../../store/notifications.queries.ts';

/** The PostgreSQL channel carrying committed notifications as JSON (`LiveNotification`). */
export const NOTIFY_CHANNEL = 'suqiu_notifications';

export interface LiveNotification {
  id: number;
  userId: string;
  caseId: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
}

/** The live (and pg_notify) form of a stored notification. */
export const toLive = (n: NotificationRow): LiveNotification => ({
  id: n.id, userId: n.userId, caseId: n.caseId, kind: n.kind, title: n.title, body: n.body, createdAt: n.createdAt.toISOString(),
});

export interface LiveFeed {
  /** Calls `fn` for each of the user's notifications committed from now on; returns the unsubscribe. */
  subscribe(userId: string, fn: (n: LiveNotification) => void): Promise<() => void>;
  /** In-process feeds (PGlite): hand a committed notification to subscribers. No-op on PostgreSQL. */
  publish(n: LiveNotification): void;
  close(): Promise<void>;
}

const feeds = new WeakMap<Db, LiveFeed>();

/** The feed of a database in this process (one per Db). */
export function liveFeed(db: Db, log: Logger): LiveFeed {
  let feed = feeds.get(db);
  if (!feed) {
    const made = db.kind === 'postgres' ? pgFeed(db, log) : emitterFeed();
    feed = { ...made, close: async () => { feeds.delete(db); await made.close(); } };
    feeds.set(db, feed);
  }
  return feed;
}

function emitterFeed(): LiveFeed {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    async subscribe(userId, fn) {
      bus.on(userId, fn);
      return () => void bus.off(userId, fn);
    },
    publish(n) {
      bus.emit(n.userId, n);
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}

function pgFeed(db: Db, log: Logger): LiveFeed {
  const pool = (db.orm as unknown as { $client: pg.Pool }).$client;
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let client: Promise<pg.PoolClient> | null = null;
  let subscribers = 0;
  let closed = false;

  const onMessage = (m: pg.Notification) => {
    if (m.channel !== NOTIFY_CHANNEL || !m.payload) return;
    try {
      const n = JSON.parse(m.payload) as LiveNotification;
      bus.emit(n.userId, n);
    } catch (err) {
      log.warn({ err }, 'malformed live notification');
    }
  };
  const listen = () => {
    client ??= (async () => {
      const c = await pool.connect();
      c.on('notification', onMessage);
      c.on('error', (err) => {
        log.error({ err }, 'live notification connection failed; reconnecting');
        c.release(err);
        client = null;
        if (subscribers > 0 && !closed) setTimeout(() => void listen()?.catch(() => {}), 1000).unref();
      });
      await c.query(`LISTEN ${NOTIFY_CHANNEL}`);
      return c;
    })();
    return client;
  };
  const stop = async () => {
    const c = client;
    client = null;
    if (!c) return;
    const conn = await c.catch(() => null);
    if (!conn) return;
    conn.off('notification', onMessage);
    await conn.query(`UNLISTEN ${NOTIFY_CHANNEL}`).catch(() => {});
    conn.release();
  };

  return {
    async subscribe(userId, fn) {
      subscribers++;
      bus.on(userId, fn);
      try {
        await listen();
      } catch (e) {
        subscribers--;
        bus.off(userId, fn);
        client = null;
        throw e;
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        bus.off(userId, fn);
        if (--subscribers === 0) void stop();
      };
    },
    publish() {},
    async close() {
      closed = true;
      bus.removeAllListeners();
      subscribers = 0;
      await stop();
    },
  };
}
