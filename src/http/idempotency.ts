/**
 * The Idempotency-Key header, once for every route that creates something: a route opts in with
 * `config: { idempotent: true }`. The key is scoped by (method and route, the staff account or
 * else the client IP) and bound to a fingerprint of the request (route params and validated
 * body; uploaded files by their SHA-256). Only 2xx responses are kept (app/idempotency.ts).
 *
 * The handler is appended to the route's own preHandlers, so it runs after authentication
 * (the staff id is known) and after validation (the body is parsed and bounded).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import { beginIdempotent, completeIdempotent, releaseIdempotent } from '../app/idempotency.ts';
import type { Deps } from '../app/deps.ts';
import { badInput } from '../domain/errors.ts';
import { canonicalJson } from '../domain/hash-chain.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Honour the Idempotency-Key header on this route (http/idempotency.ts). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** The request as far as sameness goes: JSON as is, buffers (uploaded files) by their hash. */
function fingerprint(v: unknown, depth = 0): unknown {
  if (depth > 32) return null;
  if (Buffer.isBuffer(v)) return { sha256: sha256(v) };
  if (Array.isArray(v)) return v.map((x) => fingerprint(x, depth + 1));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fingerprint(x, depth + 1)]));
  return v;
}

const toArray = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

/** Installs the hook on `app` (the root, before any route is added). */
export function useIdempotency(app: FastifyInstance<any, any, any, any, any>, deps: Deps): void {
  const claim: preHandlerHookHandler = async function (req: FastifyRequest, reply: FastifyReply) {
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) throw badInput('Idempotency-Key', 'must be 1-255 visible ASCII characters');
    const who = req.staff ? `staff:${req.staff.id}` : `ip:${req.ip}`;
    const scope = `${req.method} ${req.routeOptions.url} ${who}`;
    const hash = sha256(canonicalJson(fingerprint({ params: req.params, body: req.body })));
    const begun = await beginIdempotent(deps, scope, key, hash);
    if (begun.run) {
      req.idempotency = { scope, key };
      return;
    }
    reply.status(begun.status).header('content-type', begun.response.contentType).header('idempotent-replayed', 'true');
    return reply.send(begun.response.body);
  };
  const settle: onSendHookHandler = async function (req, reply, payload) {
    const held = req.idempotency;
    if (!held) return payload;
    req.idempotency = undefined;
    try {
      if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
        const contentType = String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8');
        await completeIdempotent(deps, held.scope, held.key, reply.statusCode, { contentType, body: payload });
      } else {
        await releaseIdempotent(deps, held.scope, held.key);
      }
    } catch (err) {
      req.log.error({ err }, 'idempotency key not settled');
    }
    return payload;
  };
  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    route.preHandler = [...toArray(route.preHandler), claim];
    route.onSend = [...toArray(route.onSend), settle];
  });
}
