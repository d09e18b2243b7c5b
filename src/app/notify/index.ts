/** The notification channels of a running platform, built from its dependencies. */
import type { Deps } from '../deps.ts';
import type { Channels } from './channel.ts';
import { emailChannel } from './email.ts';
import { inappChannel } from './inapp.ts';
import { liveFeed } from './live.ts';
import { logSmsProvider, smsChannel, type SmsProvider } from './sms.ts';
import { webhookChannel } from './webhook.ts';

export interface ChannelOptions {
  /** Defaults to the log-only provider. */
  sms?: SmsProvider;
  webhookTimeoutMs?: number;
}

/** Every channel; `close` releases the SMTP pool. */
export function makeChannels(deps: Deps, opts: ChannelOptions = {}): { channels: Channels; close(): void } {
  const email = emailChannel(deps.db, { smtpUrl: deps.config.smtpUrl, from: deps.config.smtpFrom });
  return {
    channels: {
      inapp: inappChannel(deps.db, liveFeed(deps.db, deps.log)),
      email,
      webhook: webhookChannel(deps.db, deps.pii, opts.webhookTimeoutMs),
      sms: smsChannel(deps.pii, opts.sms ?? logSmsProvider(deps.log)),
    },
    close: () => email.close(),
  };
}
