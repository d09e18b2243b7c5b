/**
 * The summoned units that still owe a co-signature, read from the events (domain/escalation.ts)
 * and attached to the case for the policy's `summoned` relation. Only cases with co-units can
 * have any, so the others cost no query.
 */
import type { CaseState } from '../domain/case.ts';
import { awaitingCoSign } from '../domain/escalation.ts';
import type { Tx } from '../store/db.ts';
import { listEvents } from '../store/cases.queries.ts';

/** The case with `awaitingCoSign` filled in. */
export async function withCoSigns<C extends Pick<CaseState, 'id' | 'coUnitCodes'>>(tx: Tx, c: C): Promise<C & { awaitingCoSign: string[] }> {
  if (c.coUnitCodes.length === 0) return { ...c, awaitingCoSign: [] };
  return { ...c, awaitingCoSign: awaitingCoSign(await listEvents(tx, c.id)) };
}
