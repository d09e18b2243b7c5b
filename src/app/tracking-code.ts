/**
 * One-time tracking codes (rules in domain/otp.ts). Only a keyed hash of a code is stored in
 * otp_codes, bound to its case, so a database copy alone cannot be used to guess codes offline.
 *
 * The code does travel once more: SMS goes out through the outbox (at-least-once, retried by
 * the sender job, so the request does not wait on the gateway), and the sender needs the digits.
 * They sit in the outbox payload sealed with SM4 under the master key (`pii.encrypt`), exactly
 * like the phone number beside them, are opened only at delivery, and are worthless after ten
 * minutes or their first use. The plain code is never logged nor returned.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';
import { OTP_MAX_ATTEMPTS, OTP_TTL_MS, judgeCode, maySendCode } from '../domain/otp.ts';
import { getCaseByTrackingNo, lockCase } from '../store/cases.queries.ts';
import { countOtpAttempt, insertOtp, lockNewestOtp, markOtpUsed, otpsSince } from '../store/otp.queries.ts';
import type { Deps } from './deps.ts';
import type { SmsPayload } from './notify/channel.ts';
import { enqueue } from './outbox.ts';

const codeHash = (deps: Deps, caseId: string, code: string) => deps.pii.mac(`tracking-code|${caseId}|${code}`);

/**
 * Sends a code to the phone the case was submitted with. Says nothing about the outcome — an
 * unknown tracking number, an anonymous case and a throttled resend all look like a sent code —
 * so the endpoint tells a stranger nothing and cannot be used to flood a phone.
 */
export async function sendTrackingCode(deps: Deps, trackingNo: string): Promise<{ sent: true; expiresInSeconds: number }> {
  const answer = { sent: true as const, expiresInSeconds: OTP_TTL_MS / 1000 };
  const found = await getCaseByTrackingNo(deps.db.orm, trackingNo.toUpperCase());
  if (!found?.citizenPhone) return answer;
  await deps.db.orm.transaction(async (tx) => {
    const row = await lockCase(tx, found.id); // one sender per case at a time: the throttle counts exactly
    const now = deps.now();
    if (!row?.citizenPhone || !maySendCode(await otpsSince(tx, row.id, new Date(now.getTime() - 3_600_000)), now)) return;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = await insertOtp(tx, { caseId: row.id, codeHash: codeHash(deps, row.id, code), createdAt: now, expiresAt: new Date(now.getTime() + OTP_TTL_MS) });
    const payload: SmsPayload = { template: 'tracking_code', trackingNo: row.trackingNo, sealedCode: deps.pii.encrypt(code) };
    await enqueue(tx, now, [{ dedupeKey: `otp:${id}`, channel: 'sms', recipient: row.citizenPhone, payload: { ...payload } }]);
  });
  return answer;
}

/**
 * Checks a code against the case's newest one and uses it up when right. False for a wrong,
 * used or expired code; throws locked once the code has taken OTP_MAX_ATTEMPTS wrong tries.
 */
export async function useTrackingCode(deps: Deps, caseId: string, code: string): Promise<boolean> {
  const verdict = await deps.db.orm.transaction(async (tx) => {
    const otp = await lockNewestOtp(tx, caseId);
    const now = deps.now();
    const want = otp ? Buffer.from(otp.codeHash) : Buffer.alloc(0);
    const got = Buffer.from(codeHash(deps, caseId, code));
    const v = judgeCode(otp, want.length === got.length && timingSafeEqual(want, got), now);
    if (otp && v === 'ok') await markOtpUsed(tx, otp.id, now);
    else if (otp && otp.attempts < OTP_MAX_ATTEMPTS) await countOtpAttempt(tx, otp.id);
    return v;
  });
  if (verdict === 'locked') throw new DomainError('locked', 'too many wrong codes; ask for a new code');
  return verdict === 'ok';
}
