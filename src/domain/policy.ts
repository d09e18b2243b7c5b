/**
 * Access policy, in pairs: `can` for one case, `visibleScope` for lists. A case the actor may not
 * see must look absent (404), so `canSee` comes first everywhere.
 */
import type { Actor, Role } from './actor.ts';
import { partyOf } from './actor.ts';
import { mayUseChannel } from './channel.ts';
import type { CaseState } from './case.ts';
import type { CaseAction, Relation } from './workflow.ts';
import { CASE_ACTIONS, WORKFLOW } from './workflow.ts';

/**
 * What the policy reads of a case. `awaitingCoSign` — summoned units that have not co-signed
 * (domain/escalation.ts) — is derived from the events, so it is known where they are loaded (an
 * action, the full case view); absent, nobody is `summoned` (list rows do not offer co_sign).
 */
export type CaseRef = Pick<CaseState, 'id' | 'status' | 'leadUnitCode' | 'coUnitCodes' | 'scopeUnits'> & {
  awaitingCoSign?: readonly string[];
  /** A merged case: whether the case it was merged into has an answer its reporter has not rated yet (case.ts mayRateRootAnswer). */
  rootAnswerToRate?: boolean;
};

/** Roles that read cases; the admin and the auditor do not (三员分立). */
const CASE_READERS: readonly Role[] = ['operator', 'handler', 'leader'];

/** Roots of the unit subtrees whose cases the actor may list; empty means none. */
export function visibleScope(actor: Actor): { units: string[] } {
  if (actor.kind !== 'staff') return { units: [] };
  return { units: CASE_READERS.includes(actor.role) ? [actor.unitCode] : [] };
}

/** Whether the actor may see this case at all. */
export function canSee(actor: Actor, c: CaseRef): boolean {
  if (actor.kind === 'citizen') return actor.caseId === c.id;
  return visibleScope(actor).units.some((u) => c.scopeUnits.includes(u));
}

function relates(actor: Actor, c: CaseRef, rel: Relation): boolean {
  if (rel === 'owner') return actor.kind === 'citizen' && actor.caseId === c.id;
  if (actor.kind !== 'staff') return false;
  switch (rel) {
    case 'scope': return c.scopeUnits.includes(actor.unitCode);
    case 'lead': return c.leadUnitCode === actor.unitCode;
    case 'party': return c.leadUnitCode === actor.unitCode || c.coUnitCodes.includes(actor.unitCode);
    case 'summoned': return c.awaitingCoSign?.includes(actor.unitCode) ?? false;
  }
}

/** Whether the actor may take this action on this case now (status, role and relation). */
export function can(actor: Actor, action: CaseAction, c: CaseRef): boolean {
  const rule = WORKFLOW[action];
  const party = partyOf(actor);
  const rel = party === 'system' ? undefined : rule.parties[party];
  return rel !== undefined && rule.from.includes(c.status) && (rule.when?.test(c) ?? true) && canSee(actor, c) && relates(actor, c, rel);
}

/** The actions the UI may offer, in table order. */
export function allowedActions(actor: Actor, c: CaseRef): CaseAction[] {
  return CASE_ACTIONS.filter((a) => can(actor, a, c));
}

/** Who may register a new request: the public (as a citizen) and operators for walk-in/hotline (channel.ts). */
export function canSubmit(actor: Actor | null, channel: string): boolean {
  return mayUseChannel(actor, channel);
}

/** System administration (org tree, accounts): the admin alone. */
export function canAdminister(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.role === 'admin';
}
