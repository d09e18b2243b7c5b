/**
 * E-mail channel over SMTP (nodemailer). The recipient is a user id; the address is looked up at
 * delivery, so a changed address is honoured and no address means the message is dropped. The
 * Message-ID is derived from the dedupe key, so a repeat after a crash is recognisable.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Db } from '../../store/db.ts';
import { getUser } from '../../store/users.queries.ts';
import { Undeliverable, type Channel, type EmailPayload } from './channel.ts';

export interface EmailOptions {
  /** smtp://user:pass@host:port or smtps://…; without it every e-mail is dropped as undeliverable. */
  smtpUrl?: string;
  from: string;
}

/** The channel and a `close` for its SMTP connection pool. */
export function emailChannel(db: Db, opts: EmailOptions): Channel & { close(): void } {
  // Timeouts well inside the sender's lease, so a hung server cannot outlive the claim.
  const transport = opts.smtpUrl
    ? nodemailer.createTransport({ url: opts.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 })
    : null;
  return {
    mode: 'remote',
    async deliver(row) {
      if (!transport) throw new Undeliverable('SMTP_URL is not configured');
      const user = await getUser(db.orm, row.recipient);
      if (!user?.email) throw new Undeliverable('the user has no e-mail address');
      if (user.disabled) throw new Undeliverable('the account is disabled');
      const p = row.payload as EmailPayload;
      const id = createHash('sha256').update(row.dedupeKey).digest('hex').slice(0, 32);
      await transport.sendMail({
        from: opts.from, to: user.email, subject: p.subject, text: p.text,
        messageId: `<${id}@suqiu>`, headers: { 'X-Suqiu-Delivery': id },
      });
    },
    close() {
      transport?.close();
    },
  };
}
