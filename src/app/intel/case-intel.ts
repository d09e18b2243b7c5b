/**
 * Intel on one case, for staff: what intake suggested, the risk flags (raised, cleared), and the
 * two changes staff make: setting the category (a correction the next training learns from)
 * and clearing a flag with a reason. Both are events on the case's chain.
 */
import { z } from 'zod';
import type { StaffActor } from '../../domain/actor.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { canSee } from '../../domain/policy.ts';
import { RISK_FLAGS, RISK_FLAG_LABELS, type RiskFlag } from '../../intel/risk.ts';
import { lockCase, toState } from '../../store/cases.queries.ts';
import type { Tx } from '../../store/db.ts';
import { casesBrief, clearFlag, getSuggestions, insertCorrection, listFlags } from '../../store/intel.queries.ts';
import type { Deps } from '../deps.ts';
import { recordEvent } from '../record-event.ts';

/** Roles that may correct a category or clear a flag (on a case they can see). */
const INTEL_ROLES = ['operator', 'handler', 'leader'] as const;

/** The `intel` part of the staff case view; similar cases the actor may not see are left out. */
export async function caseIntel(tx: Tx, caseId: string, actor: StaffActor) {
  const s = await getSuggestions(tx, caseId);
  const flags = await listFlags(tx, caseId);
  const similar = (s?.similar ?? []) as { caseId: string }[];
  const visible = new Set((await casesBrief(tx, similar.map((x) => x.caseId))).filter((c) => canSee(actor, { id: c.id, scopeUnits: c.scopeUnits } as never)).map((c) => c.id));
  return {
    suggestions: s ? {
      categories: s.categories, location: s.location, similar: similar.filter((x) => visible.has(x.caseId)), modelId: s.modelId,
      route: s.route ?? null,
    } : null,
    flags: flags.map((f) => ({
      flag: f.flag, label: RISK_FLAG_LABELS[f.flag as RiskFlag] ?? f.flag, words: f.words, raisedAt: f.raisedAt,
      cleared: f.clearedAt ? { at: f.clearedAt, by: f.clearedBy, reason: f.clearReason } : null,
    })),
  };
}

/** Locks the case and checks the actor may change its intel; throws not_found / forbidden. */
async function lockForIntel(tx: Tx, actor: StaffActor, caseId: string) {
  const row = z.string().uuid().safeParse(caseId).success ? await lockCase(tx, caseId) : null;
  if (!row || !canSee(actor, toState(row))) throw notFound('case');
  if (!(INTEL_ROLES as readonly string[]).includes(actor.role)) throw new DomainError('forbidden', `a ${actor.role} does not change a case's category or flags`);
  return row;
}

export const CategorizeBody = z.object({
  category: z.string().trim().min(1, 'is required').max(40, 'must be at most 40 characters'),
  note: z.string().trim().max(500).optional(),
}).strict();

/**
 * Sets a case's category (分类确认/更正): an event `categorize` {from, to, suggested}, and a row in
 * intel_corrections that `suqiu intel retrain` learns from. Setting the same category confirms it.
 */
export async function categorizeCase(deps: Deps, actor: StaffActor, caseId: string, body: z.infer<typeof CategorizeBody>) {
  return deps.db.orm.transaction(async (tx) => {
    const row = await lockForIntel(tx, actor, caseId);
    const now = deps.now();
    const suggested = ((await getSuggestions(tx, caseId))?.categories as { label: string }[] | undefined)?.[0]?.label ?? null;
    await recordEvent(tx, row, actor, now, {
      action: 'categorize', from: toState(row).status, to: toState(row).status, patch: { category: body.category, updatedAt: now },
      payload: { from: row.category, to: body.category, suggested, ...(body.note ? { note: body.note } : {}) },
    }, deps);
    await insertCorrection(tx, { caseId, kind: 'category', fromValue: row.category, toValue: body.category, suggested, by: actor.id, at: now });
    return { caseId, category: body.category, previous: row.category, suggested };
  });
}

export const ClearFlagParams = z.object({ id: z.string(), flag: z.enum(RISK_FLAGS) });
export const ClearFlagBody = z.object({ reason: z.string().trim().min(2, 'is required').max(500) }).strict();

/** Clears a raised risk flag with a reason (event `clear_flag`). Throws not_found when no such flag is raised. */
export async function clearCaseFlag(deps: Deps, actor: StaffActor, caseId: string, flag: RiskFlag, reason: string) {
  return deps.db.orm.transaction(async (tx) => {
    const row = await lockForIntel(tx, actor, caseId);
    const now = deps.now();
    if (!(await clearFlag(tx, caseId, flag, actor.id, now, reason))) throw notFound('flag');
    await recordEvent(tx, row, actor, now, {
      action: 'clear_flag', from: toState(row).status, to: toState(row).status, patch: { updatedAt: now }, payload: { flag, reason },
    }, deps);
    return caseIntel(tx, caseId, actor);
  });
}
