/**
 * Reading common problems as staff: lists and one problem with its cases and before/after
 * figures, restricted to the actor's scope (a problem outside it, or a unit outside it, is a 404).
 * The case list holds only the cases the actor may see; counts and figures cover all of them.
 * The command line reads as a viewer whose root is the city.
 */
import { z } from 'zod';
import type { StaffActor } from '../../domain/actor.ts';
import { badInput, notFound } from '../../domain/errors.ts';
import { visibleScope } from '../../domain/policy.ts';
import {
  PROBLEM_STATUS_LABELS, PROBLEM_STATUSES, problemAllowedActions, problemFigures, type ProblemStatus,
} from '../../domain/problem.ts';
import type { Tx } from '../../store/db.ts';
import { getProblem, listProblems, problemCaseTimes, problemCasesVisible, type ProblemRow } from '../../store/problems.queries.ts';
import { getUnit, getUnits } from '../../store/units.queries.ts';
import { effectiveCatalogue } from '../categories.ts';
import type { Deps } from '../deps.ts';

export const ProblemListQuery = z.object({
  /** One status or several separated by commas. */
  status: z.string().trim().max(80).optional(),
  category: z.string().trim().max(40).optional(),
  /** Only problems of this unit's subtree (inside the actor's scope). */
  unitCode: z.string().trim().min(1).max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const ProblemQuery = z.object({
  /** Weeks before the fix (or before now) in the figures. */
  weeks: z.coerce.number().int().min(1).max(52).default(8),
});

/** Cases listed in a problem's view, newest first. */
const CASES_SHOWN = 200;

function statuses(s: string | undefined): ProblemStatus[] | undefined {
  if (!s) return undefined;
  const list = s.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.find((x) => !(PROBLEM_STATUSES as readonly string[]).includes(x));
  if (bad !== undefined) throw badInput('status', `must be ${PROBLEM_STATUSES.join(', ')} (or several, comma-separated), not ${bad}`);
  return list as ProblemStatus[];
}

async function names(deps: Deps, tx: Tx, rows: readonly ProblemRow[]) {
  const units = new Map((await getUnits(tx, [...new Set(rows.map((r) => r.unitCode))])).map((u) => [u.code, u]));
  const categories = new Map((await effectiveCatalogue(deps)).map((c) => [c.code, c.name]));
  return { unit: (code: string) => ({ code, name: units.get(code)?.name ?? code, kind: units.get(code)?.kind ?? 'unknown' }), category: (c: string) => categories.get(c) ?? c };
}

/** Who reads: a staff member (their scope, their allowed actions) or the command line (everything, no actions). */
export interface Viewer {
  roots: readonly string[];
  actor: StaffActor | null;
}

export const staffViewer = (actor: StaffActor): Viewer => ({ roots: visibleScope(actor).units, actor });

function present(viewer: Viewer, r: ProblemRow, n: Awaited<ReturnType<typeof names>>) {
  const status = r.status as ProblemStatus;
  return {
    id: r.id, status, statusLabel: PROBLEM_STATUS_LABELS[status], name: r.name, suggestedName: r.suggestedName,
    category: r.category, categoryName: n.category(r.category), unit: n.unit(r.unitCode),
    keyTerms: r.keyTerms as { term: string; weight: number; cases: number }[],
    proposedAt: r.proposedAt, confirmedAt: r.confirmedAt, fixedAt: r.fixedAt, fixNote: r.fixNote,
    dismissedAt: r.dismissedAt, dismissReason: r.dismissReason, updatedAt: r.updatedAt,
    allowedActions: viewer.actor ? problemAllowedActions(viewer.actor, { status, scopeUnits: r.scopeUnits }) : [],
  };
}

/** A page of the problems the viewer may see, the most recently active first. */
export async function listProblemViews(deps: Deps, viewer: Viewer, q: z.infer<typeof ProblemListQuery>) {
  const scope = viewer.roots;
  if (q.unitCode !== undefined) {
    const unit = await getUnit(deps.db.orm, q.unitCode);
    if (!unit || !unit.ancestors.some((a) => scope.includes(a))) throw notFound('unit');
  }
  const { rows, total } = await listProblems(deps.db.orm, scope, { statuses: statuses(q.status), category: q.category, unitCode: q.unitCode, limit: q.limit, offset: q.offset });
  const n = await names(deps, deps.db.orm, rows);
  return {
    total,
    items: rows.map((r) => ({ ...present(viewer, r, n), caseCount: r.caseCount, firstSeenAt: r.firstSeenAt, lastSeenAt: r.lastSeenAt })),
  };
}

/**
 * One problem: what it is, its history, its figures (cases a week before and since the fix) and
 * the cases the actor may see. 404 when absent or outside the actor's scope.
 */
export async function getProblemView(deps: Deps, viewer: Viewer, id: string, q: z.infer<typeof ProblemQuery> = { weeks: 8 }) {
  const tx = deps.db.orm;
  const row = z.string().uuid().safeParse(id).success ? await getProblem(tx, id) : null;
  if (!row || !row.scopeUnits.some((u) => viewer.roots.includes(u))) throw notFound('problem');
  const n = await names(deps, tx, [row]);
  const times = await problemCaseTimes(tx, row.id);
  const cases = await problemCasesVisible(tx, row.id, viewer.roots, CASES_SHOWN);
  const representatives = new Set(row.representativeIds);
  return {
    ...present(viewer, row, n),
    caseCount: times.length,
    firstSeenAt: times[0] ?? null,
    lastSeenAt: times.at(-1) ?? null,
    figures: problemFigures(times, { fixedAt: row.fixedAt, now: deps.now(), weeks: q.weeks }),
    history: row.history,
    cases: cases.map((c) => ({ ...c, representative: representatives.has(c.id) })),
    /** Cases of the problem the actor may not see (counted, not listed) or beyond the list's length. */
    casesNotListed: times.length - cases.length,
  };
}
