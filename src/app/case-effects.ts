/**
 * What a case event sets in motion besides itself, queued in the outbox in the same
 * transaction (delivered later, at least once): the people on duty at a unit the event newly
 * involves, the citizen's text message, and subscribed webhooks. Who is told what is
 * domain/notify.ts; this only looks people up and writes the rows. Every case event passes
 * here: perform-action.ts after each workflow action, submit-request.ts after acceptance.
 */
import type { CaseState } from '../domain/case.ts';
import { categoryOf } from '../domain/case.ts';
import { CITIZEN_SMS, MERGED_REPORTER_SMS, mergedRatingNotice, staffNoticeText, unitNotices } from '../domain/notify.ts';
import { mergedInto, mergeRoot } from '../store/cases.queries.ts';
import type { Tx } from '../store/db.ts';
import { webhooksFor } from '../store/webhooks.queries.ts';
import type { Deps } from './deps.ts';
import type { SmsPayload } from './notify/channel.ts';
import { notifyOnDuty } from './notify/on-duty.ts';
import { enqueue, type OutboxMessage } from './outbox.ts';

export interface CaseEventFacts {
  /** The case before the event; null for a new case. */
  before: Pick<CaseState, 'leadUnitCode' | 'coUnitCodes'> | null;
  after: CaseState;
  event: { seq: number; action: string; at: Date; fromStatus: string | null; toStatus: string | null };
  /** The citizen's sealed phone token from the case row; null when anonymous. */
  sealedPhone: string | null;
}

/** The body POSTed to webhooks: the case's reference and status, never content or personal data. */
export function webhookBody(f: CaseEventFacts) {
  const c = f.after;
  return {
    id: `${c.id}:${f.event.seq}`, event: f.event.action, at: f.event.at.toISOString(),
    from: f.event.fromStatus, to: f.event.toStatus,
    case: { id: c.id, trackingNo: c.trackingNo, status: c.status, statusCategory: categoryOf(c.status), leadUnitCode: c.leadUnitCode, coUnitCodes: c.coUnitCodes },
  };
}

/** Queues the notifications of one case event. Runs inside the event's transaction. */
export async function afterCaseEvent(tx: Tx, deps: Pick<Deps, 'config'>, f: CaseEventFacts): Promise<void> {
  const { after: c, event: e } = f;
  const key = `case:${c.id}:${e.seq}`;
  for (const n of unitNotices(f.before, c)) {
    await notifyOnDuty(tx, deps, n.unitCode, e.at, { key: `${key}:${n.unitCode}`, kind: e.action, caseId: c.id, ...staffNoticeText(e.action, c.trackingNo, n) });
  }
  const messages: OutboxMessage[] = [];
  const template = CITIZEN_SMS[e.action];
  if (template && f.sealedPhone) {
    messages.push({ dedupeKey: `${key}:sms`, channel: 'sms', recipient: f.sealedPhone, payload: { template, trackingNo: c.trackingNo } satisfies SmsPayload });
  }
  const followers = MERGED_REPORTER_SMS[e.action];
  if (followers) {
    for (const m of await mergedInto(tx, c.id)) {
      if (!m.citizenPhone) continue;
      messages.push({ dedupeKey: `${key}:sms:${m.id}`, channel: 'sms', recipient: m.citizenPhone, payload: { template: followers, trackingNo: m.trackingNo } satisfies SmsPayload });
    }
  }
  if (e.action === 'rate' && c.status === 'merged' && c.rating && !c.rating.satisfied && c.mergedInto) {
    const root = await mergeRoot(tx, c.mergedInto);
    const unit = root?.leadUnitCode ?? root?.intakeUnitCode;
    if (root && unit) {
      await notifyOnDuty(tx, deps, unit, e.at, { key: `${key}:root`, kind: 'merged_rating', caseId: root.id, ...mergedRatingNotice(root.trackingNo, c.trackingNo, c.rating.resolved) });
    }
  }
  const hooks = await webhooksFor(tx, e.action, c.scopeUnits);
  if (hooks.length) {
    const body = webhookBody(f);
    for (const id of hooks) messages.push({ dedupeKey: `${key}:webhook:${id}`, channel: 'webhook', recipient: id, payload: body });
  }
  await enqueue(tx, e.at, messages);
}
