/**
 * The one error type. Every layer throws it with a code; the HTTP layer maps codes to statuses
 * in one table, and anything else becomes a logged generic 500.
 */
export const ERROR_CODES = [
  'bad_input', // a field is missing or malformed
  'unauthenticated', // no or expired session, wrong credentials
  'locked', // too many failed logins
  'not_found', // absent, or outside what the actor may see
  'forbidden', // seen, but this action is not the actor's to take
  'invalid_transition', // the action is not allowed in the case's current status
  'conflict', // a duplicate or a concurrent change
  'rate_limited',
  'too_large', // a file or body over its size limit
  'unsupported_type', // a file whose bytes are not an accepted type, whatever its name says
  'key_reused', // an Idempotency-Key sent again with a different request
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string) => new DomainError('bad_input', `${field}: ${message}`, { field });
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
