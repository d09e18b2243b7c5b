/**
 * Webhooks (admin): external systems that receive case events, each signed with a secret that
 * is shown once at registration and kept sealed (SM4) at rest.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { DomainError, badInput, notFound } from '../domain/errors.ts';
import { canAdminister } from '../domain/policy.ts';
import { CASE_ACTIONS, WORKFLOW } from '../domain/workflow.ts';
import { getUnit } from '../store/units.queries.ts';
import { deleteWebhook as removeWebhook, insertWebhook, listWebhooks, type WebhookRow } from '../store/webhooks.queries.ts';
import type { Deps } from './deps.ts';

/** Events a webhook may subscribe to: acceptance, every workflow action's recorded event, or `*` for all. */
export const WEBHOOK_EVENTS: readonly string[] = ['*', 'accept', ...new Set(CASE_ACTIONS.map((a) => WORKFLOW[a].event ?? a))];

export const WebhookBody = z.object({
  url: z.string().url('must be a URL').max(500).refine((u) => /^https?:\/\//i.test(u), 'must be http:// or https://'),
  events: z.array(z.string()).min(1).max(50).default(['*']),
  unitCode: z.string().trim().max(40).optional(),
});

const present = (w: WebhookRow) => ({ id: w.id, url: w.url, events: w.events, unitCode: w.unitCode, active: w.active, createdAt: w.createdAt });

function requireAdmin(actor: Actor) {
  if (!canAdminister(actor)) throw new DomainError('forbidden', 'only an administrator manages webhooks');
}

/** Registers a webhook; the answer carries the secret, the only time it is shown. Throws forbidden, bad_input. */
export async function registerWebhook(deps: Deps, actor: Actor, body: z.infer<typeof WebhookBody>) {
  requireAdmin(actor);
  body.events.forEach((e, i) => {
    if (!WEBHOOK_EVENTS.includes(e)) throw badInput(`events.${i}`, `unknown event ${e}`);
  });
  if (body.unitCode && !(await getUnit(deps.db.orm, body.unitCode))) throw badInput('unitCode', `unknown unit ${body.unitCode}`);
  const secret = randomBytes(32).toString('base64url');
  const row = await insertWebhook(deps.db.orm, {
    url: body.url, secret: deps.pii.encrypt(secret), events: [...new Set(body.events)], unitCode: body.unitCode ?? null, createdAt: deps.now(),
  });
  return { ...present(row), secret };
}

/** Every webhook, without secrets. Throws forbidden for anyone but the admin. */
export async function listAllWebhooks(deps: Deps, actor: Actor) {
  requireAdmin(actor);
  return { items: (await listWebhooks(deps.db.orm)).map(present) };
}

/** Deletes a webhook; its undelivered messages are dropped at delivery. Throws forbidden, not_found. */
export async function deleteWebhook(deps: Deps, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  if (!z.string().uuid().safeParse(id).success || !(await removeWebhook(deps.db.orm, id))) throw notFound('webhook');
}
