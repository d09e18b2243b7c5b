/**
 * Webhook channel: POSTs the row's JSON payload to the webhook's URL, signed with its secret
 * (domain/delivery.ts), with the delivery id in `X-Suqiu-Delivery` so a receiver can drop
 * repeats. Any answer other than 2xx, or no answer within the timeout, is retried.
 */
import { SIGNATURE_HEADER, signBody } from '../../domain/delivery.ts';
import type { Db } from '../../store/db.ts';
import type { Pii } from '../../store/pii.ts';
import { getWebhook } from '../../store/webhooks.queries.ts';
import { Undeliverable, type Channel } from './channel.ts';

const TIMEOUT_MS = 10_000;

/** The webhook channel; secrets are stored sealed and opened per delivery. */
export function webhookChannel(db: Db, pii: Pii, timeoutMs = TIMEOUT_MS): Channel {
  return {
    mode: 'remote',
    async deliver(row, now) {
      const hook = await getWebhook(db.orm, row.recipient);
      if (!hook || !hook.active) throw new Undeliverable('the webhook was deleted or disabled');
      const body = JSON.stringify(row.payload);
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'suqiu-webhook/1',
          'x-suqiu-delivery': row.dedupeKey,
          'x-suqiu-event': String((row.payload as { event?: unknown }).event ?? ''),
          [SIGNATURE_HEADER]: signBody(pii.decrypt(hook.secret), body, now),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered HTTP ${res.status}`);
    },
  };
}
