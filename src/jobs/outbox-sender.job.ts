/**
 * The outbox sender: delivers queued messages at least once, from any number of nodes.
 *
 * A sweep claims due rows in one short transaction (FOR UPDATE SKIP LOCKED, and a lease that
 * hides them from other senders), then delivers each with no transaction held open across the
 * network. A delivered row is marked delivered; a failed one is scheduled again with backoff
 * (attempts, last_error; domain/delivery.ts) and parked after the last attempt; a message that
 * can never be delivered (no address, webhook deleted) is settled with its reason. If a node
 * dies mid-delivery its lease runs out and another node delivers again: remote channels pass
 * the dedupe key on, and in-app notifications are written in the marking transaction, once.
 */
import { LEASE_MS, retryDelayMs } from '../domain/delivery.ts';
import type { Deps } from '../app/deps.ts';
import { Undeliverable, type Channels } from '../app/notify/channel.ts';
import type { OutboxChannel } from '../app/outbox.ts';
import { startLoop, type JobLoop } from './loop.ts';
import { claimDue, markDelivered, scheduleRetry, type OutboxRow } from '../store/outbox.queries.ts';

/** Where a row that ran out of attempts waits (undelivered, never due again) until someone requeues it. */
export const PARKED_UNTIL = new Date('9999-12-31T00:00:00Z');

export interface SweepOptions {
  /** Rows claimed per sweep. */
  batch?: number;
  leaseMs?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
}

export interface SweepResult {
  claimed: number;
  delivered: number;
  retried: number;
  dropped: number;
}

/** A slower sender found the row settled by another one after its lease ran out. */
class AlreadySettled extends Error {}

type SenderDeps = Pick<Deps, 'db' | 'now' | 'log'>;

async function deliverOne(deps: SenderDeps, channels: Channels, row: OutboxRow): Promise<'delivered' | 'retried' | 'dropped' | 'skipped'> {
  const channel = channels[row.channel as OutboxChannel];
  try {
    if (!channel) throw new Undeliverable(`unknown channel ${row.channel}`);
    if (channel.mode === 'local') {
      let after: (() => void) | void = undefined;
      await deps.db.orm.transaction(async (tx) => {
        const now = deps.now();
        after = await channel.deliver(tx, row, now);
        if (!(await markDelivered(tx, row.id, now))) throw new AlreadySettled();
      });
      (after as (() => void) | undefined)?.();
    } else {
      await channel.deliver(row, deps.now());
      await markDelivered(deps.db.orm, row.id, deps.now());
    }
    return 'delivered';
  } catch (e) {
    if (e instanceof AlreadySettled) return 'skipped';
    const message = e instanceof Error ? e.message : String(e);
    const ctx = { outboxId: row.id, channel: row.channel, attempts: row.attempts };
    if (e instanceof Undeliverable) {
      await markDelivered(deps.db.orm, row.id, deps.now(), `undeliverable: ${message}`);
      deps.log.warn(ctx, `outbox message dropped: ${message}`);
      return 'dropped';
    }
    const delay = retryDelayMs(row.attempts);
    const at = delay === null ? PARKED_UNTIL : new Date(+deps.now() + delay);
    await scheduleRetry(deps.db.orm, row.id, at, message);
    // An SMS provider's error could quote the number: its text goes to last_error only.
    const detail = row.channel === 'sms' ? {} : { error: message };
    if (delay === null) deps.log.error({ ...ctx, ...detail }, 'outbox message parked after its last attempt');
    else deps.log.warn({ ...ctx, ...detail, retryAt: at }, 'outbox delivery failed; will retry');
    return 'retried';
  }
}

/** One sweep: claim due rows and deliver them. Safe to run concurrently on any number of nodes. */
export async function sweepOutbox(deps: SenderDeps, channels: Channels, opts: SweepOptions = {}): Promise<SweepResult> {
  const now = deps.now();
  const rows = await deps.db.orm.transaction((tx) => claimDue(tx, now, new Date(+now + (opts.leaseMs ?? LEASE_MS)), opts.batch ?? 50));
  const result: SweepResult = { claimed: rows.length, delivered: 0, retried: 0, dropped: 0 };
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const r = await deliverOne(deps, channels, row);
      if (r !== 'skipped') result[r]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, rows.length) }, worker));
  return result;
}

export type OutboxSender = JobLoop;

/**
 * Sweeps every `intervalMs` (at once again while sweeps come back full) until stopped. Errors of
 * a sweep are logged and the loop goes on.
 */
export function startOutboxSender(deps: SenderDeps, channels: Channels, opts: SweepOptions & { intervalMs?: number } = {}): OutboxSender {
  const intervalMs = opts.intervalMs ?? 1000;
  return startLoop(deps.log, 'outbox sweep', async () => {
    const r = await sweepOutbox(deps, channels, opts);
    return r.claimed === (opts.batch ?? 50) ? 0 : intervalMs;
  }, intervalMs);
}
