/**
 * One table from error code to HTTP status, and the one error handler. Bad input reads
 * `field: message`; unknown errors are logged and answered with a generic 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { DomainError, badInput, type ErrorCode } from '../domain/errors.ts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_transition: 409,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  too_large: 413,
  unsupported_type: 415,
  key_reused: 422,
};

const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || 'body';

/** Parses with a zod schema; throws bad_input `field: message` for the first problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw badInput(fieldOf(issue.path), issue.message);
}

export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) {
    return reply.status(HTTP_STATUS[err.code]).send({ error: err.code, message: err.message, ...(err.details ?? {}) });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const v = err.validation[0]!;
    const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.') || String(v.params?.missingProperty ?? err.validationContext ?? 'body');
    return reply.status(400).send({ error: 'bad_input', message: `${field}: ${v.message}`, field });
  }
  const fe = err as FastifyError;
  if (fe.statusCode === 429) return reply.status(429).send({ error: 'rate_limited', message: 'too many requests; try again later' });
  if (fe.statusCode === 413) return reply.status(413).send({ error: 'too_large', message: `body: ${fe.message}` });
  if ((err as { code?: string }).code === '23505') return reply.status(409).send({ error: 'conflict', message: 'already exists' });
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.status(fe.statusCode).send({ error: 'bad_input', message: fe.message });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: 'internal', message: 'something went wrong on our side; please try again' });
}
