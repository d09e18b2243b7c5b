/**
 * One-time codes that let a citizen prove a case is theirs without typing the phone number: six
 * digits sent by SMS, valid ten minutes, five tries, used once. Sending is throttled per case so
 * the platform cannot be turned into an SMS cannon. Pure rules; the store keeps only a keyed hash.
 */

export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;
/** At most one code per case per minute, and five per hour. */
export const OTP_RESEND_MS = 60_000;
export const OTP_PER_HOUR = 5;
export const OTP_CODE = /^\d{6}$/;

export interface IssuedCode {
  createdAt: Date;
  expiresAt: Date;
  attempts: number;
  usedAt: Date | null;
}

/** Whether another code may be sent now, given the codes the case got in the last hour. */
export function maySendCode(recent: readonly Pick<IssuedCode, 'createdAt'>[], now: Date): boolean {
  const inHour = recent.filter((c) => now.getTime() - c.createdAt.getTime() < 3_600_000);
  return inHour.length < OTP_PER_HOUR && inHour.every((c) => now.getTime() - c.createdAt.getTime() >= OTP_RESEND_MS);
}

export type CodeVerdict = 'ok' | 'wrong' | 'locked';

/**
 * Judges a code attempt against the case's newest code (null when none was sent). A used or
 * expired code, or a wrong one, is `wrong`; the fifth wrong try — and any try after it — is
 * `locked` until a new code is sent. `attempts` is the count before this try.
 */
export function judgeCode(code: IssuedCode | null, matches: boolean, now: Date): CodeVerdict {
  if (!code) return 'wrong';
  if (code.attempts >= OTP_MAX_ATTEMPTS) return 'locked';
  if (code.usedAt || now.getTime() >= code.expiresAt.getTime()) return 'wrong';
  if (matches) return 'ok';
  return code.attempts + 1 >= OTP_MAX_ATTEMPTS ? 'locked' : 'wrong';
}

/**
 * After a proof (phone, code, or a fresh submission) the citizen gets an access token for the
 * case, so one code is enough for a visit: tracking, then supplementing, uploading, rating.
 */
export const ACCESS_TOKEN_TTL_MS = 30 * 60_000;
