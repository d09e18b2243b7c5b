/**
 * Common problems (共性问题): the statuses a problem goes through, the one table of what may be
 * done to it from which status, who may see and change problems, and the before/after figures
 * leaders judge a fix by. Pure: `now` is an argument.
 *
 *   proposed ──confirm──▶ confirmed ──fix──▶ fixed
 *      │                    ▲   │              │
 *      └──dismiss──▶ dismissed ◀┘   └───reopen───┘
 *
 * `rename` keeps the status. A run links later cases to proposed, confirmed and fixed problems
 * (a fixed problem keeps collecting them: they are its "after" figure); a dismissed problem links
 * nothing more and is never proposed again while its cases are in the window.
 */
import type { Actor } from './actor.ts';
import { DomainError } from './errors.ts';
import { visibleScope } from './policy.ts';

export const PROBLEM_STATUSES = ['proposed', 'confirmed', 'fixed', 'dismissed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const PROBLEM_STATUS_LABELS: Record<ProblemStatus, string> = {
  proposed: '待确认', confirmed: '跟踪中', fixed: '已整改', dismissed: '已排除',
};

/** Statuses whose problems still gain cases. */
export const OPEN_PROBLEM_STATUSES: readonly ProblemStatus[] = ['proposed', 'confirmed', 'fixed'];

export const PROBLEM_ACTIONS = ['confirm', 'rename', 'fix', 'reopen', 'dismiss'] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

/** The one transition table: the statuses an action may start from and the status it leads to (null: unchanged). */
export const PROBLEM_WORKFLOW: Readonly<Record<ProblemAction, { from: readonly ProblemStatus[]; to: ProblemStatus | null; label: string }>> = {
  confirm: { from: ['proposed'], to: 'confirmed', label: '确认' },
  rename: { from: ['proposed', 'confirmed', 'fixed'], to: null, label: '命名' },
  fix: { from: ['confirmed'], to: 'fixed', label: '标记已整改' },
  reopen: { from: ['fixed'], to: 'confirmed', label: '重新跟踪' },
  dismiss: { from: ['proposed', 'confirmed'], to: 'dismissed', label: '排除' },
};

/**
 * The status after `action`.
 * @throws DomainError 'invalid_transition' naming the status and where the action may start from.
 */
export function problemTransition(status: ProblemStatus, action: ProblemAction): ProblemStatus {
  const rule = PROBLEM_WORKFLOW[action];
  if (!rule.from.includes(status)) {
    throw new DomainError('invalid_transition', `problem is ${status}: ${action} is allowed only when ${rule.from.join(' or ')}`, { status, action });
  }
  return rule.to ?? status;
}

/** Whether the actor may see a problem: its street is in the actor's subtree (as for cases: the admin and the auditor see none). */
export function canSeeProblem(actor: Actor, p: { scopeUnits: readonly string[] }): boolean {
  return visibleScope(actor).units.some((u) => p.scopeUnits.includes(u));
}

/** Leaders decide about the problems they see. */
export const mayDecideProblems = (actor: Actor): boolean => actor.kind === 'staff' && actor.role === 'leader';

/** The actions the actor may take on a problem now (table order); the UI draws its buttons from it. */
export function problemAllowedActions(actor: Actor, p: { status: ProblemStatus; scopeUnits: readonly string[] }): ProblemAction[] {
  if (!mayDecideProblems(actor) || !canSeeProblem(actor, p)) return [];
  return PROBLEM_ACTIONS.filter((a) => PROBLEM_WORKFLOW[a].from.includes(p.status));
}

/**
 * Whose cases a proposal run started by the actor covers: a leader's subtree, or everything
 * (`'all'`) for the admin, who runs it without reading cases. Null: the actor may not run it.
 */
export function proposalScope(actor: Actor): string[] | 'all' | null {
  if (actor.kind !== 'staff') return null;
  if (actor.role === 'admin') return 'all';
  return actor.role === 'leader' ? [actor.unitCode] : null;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface PeriodFigures {
  from: Date;
  to: Date;
  count: number;
  /** Cases per week over the period (its length in weeks, at least one day). */
  perWeek: number;
  /** Consecutive 7-day buckets from `from` (the last may be shorter). */
  weekly: { from: Date; to: Date; count: number }[];
}

export interface ProblemFigures {
  weeks: number;
  fixedAt: Date | null;
  /** The `weeks` weeks before the fix (without a fix: before now). */
  before: PeriodFigures;
  /** From the fix until now; null without a fix. */
  after: PeriodFigures | null;
  /**
   * after.perWeek / before.perWeek − 1 (−0.8: 80 % fewer cases a week); null without a fix, without
   * cases before it, or before a week has passed since it (a day without cases says little).
   */
  change: number | null;
}

function period(times: readonly number[], from: number, to: number): PeriodFigures {
  const weekly: PeriodFigures['weekly'] = [];
  for (let s = from; s < to; s += WEEK_MS) weekly.push({ from: new Date(s), to: new Date(Math.min(s + WEEK_MS, to)), count: 0 });
  let count = 0;
  for (const t of times) {
    if (t < from || t >= to) continue;
    count++;
    weekly[Math.floor((t - from) / WEEK_MS)]!.count++;
  }
  const weeks = Math.max(to - from, DAY_MS) / WEEK_MS;
  return { from: new Date(from), to: new Date(to), count, perWeek: Math.round((count / weeks) * 100) / 100, weekly };
}

/**
 * Cases a week before and since the fix, from the creation times of the problem's cases: the
 * `weeks` weeks before `fixedAt` against the time since (up to `now`, at most 52 weeks); without a
 * fix, the `weeks` weeks before `now`.
 */
export function problemFigures(caseTimes: readonly Date[], opts: { fixedAt: Date | null; now: Date; weeks: number }): ProblemFigures {
  const times = caseTimes.map((t) => +t);
  const pivot = +(opts.fixedAt ?? opts.now);
  const before = period(times, pivot - opts.weeks * WEEK_MS, pivot);
  if (!opts.fixedAt) return { weeks: opts.weeks, fixedAt: null, before, after: null, change: null };
  const end = Math.min(Math.max(+opts.now, pivot), pivot + 52 * WEEK_MS);
  const after = period(times, pivot, end);
  const change = before.perWeek > 0 && end - pivot >= WEEK_MS ? Math.round((after.perWeek / before.perWeek - 1) * 1000) / 1000 : null;
  return { weeks: opts.weeks, fixedAt: opts.fixedAt, before, after, change };
}
