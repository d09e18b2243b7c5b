/**
 * Reading cases as staff: one case (404 outside the actor's scope) and keyset-paginated lists
 * restricted to `visibleScope`.
 */
import { z } from 'zod';
import type { StaffActor } from '../domain/actor.ts';
import { CHANNELS, CASE_TYPES, STATUS_CATEGORIES, STATUS_LIST } from '../domain/case.ts';
import { badInput, notFound } from '../domain/errors.ts';
import { canSee, visibleScope } from '../domain/policy.ts';
import { caseStats, getCase, listCases, toState } from '../store/cases.queries.ts';
import type { Deps } from './deps.ts';
import { presentCase, presentSummary, unitNames } from './present-case.ts';

export async function getCaseView(deps: Deps, actor: StaffActor, id: string) {
  const row = z.string().uuid().safeParse(id).success ? await getCase(deps.db.orm, id) : null;
  if (!row || !canSee(actor, toState(row))) throw notFound('case');
  return presentCase(deps, deps.db.orm, actor, row);
}

export const ListQuery = z.object({
  status: z.enum(STATUS_LIST as [string, ...string[]]).optional(),
  statusCategory: z.enum(STATUS_CATEGORIES).optional(),
  unitCode: z.string().trim().max(40).optional(),
  category: z.string().trim().max(40).optional(),
  channel: z.enum(CHANNELS).optional(),
  type: z.enum(CASE_TYPES).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** `overdue`: a live clock past its due time; `soon`: not overdue, a live clock due within 2 h or past its 80 % point. */
  due: z.enum(['soon', 'overdue']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQueryInput = z.infer<typeof ListQuery>;

const Cursor = z.object({ c: z.string().datetime(), i: z.string().uuid() });
const encodeCursor = (createdAt: Date, id: string) => Buffer.from(JSON.stringify({ c: createdAt.toISOString(), i: id })).toString('base64url');
function decodeCursor(s: string) {
  try {
    const v = Cursor.parse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return { createdAt: new Date(v.c), id: v.i };
  } catch {
    throw badInput('cursor', 'is not a cursor from a previous page');
  }
}

/** One page of the cases the actor may see, newest first; `nextCursor` is null on the last page. */
export async function listCaseViews(deps: Deps, actor: StaffActor, q: ListQueryInput) {
  const now = deps.now();
  const rows = await listCases(deps.db.orm, visibleScope(actor).units, {
    ...q, after: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit + 1,
    due: q.due && { kind: q.due, now },
  });
  const page = rows.slice(0, q.limit);
  const names = await unitNames(deps.db.orm, page.map(toState));
  const last = page.at(-1);
  return {
    items: page.map((r) => presentSummary(deps, actor, r, names)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/**
 * Counts over the actor's scope: by type — so thanks (表扬) stand apart from complaints — and by
 * status category, plus the people and money involved in group cases.
 */
export async function caseCounts(deps: Deps, actor: StaffActor) {
  const { rows, group } = await caseStats(deps.db.orm, visibleScope(actor).units);
  const byType = Object.fromEntries(CASE_TYPES.map((t) => [t, 0])) as Record<(typeof CASE_TYPES)[number], number>;
  const byStatusCategory = Object.fromEntries(STATUS_CATEGORIES.map((s) => [s, 0])) as Record<(typeof STATUS_CATEGORIES)[number], number>;
  for (const r of rows) {
    byType[r.type as keyof typeof byType] += r.n;
    byStatusCategory[r.statusCategory as keyof typeof byStatusCategory] += r.n;
  }
  const total = rows.reduce((a, r) => a + r.n, 0);
  return {
    total, byType, byStatusCategory,
    complaints: byType.complaint + byType.report, praise: byType.praise,
    groupCases: { cases: group.cases, people: group.people, amount: Number(group.amount) },
  };
}
