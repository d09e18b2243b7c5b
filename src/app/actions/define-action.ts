/**
 * The shape of one workflow use case: the body it accepts (zod, shared by HTTP, CLI and web) and
 * how that body becomes the domain's input.
 */
import type { z } from 'zod';
import type { Actor } from '../../domain/actor.ts';
import type { CaseState } from '../../domain/case.ts';
import { badInput, notFound } from '../../domain/errors.ts';
import { canSee } from '../../domain/policy.ts';
import type { ActionInputs, CaseAction, UnitRef } from '../../domain/workflow.ts';
import type { Tx } from '../../store/db.ts';
import { getCase, getCaseByTrackingNo, toState } from '../../store/cases.queries.ts';
import { getUnit } from '../../store/units.queries.ts';
import type { Deps } from '../deps.ts';
import { performAction, type ActionResult } from '../perform-action.ts';

export interface ActionContext {
  tx: Tx;
  actor: Actor;
  case: CaseState;
  deps: Deps;
}

export interface ActionUseCase<A extends CaseAction, S extends z.ZodType> {
  name: A;
  body: S;
  run(deps: Deps, actor: Actor, caseId: string, body: z.infer<S>): Promise<ActionResult>;
}

export function defineAction<A extends CaseAction, S extends z.ZodType>(
  name: A,
  body: S,
  toInput: (b: z.infer<S>, ctx: ActionContext) => Promise<ActionInputs[A]> | ActionInputs[A],
): ActionUseCase<A, S> {
  return {
    name,
    body,
    run: (deps, actor, caseId, b) => performAction(deps, actor, caseId, name, (tx, c) => toInput(b, { tx, actor, case: c, deps })),
  };
}

/** Resolves a unit code from a body field; 400 naming the field when it does not exist. */
export async function unitRef(tx: Tx, code: string, field = 'unitCode'): Promise<UnitRef> {
  const u = await getUnit(tx, code);
  if (!u) throw badInput(field, `unknown unit ${code}`);
  return { code: u.code, ancestors: u.ancestors };
}

/** Finds another case the actor may see, by id or tracking number. */
export async function visibleCase(tx: Tx, actor: Actor, ref: { id?: string; trackingNo?: string }): Promise<CaseState> {
  const row = ref.id ? await getCase(tx, ref.id) : ref.trackingNo ? await getCaseByTrackingNo(tx, ref.trackingNo) : null;
  if (!row) throw notFound('target case');
  const c = toState(row);
  if (!canSee(actor, c)) throw notFound('target case');
  return c;
}
