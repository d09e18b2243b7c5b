/**
 * How a citizen proves a case is theirs: the phone number given at submission, a one-time code
 * sent to that phone (tracking-code.ts), or the short-lived access token handed out after either
 * proof or at submission. A failed proof looks exactly like an unknown tracking number (404);
 * only a code locked by too many tries says so (423).
 *
 * The access token is stateless: `a1.<caseId>.<expiry ms, base 36>.<HMAC-SM3>` under the
 * installation's key, so any node can check it and nothing is stored.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CitizenActor } from '../domain/actor.ts';
import { notFound } from '../domain/errors.ts';
import { normalizePhone } from '../domain/mask.ts';
import { ACCESS_TOKEN_TTL_MS, OTP_CODE } from '../domain/otp.ts';
import { getCaseByTrackingNo, type CaseRow } from '../store/cases.queries.ts';
import type { Deps } from './deps.ts';
import { useTrackingCode } from './tracking-code.ts';

/** The proof fields; exactly one must be given (`withProof`). */
export const ProofFields = {
  phone: z.string().trim().min(5, 'must be at least 5 characters').max(30, 'must be at most 30 characters').optional(),
  code: z.string().trim().regex(OTP_CODE, 'must be the 6-digit code').optional(),
  token: z.string().trim().min(1).max(200, 'must be at most 200 characters').optional(),
};
export type Proof = { phone?: string; code?: string; token?: string };

/** An object schema with the proof fields added, requiring exactly one of them. */
export function withProof<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...shape, ...ProofFields }).superRefine((v, ctx) => {
    const given = (['phone', 'code', 'token'] as const).filter((k) => (v as Proof)[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [given[1] ?? 'phone'], message: 'give exactly one of phone, code or token' });
    }
  });
}

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const tokenMac = (deps: Deps, caseId: string, exp: string) => deps.pii.mac(`citizen-access|a1|${caseId}|${exp}`);

/** A fresh access token for a case the citizen just proved or submitted. */
export function issueAccessToken(deps: Deps, caseId: string): { accessToken: string; accessTokenExpiresAt: string } {
  const expiresAt = new Date(deps.now().getTime() + ACCESS_TOKEN_TTL_MS);
  const exp = expiresAt.getTime().toString(36);
  return { accessToken: `a1.${caseId}.${exp}.${tokenMac(deps, caseId, exp)}`, accessTokenExpiresAt: expiresAt.toISOString() };
}

/** The case id an access token was issued for, if it is genuine and unexpired. */
function tokenCase(deps: Deps, token: string): string | null {
  const [v, caseId, exp, mac, ...rest] = token.split('.');
  if (v !== 'a1' || !caseId || !exp || !mac || rest.length || !/^[0-9a-z]{1,12}$/.test(exp)) return null;
  if (!sameHex(mac, tokenMac(deps, caseId, exp))) return null;
  return parseInt(exp, 36) > deps.now().getTime() ? caseId : null;
}

/**
 * The case and the citizen acting on it. Throws not_found for an unknown tracking number or a
 * wrong proof, locked when the case's code took too many wrong tries.
 */
export async function proveOwner(deps: Deps, trackingNo: string, proof: Proof): Promise<{ row: CaseRow; actor: CitizenActor }> {
  const row = await getCaseByTrackingNo(deps.db.orm, trackingNo.toUpperCase());
  if (!row) throw notFound('case');
  let ok = false;
  if (proof.phone !== undefined) {
    const normal = normalizePhone(proof.phone);
    ok = !!normal && !!row.citizenPhoneIndex && sameHex(row.citizenPhoneIndex, deps.pii.index(normal));
  } else if (proof.token !== undefined) {
    ok = tokenCase(deps, proof.token) === row.id;
  } else if (proof.code !== undefined) {
    ok = await useTrackingCode(deps, row.id, proof.code);
  }
  if (!ok) throw notFound('case');
  return { row, actor: { kind: 'citizen', caseId: row.id } };
}
