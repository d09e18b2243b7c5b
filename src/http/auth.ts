/** Bearer-token authentication for staff routes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffActor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { authenticate } from '../app/auth.ts';
import type { Deps } from '../app/deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffActor & { username: string; displayName: string };
  }
}

export function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() || null : null;
}

/** preHandler: 401 without a valid session; sets `req.staff`. */
export const requireStaff = (deps: Deps) => async (req: FastifyRequest, _reply: FastifyReply) => {
  const token = bearer(req);
  if (!token) throw new DomainError('unauthenticated', 'log in first');
  req.staff = await authenticate(deps, token);
};

/** The authenticated actor of a staff route. */
export function staffOf(req: FastifyRequest) {
  if (!req.staff) throw new DomainError('unauthenticated', 'log in first');
  return req.staff;
}
