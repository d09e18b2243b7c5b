/**
 * What the policy needs of a case beyond its row (domain/policy.ts CaseRef), loaded only where it
 * can matter: the summoned units that still owe a co-signature, read from the events
 * (domain/escalation.ts) — only cases with co-units can have any — and, for a merged case,
 * whether the case it was merged into has an answer its reporter has not rated yet.
 */
import type { CaseState, Status } from '../domain/case.ts';
import { mayRateRootAnswer } from '../domain/case.ts';
import { awaitingCoSign } from '../domain/escalation.ts';
import type { CaseRef } from '../domain/policy.ts';
import type { Tx } from '../store/db.ts';
import { listEvents, mergeRoot } from '../store/cases.queries.ts';

/** The case with `awaitingCoSign` and `rootAnswered` filled in. */
export async function withPolicyFacts<C extends Pick<CaseState, 'id' | 'coUnitCodes' | 'status' | 'mergedInto' | 'rating'>>(
  tx: Tx, c: C, events?: Parameters<typeof awaitingCoSign>[0],
): Promise<C & Pick<CaseRef, 'awaitingCoSign' | 'rootAnswerToRate'>> {
  const owing = c.coUnitCodes.length === 0 ? [] : awaitingCoSign(events ?? (await listEvents(tx, c.id)));
  if (c.status !== 'merged' || !c.mergedInto) return { ...c, awaitingCoSign: owing };
  const root = await mergeRoot(tx, c.mergedInto);
  const answeredAt = root ? root.resolvedAt ?? root.closedAt : null;
  return { ...c, awaitingCoSign: owing, rootAnswerToRate: !!root && mayRateRootAnswer(c.rating, { status: root.status as Status, answeredAt }) };
}
