/**
 * In-app channel: inserts the notification in the same transaction that marks the outbox row
 * delivered (exactly once), and makes it live: `pg_notify` in that transaction on PostgreSQL
 * (heard after commit), the in-process feed after commit on PGlite.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../store/db.ts';
import { insertNotification } from '../../store/notifications.queries.ts';
import type { Channel, InappPayload } from './channel.ts';
import { NOTIFY_CHANNEL, toLive, type LiveFeed } from './live.ts';

const cap = (s: unknown, max: number) => String(s ?? '').slice(0, max);

/** The in-app channel over a database and this process's live feed. */
export function inappChannel(db: Db, feed: LiveFeed): Channel {
  return {
    mode: 'local',
    async deliver(tx, row, now) {
      const p = row.payload as InappPayload;
      const n = await insertNotification(tx, {
        userId: row.recipient, caseId: p.caseId ?? null, kind: cap(p.kind, 40), title: cap(p.title, 200), body: cap(p.body, 1000), createdAt: now,
      });
      const live = toLive(n);
      if (db.kind === 'postgres') {
        await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify(live)})`);
        return;
      }
      return () => feed.publish(live);
    },
  };
}
