/**
 * The one interface every notification channel implements, and the payload each channel reads
 * from an outbox row. Rows are written with `enqueue` (../outbox.ts) in the transaction of the
 * change; the sender (src/jobs/outbox-sender.job.ts) hands each row to its channel.
 *
 * | channel   | recipient                          | payload                                  |
 * |-----------|------------------------------------|------------------------------------------|
 * | `inapp`   | user id                            | `InappPayload`                           |
 * | `email`   | user id (address looked up at send)| `EmailPayload`                           |
 * | `webhook` | webhook id                         | the JSON body to POST                    |
 * | `sms`     | sealed phone token (`pii.encrypt`) | `SmsPayload` (decrypted only at delivery)|
 */
import type { SmsTemplate } from '../../domain/notify.ts';
import type { Tx } from '../../store/db.ts';
import type { OutboxRow } from '../../store/outbox.queries.ts';
import type { OutboxChannel } from '../outbox.ts';

export type { OutboxRow };

export interface InappPayload {
  kind: string;
  title: string;
  body: string;
  caseId?: string | null;
}

export interface EmailPayload {
  subject: string;
  text: string;
}

export interface SmsPayload {
  template: SmsTemplate;
  trackingNo: string;
  /** `tracking_code` only: the one-time code sealed with `pii.encrypt`, opened at delivery (app/tracking-code.ts). */
  sealedCode?: string;
}

/**
 * A channel. `local` ones write to the database inside the transaction that marks the row
 * delivered, so they take effect exactly once; they may return a callback to run after commit.
 * `remote` ones talk to the outside world with no transaction open and may run more than once
 * for a row (a crash between sending and marking): they pass the row's dedupe key along so the
 * receiver can drop a repeat.
 */
export type Channel =
  | { mode: 'local'; deliver(tx: Tx, row: OutboxRow, now: Date): Promise<(() => void) | void> }
  | { mode: 'remote'; deliver(row: OutboxRow, now: Date): Promise<void> };

export type Channels = Record<OutboxChannel, Channel>;

/** Thrown by a channel when a message can never be delivered (no address, webhook gone): settled without retries. */
export class Undeliverable extends Error {
  override name = 'Undeliverable';
}
