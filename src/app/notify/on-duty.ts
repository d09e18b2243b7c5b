/**
 * Telling the people on duty at a unit: an in-app notice to each, and an e-mail to those with an
 * address when SMTP is configured — queued in the caller's transaction. The clock scanner uses it
 * for warnings and breaches; case events use it through ../case-effects.ts.
 */
import type { Tx } from '../../store/db.ts';
import { onDutyUsers } from '../../store/rosters.queries.ts';
import type { Deps } from '../deps.ts';
import { enqueue, type OutboxMessage } from '../outbox.ts';
import type { EmailPayload, InappPayload } from './channel.ts';

export interface DutyNotice {
  /** Dedupe prefix unique to the cause, e.g. `case:<id>:<seq>:<unit>`; channel and user are appended. */
  key: string;
  kind: string;
  title: string;
  body: string;
  caseId?: string | null;
}

/** The messages for given people (pure): in-app for all, e-mail for those with an address when `email` is on. */
export function dutyMessages(people: readonly { userId: string; email: string | null }[], n: DutyNotice, email: boolean): OutboxMessage[] {
  return people.flatMap((p) => {
    const inapp: OutboxMessage = {
      dedupeKey: `${n.key}:inapp:${p.userId}`, channel: 'inapp', recipient: p.userId,
      payload: { kind: n.kind, title: n.title, body: n.body, caseId: n.caseId ?? null } satisfies InappPayload,
    };
    if (!email || !p.email) return [inapp];
    const mail: OutboxMessage = {
      dedupeKey: `${n.key}:email:${p.userId}`, channel: 'email', recipient: p.userId,
      payload: { subject: n.title, text: `${n.title}\n\n${n.body}` } satisfies EmailPayload,
    };
    return [inapp, mail];
  });
}

/**
 * Queues a notice to everyone on duty at `unitCode` at `at` (the roster's covering shifts).
 * Returns how many people it reached; 0 when nobody is rostered.
 */
export async function notifyOnDuty(tx: Tx, deps: Pick<Deps, 'config'>, unitCode: string, at: Date, n: DutyNotice): Promise<number> {
  const people = await onDutyUsers(tx, unitCode, at);
  const unique = [...new Map(people.map((p) => [p.userId, p])).values()];
  await enqueue(tx, at, dutyMessages(unique, n, !!deps.config.smtpUrl));
  return unique.length;
}
