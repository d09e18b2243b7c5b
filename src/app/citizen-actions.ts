/**
 * The citizen acting on their case from the tracking page: supplement, withdraw, thank (and
 * rate, track-case.ts). Each proves ownership (citizen-proof.ts), then runs the same action use
 * case as staff do, as the citizen.
 */
import type { z } from 'zod';
import { STATUS_LABELS } from '../domain/case.ts';
import type { CaseAction } from '../domain/workflow.ts';
import type { ActionUseCase } from './actions/define-action.ts';
import { SupplementBody, supplementCase } from './actions/supplement-case.ts';
import { ThankBody, thankCase } from './actions/thank-case.ts';
import { WithdrawBody, withdrawCase } from './actions/withdraw-case.ts';
import { listEvents } from '../store/cases.queries.ts';
import { proveOwner, withProof, type Proof } from './citizen-proof.ts';
import type { Deps } from './deps.ts';

export const CitizenSupplementBody = withProof(SupplementBody.shape);
export const CitizenWithdrawBody = withProof(WithdrawBody.shape);
export const CitizenThankBody = withProof(ThankBody.shape);

/**
 * Runs `useCase` for the citizen who proved the case is theirs. Throws not_found for a wrong
 * proof, invalid_transition (409) when the case's status does not allow the action.
 */
export async function actAsCitizen<A extends CaseAction, S extends z.ZodType>(
  deps: Deps, trackingNo: string, proof: Proof, useCase: ActionUseCase<A, S>, body: z.infer<S>,
) {
  const { row, actor } = await proveOwner(deps, trackingNo, proof);
  const r = await useCase.run(deps, actor, row.id, body);
  return { trackingNo: r.case.trackingNo, status: r.case.status, statusLabel: STATUS_LABELS[r.case.status] };
}

const bodyOf = <T extends Proof>({ phone: _p, code: _c, token: _t, ...rest }: T) => rest;

/** 补充材料 by the citizen; resumes a case that waits for them. */
export const supplementAsCitizen = (deps: Deps, trackingNo: string, b: z.infer<typeof CitizenSupplementBody>) =>
  actAsCitizen(deps, trackingNo, b, supplementCase, bodyOf(b));

/** 撤回 by the citizen. */
export const withdrawAsCitizen = (deps: Deps, trackingNo: string, b: z.infer<typeof CitizenWithdrawBody>) =>
  actAsCitizen(deps, trackingNo, b, withdrawCase, bodyOf(b));

/** 表扬信: answers with the new praise case's tracking number too. */
export async function thankAsCitizen(deps: Deps, trackingNo: string, b: z.infer<typeof CitizenThankBody>) {
  const { row, actor } = await proveOwner(deps, trackingNo, b);
  const r = await thankCase.run(deps, actor, row.id, bodyOf(b));
  const thanked = (await listEvents(deps.db.orm, row.id)).findLast((e) => e.action === 'thank');
  const praiseTrackingNo = (thanked?.payload as { praiseTrackingNo?: string } | undefined)?.praiseTrackingNo ?? null;
  return { trackingNo: r.case.trackingNo, status: r.case.status, statusLabel: STATUS_LABELS[r.case.status], praiseTrackingNo };
}
