/**
 * The use case behind every workflow action: load and lock the case, check the policy, apply the
 * transition, record the event, queue its notifications (case-effects.ts) — one transaction.
 */
import type { Actor } from '../domain/actor.ts';
import type { CaseState } from '../domain/case.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { can, canSee } from '../domain/policy.ts';
import type { ActionInputs, CaseAction } from '../domain/workflow.ts';
import { WORKFLOW, transition } from '../domain/workflow.ts';
import type { Tx } from '../store/db.ts';
import { lockCase, toState, type CaseRow } from '../store/cases.queries.ts';
import type { Deps } from './deps.ts';
import { recordEvent } from './record-event.ts';
import { afterCaseEvent } from './case-effects.ts';
import { withPolicyFacts } from './policy-facts.ts';

export interface ActionResult {
  case: CaseState;
  row: CaseRow;
}

/**
 * Performs `action` on a case. `resolve` turns the raw body into the domain input inside the
 * transaction (it may look up units). Throws not_found when the actor may not see the case,
 * invalid_transition when the status does not allow the action, forbidden otherwise.
 */
export async function performAction<A extends CaseAction>(
  deps: Deps,
  actor: Actor,
  caseId: string,
  action: A,
  resolve: (tx: Tx, c: CaseState) => Promise<ActionInputs[A]> | ActionInputs[A],
): Promise<ActionResult> {
  return deps.db.orm.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    if (!row) throw notFound('case');
    const c = toState(row);
    if (!canSee(actor, c)) throw notFound('case');
    const ref = await withPolicyFacts(tx, c);
    if (!can(actor, action, ref)) {
      const rule = WORKFLOW[action];
      if (!rule.from.includes(c.status)) {
        throw new DomainError('invalid_transition', `${action} is not allowed while the case is ${c.status}`, { status: c.status, action });
      }
      if (rule.when && !rule.when.test(ref)) {
        throw new DomainError('invalid_transition', `${action} waits: ${rule.when.reason}`, { status: c.status, action });
      }
      throw new DomainError('forbidden', `${action} is not yours to take on this case`);
    }
    const input = await resolve(tx, c);
    const now = deps.now();
    const t = transition(c, action, input, now);
    const event = await recordEvent(tx, row, actor, now, { action: t.event, from: t.from, to: t.to, payload: t.payload, patch: t.patch }, deps);
    const next = { ...c, ...t.patch };
    await afterCaseEvent(tx, deps, {
      before: c, after: next, sealedPhone: row.citizenPhone,
      event: { seq: event.seq, action: event.action, at: now, fromStatus: t.from, toStatus: t.to },
    });
    return { case: next, row: { ...row, ...t.patch } as CaseRow };
  });
}
