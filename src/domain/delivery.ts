/**
 * Delivery rules for the outbox: the retry schedule and the webhook signature. Pure (hashing
 * is computation, not I/O).
 *
 * Signature: `X-Suqiu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>,sm3=<hex HMAC-SM3>`, both
 * MACs keyed with the webhook's secret over `<t>.<raw body>`. A receiver checks either MAC
 * (SHA-256 where SM3 is unavailable) and rejects a `t` too far from its clock (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a claimed row stays invisible to other senders while it is being delivered. */
export const LEASE_MS = 60_000;
/** Attempts before a row is parked (left undelivered with its last error, no longer retried). */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * The wait before the next attempt after `attempts` failed ones (≥ 1): 30 s, 1 min, 2 min, …
 * doubling up to 1 h. Null once `MAX_ATTEMPTS` have failed: give up.
 */
export function retryDelayMs(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export const SIGNATURE_HEADER = 'x-suqiu-signature';

const macs = (secret: string, t: number, body: string) => ({
  v1: createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'),
  sm3: createHmac('sm3', secret).update(`${t}.${body}`).digest('hex'),
});

/** The signature header value for a body sent at `at`. */
export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(+at / 1000);
  const m = macs(secret, t, body);
  return `t=${t},v1=${m.v1},sm3=${m.sm3}`;
}

/**
 * What a receiver does: true when the header carries a valid `v1` (or `sm3`) MAC of the body
 * and its time is within `toleranceMs` of `now`.
 */
export function verifySignature(header: string, secret: string, body: string, now: Date, toleranceMs = 300_000): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(+now - t * 1000) > toleranceMs) return false;
  const want = macs(secret, t, body);
  const eq = (a: string | undefined, b: string) => !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return eq(parts.v1, want.v1) || eq(parts.sm3, want.sm3);
}
