/** Every workflow action's use case, by action name. */
import type { CaseAction } from '../../domain/workflow.ts';
import type { ActionUseCase } from './define-action.ts';
import { answerCase } from './answer-case.ts';
import { assistCase } from './assist-case.ts';
import { closeCase } from './close-case.ts';
import { contactCitizen } from './contact-citizen.ts';
import { dispatchCase } from './dispatch-case.ts';
import { giveFeedback } from './give-feedback.ts';
import { mergeCase } from './merge-case.ts';
import { notAcceptCase } from './not-accept-case.ts';
import { pendCase } from './pend-case.ts';
import { rateCase } from './rate-case.ts';
import { reopenCase } from './reopen-case.ts';
import { resolveCase } from './resolve-case.ts';
import { resumeCase } from './resume-case.ts';
import { returnCase } from './return-case.ts';
import { revealCitizen } from './reveal-citizen.ts';
import { ruleReturn } from './rule-return.ts';
import { signCase } from './sign-case.ts';
import { transferCase } from './transfer-case.ts';
import { escalateCase } from './escalate-case.ts';
import { summonUnits } from './summon-units.ts';
import { coSignCase } from './co-sign-case.ts';
import { handBackCase } from './hand-back-case.ts';
import { extendClock } from './extend-clock.ts';
import { approveExtension } from './approve-extension.ts';
import { refuseExtension } from './refuse-extension.ts';
import { supplementCase } from './supplement-case.ts';
import { withdrawCase } from './withdraw-case.ts';
import { thankCase } from './thank-case.ts';
import { attachFile } from './attach-file.ts';

export const ACTION_USE_CASES: { [A in CaseAction]: ActionUseCase<A, any> } = {
  dispatch: dispatchCase, sign: signCase, return: returnCase, rule_return: ruleReturn, transfer: transferCase,
  assist: assistCase, contact: contactCitizen, feedback: giveFeedback, resolve: resolveCase, rate: rateCase,
  close: closeCase, reopen: reopenCase, merge: mergeCase, answer: answerCase, not_accept: notAcceptCase,
  pend: pendCase, resume: resumeCase, reveal: revealCitizen,
  escalate: escalateCase, summon: summonUnits, co_sign: coSignCase, hand_back: handBackCase,
  extend: extendClock, approve_extension: approveExtension, refuse_extension: refuseExtension,
  supplement: supplementCase, withdraw: withdrawCase, thank: thankCase, attach: attachFile,
};
