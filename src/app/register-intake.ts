/**
 * 来访 / 来电登记: an operator registers a walk-in visit or a hotline call for a citizen, and may
 * dispatch or answer it at once (`then`) with the same action use cases as the workbench.
 */
import { z } from 'zod';
import type { StaffActor } from '../domain/actor.ts';
import { DomainError, badInput } from '../domain/errors.ts';
import { canSubmit } from '../domain/policy.ts';
import { getUnit } from '../store/units.queries.ts';
import { answerCase } from './actions/answer-case.ts';
import { dispatchCase } from './actions/dispatch-case.ts';
import type { Deps } from './deps.ts';
import { getCaseView } from './read-cases.ts';
import { SubmitBody, submitRequest } from './submit-request.ts';

const Then = z.union([
  z.object({ dispatch: dispatchCase.body }).strict(),
  z.object({ answer: answerCase.body }).strict(),
]);

export const IntakeBody = SubmitBody.extend({
  channel: z.enum(['walk_in', 'hotline']),
  /** Caller ID of a hotline call: recorded as the citizen's phone unless another is given. */
  callerNumber: z.string().trim().max(30).optional(),
  then: Then.optional(),
});
export type IntakeInput = z.infer<typeof IntakeBody>;

/**
 * Registers the request (intake unit: the one named, else the operator's own) and runs `then`.
 * The dispatch target is checked before anything is written; should the follow-up still fail,
 * the case stays registered and the error carries its `caseId` and `trackingNo`.
 * Throws forbidden unless the actor is an operator, bad_input `field: …` for bad input.
 */
export async function registerIntake(deps: Deps, actor: StaffActor, input: IntakeInput) {
  if (!canSubmit(actor, input.channel)) throw new DomainError('forbidden', `channel ${input.channel} is for operators`);
  const { then, callerNumber, ...rest } = input;
  if (then && 'dispatch' in then && !(await getUnit(deps.db.orm, then.dispatch.unitCode))) {
    throw badInput('then.dispatch.unitCode', `unknown unit ${then.dispatch.unitCode}`);
  }
  const phone = rest.citizen.phone || (input.channel === 'hotline' ? callerNumber : undefined);
  const { caseId, trackingNo } = await submitRequest(deps, actor, { ...rest, citizen: { ...rest.citizen, phone } });
  try {
    if (then && 'dispatch' in then) await dispatchCase.run(deps, actor, caseId, then.dispatch);
    if (then && 'answer' in then) await answerCase.run(deps, actor, caseId, then.answer);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    throw new DomainError(e.code, `${e.message} (the request was registered as ${trackingNo})`, { ...e.details, caseId, trackingNo });
  }
  return getCaseView(deps, actor, caseId);
}
