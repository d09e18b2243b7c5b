/**
 * Idempotency-Key: a POST retried with the same key gets the first response instead of running
 * again. The first request claims the key in its own short statement before it runs (the
 * primary key on (scope, key) lets exactly one of two concurrent requests win), and stores its
 * response when it succeeds. A failed request gives the key back, so a corrected retry runs.
 *
 * Limits, on purpose: the claim and the use case are separate transactions, so a process that
 * dies after the use case committed but before the response was stored leaves a claim that a
 * retry may take over after STALE_CLAIM_MS — and run again. Keys live IDEMPOTENCY_TTL_MS.
 */
import { DomainError } from '../domain/errors.ts';
import { claimKey, completeKey, getKey, releaseKey } from '../store/idempotency.queries.ts';
import type { Deps } from './deps.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
export const STALE_CLAIM_MS = 120_000;

export interface StoredResponse {
  contentType: string;
  body: string;
}

export type Begun = { run: true } | { run: false; status: number; response: StoredResponse };

/**
 * Claims the key for this request, or returns the stored response of the first one. Throws
 * key_reused when the key came with a different request, conflict while the first still runs.
 */
export async function beginIdempotent(deps: Deps, scope: string, key: string, requestHash: string): Promise<Begun> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = deps.now();
    const claimed = await claimKey(deps.db.orm, {
      scope, key, requestHash, now,
      expiredBefore: new Date(now.getTime() - IDEMPOTENCY_TTL_MS), staleBefore: new Date(now.getTime() - STALE_CLAIM_MS),
    });
    if (claimed) return { run: true };
    const row = await getKey(deps.db.orm, scope, key);
    if (!row) continue; // given back in between: claim again
    if (row.requestHash !== requestHash) {
      throw new DomainError('key_reused', 'Idempotency-Key: this key was used for a different request; send a new key with a new request');
    }
    if (row.status === 0) throw new DomainError('conflict', 'Idempotency-Key: the first request with this key is still running; retry shortly');
    return { run: false, status: row.status, response: row.response as StoredResponse };
  }
  throw new DomainError('conflict', 'Idempotency-Key: the key is busy; retry shortly');
}

/** Stores the response of a successful request under its key. */
export async function completeIdempotent(deps: Deps, scope: string, key: string, status: number, response: StoredResponse): Promise<void> {
  await completeKey(deps.db.orm, scope, key, status, response);
}

/** Gives the key back after a failed request. */
export async function releaseIdempotent(deps: Deps, scope: string, key: string): Promise<void> {
  await releaseKey(deps.db.orm, scope, key);
}
