/**
 * Appends one event to a case's hash chain and stores the case's new state, inside the caller's
 * transaction. Every change to a case goes through here, so here its clocks are recomputed too
 * (case-clocks.ts) and stored in the same UPDATE.
 */
import type { Actor } from '../domain/actor.ts';
import { actorId, partyOf } from '../domain/actor.ts';
import type { CaseState, Status } from '../domain/case.ts';
import { chainNext } from '../domain/hash-chain.ts';
import type { Tx } from '../store/db.ts';
import { insertEvent, updateCase, type CaseRow } from '../store/cases.queries.ts';
import { recomputeClocks, type ClockCtx } from './case-clocks.ts';
import { bumpRollups } from './kpi-rollups.ts';

export interface EventInput {
  action: string;
  from: Status | null;
  to: Status | null;
  payload: Record<string, unknown>;
  patch: Partial<CaseState>;
}

/** `ctx` (the use case's deps) gives the clock recomputation its policies and logger. */
export async function recordEvent(tx: Tx, row: Pick<CaseRow, 'id' | 'eventSeq' | 'headHash'>, actor: Actor, at: Date, e: EventInput, ctx: ClockCtx) {
  const event = {
    caseId: row.id,
    at,
    actorId: actorId(actor),
    actorRole: partyOf(actor),
    actorUnit: actor.kind === 'staff' ? actor.unitCode : null,
    action: e.action,
    fromStatus: e.from,
    toStatus: e.to,
    payload: e.payload,
  };
  const link = chainNext({ seq: row.eventSeq, hash: row.headHash }, event);
  await insertEvent(tx, { ...event, ...link });
  const clocks = await recomputeClocks(tx, row.id, ctx);
  await updateCase(tx, row.id, e.patch, { seq: link.seq, hash: link.hash }, clocks);
  await bumpRollups(tx, row.id);
  return { ...event, ...link };
}
