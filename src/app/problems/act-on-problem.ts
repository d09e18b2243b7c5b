/**
 * Leaders' decisions on a common problem: confirm (and name), rename, mark fixed (with a note and
 * the time of the fix), reopen, dismiss (with a reason). One transaction: lock the row, 404 unless
 * the actor sees it, 403 unless the actor is a leader, 409 for an action its status does not
 * allow (src/domain/problem.ts), then the change plus its history entry in one UPDATE.
 */
import { z } from 'zod';
import type { StaffActor } from '../../domain/actor.ts';
import { badInput, DomainError, notFound } from '../../domain/errors.ts';
import {
  canSeeProblem, mayDecideProblems, PROBLEM_ACTIONS, problemTransition, type ProblemAction, type ProblemStatus,
} from '../../domain/problem.ts';
import { lockProblem, recordProblemChange } from '../../store/problems.queries.ts';
import type { Deps } from '../deps.ts';
import { getProblemView, staffViewer } from './read-problems.ts';

const Name = z.string().trim().min(2, 'at least 2 characters').max(80, 'at most 80 characters');
const Text = (max: number) => z.string().trim().min(2, 'at least 2 characters').max(max, `at most ${max} characters`);

/** The body each action takes. */
export const PROBLEM_ACTION_BODIES = {
  confirm: z.object({ name: Name.optional() }).strict(),
  rename: z.object({ name: Name }).strict(),
  fix: z.object({ note: Text(2000), fixedAt: z.coerce.date().optional() }).strict(),
  reopen: z.object({ note: Text(2000) }).strict(),
  dismiss: z.object({ reason: Text(1000) }).strict(),
} satisfies Record<ProblemAction, z.ZodType>;

const DAY_MS = 86_400_000;

/**
 * Applies `action` to problem `id` for the actor; returns the problem's view.
 * @throws DomainError not_found (absent, outside the scope, unknown action), forbidden (not a
 * leader), invalid_transition (the status does not allow it), bad_input (the body).
 */
export async function actOnProblem(deps: Deps, actor: StaffActor & { displayName?: string }, id: string, action: string, body: unknown) {
  if (!(PROBLEM_ACTIONS as readonly string[]).includes(action)) throw notFound('action');
  const act = action as ProblemAction;
  const parsed = PROBLEM_ACTION_BODIES[act].safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(issue.path.join('.') || 'body', issue.message);
  }
  const input = parsed.data as { name?: string; note?: string; fixedAt?: Date; reason?: string };
  if (!z.string().uuid().safeParse(id).success) throw notFound('problem');
  const now = deps.now();
  await deps.db.orm.transaction(async (tx) => {
    const row = await lockProblem(tx, id);
    if (!row || !canSeeProblem(actor, row)) throw notFound('problem');
    if (!mayDecideProblems(actor)) throw new DomainError('forbidden', 'only leaders decide about common problems');
    const from = row.status as ProblemStatus;
    const to = problemTransition(from, act);
    const entry: Record<string, unknown> = { at: now.toISOString(), action: act, by: actor.id, ...(actor.displayName ? { byName: actor.displayName } : {}), from, to };
    const set: Parameters<typeof recordProblemChange>[3] = { status: to, updatedAt: now };
    if (input.name !== undefined) set.name = entry.name = input.name;
    switch (act) {
      case 'confirm':
        Object.assign(set, { confirmedAt: now, confirmedBy: actor.id });
        break;
      case 'fix': {
        const fixedAt = input.fixedAt ?? now;
        if (+fixedAt > +now) throw badInput('fixedAt', 'must not be in the future');
        if (+fixedAt < +row.proposedAt - 365 * DAY_MS) throw badInput('fixedAt', 'must be within a year before the problem was proposed');
        Object.assign(set, { fixedAt, fixedBy: actor.id, fixNote: input.note });
        Object.assign(entry, { fixedAt: fixedAt.toISOString(), note: input.note });
        break;
      }
      case 'reopen':
        // The fix did not hold: the problem is followed again, the fix is kept in the history.
        Object.assign(set, { fixedAt: null, fixedBy: null, fixNote: null });
        entry.note = input.note;
        break;
      case 'dismiss':
        Object.assign(set, { dismissedAt: now, dismissedBy: actor.id, dismissReason: input.reason });
        entry.reason = input.reason;
        break;
      case 'rename':
        break;
    }
    await recordProblemChange(tx, id, entry, set);
  });
  return getProblemView(deps, staffViewer(actor), id);
}
