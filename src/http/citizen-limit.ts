/**
 * The per-citizen rate limit of the public endpoints, beside the per-IP one: keyed by the HMAC
 * index of the phone number in the request (never the number itself), else by the tracking
 * number the request names. One counter per citizen across all public routes, per hour
 * (config PUBLIC_PHONE_RATE_LIMIT). In-process, like the per-IP limit: with several app nodes
 * each node counts on its own.
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Deps } from '../app/deps.ts';
import { DomainError } from '../domain/errors.ts';
import { normalizePhone } from '../domain/mask.ts';

const NONE = '-';

/** A phone in the JSON body, the multipart fields, the citizen block or the query. */
function phoneOf(req: FastifyRequest): unknown {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const query = (req.query ?? {}) as Record<string, unknown>;
  const field = body.phone as { value?: unknown } | string | undefined;
  const citizen = body.citizen as { phone?: unknown } | undefined;
  return (typeof field === 'object' ? field?.value : field) ?? (typeof citizen === 'object' ? citizen?.phone : undefined) ?? query.phone;
}

function citizenKey(deps: Deps, req: FastifyRequest): string {
  const raw = phoneOf(req);
  const phone = typeof raw === 'string' ? normalizePhone(raw) : null;
  if (phone) return `phone:${deps.pii.index(phone)}`;
  const no = (req.params as { trackingNo?: unknown } | undefined)?.trackingNo;
  return typeof no === 'string' ? `case:${no.toUpperCase().slice(0, 40)}` : NONE;
}

const limiters = new WeakMap<Deps, preHandlerHookHandler>();

/** The preHandler enforcing the limit (one shared counter store per app). */
export function perCitizen(app: FastifyInstance, deps: Deps): preHandlerHookHandler {
  const known = limiters.get(deps);
  if (known) return known;
  const limit = app.createRateLimit({
    max: deps.config.publicPhoneRateLimit, timeWindow: 3_600_000,
    keyGenerator: (req) => citizenKey(deps, req), allowList: (_req, key) => key === NONE,
  });
  const handler: preHandlerHookHandler = async function (req, reply) {
    const r = await limit(req);
    if (!r.isAllowed && r.isExceeded) {
      reply.header('retry-after', r.ttlInSeconds);
      throw new DomainError('rate_limited', 'too many requests for this phone number or request; try again later');
    }
  };
  limiters.set(deps, handler);
  return handler;
}
