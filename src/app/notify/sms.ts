/**
 * SMS channel: the recipient is the citizen's sealed phone token from the case row, decrypted
 * only here, at delivery, and handed to a provider. The default provider writes one log line
 * with the tracking number and the template — never the number or anything personal.
 */
import type { Logger } from 'pino';
import { smsText } from '../../domain/notify.ts';
import type { Pii } from '../../store/pii.ts';
import type { Channel, SmsPayload } from './channel.ts';

/** What an SMS gateway adapter implements. `ref` is for its logs: the tracking number, never the phone. */
export interface SmsProvider {
  send(msg: { phone: string; text: string; ref: string; dedupeKey: string }): Promise<void>;
}

/** Sends nothing: logs that a message would have gone out, without the phone number. */
export function logSmsProvider(log: Logger): SmsProvider {
  return {
    async send({ text, ref }) {
      log.info({ trackingNo: ref, chars: text.length }, 'sms (log provider, not sent)');
    },
  };
}

/** The SMS channel: opens the sealed phone (and code) at delivery and hands the text to `provider`. */
export function smsChannel(pii: Pii, provider: SmsProvider): Channel {
  return {
    mode: 'remote',
    async deliver(row) {
      const p = row.payload as SmsPayload;
      const code = p.sealedCode ? pii.decrypt(p.sealedCode) : undefined;
      await provider.send({ phone: pii.decrypt(row.recipient), text: smsText(p.template, p.trackingNo, code), ref: p.trackingNo, dedupeKey: row.dedupeKey });
    },
  };
}
