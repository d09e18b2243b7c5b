import { describe, expect, it } from 'vitest';
import type { StaffActor } from './actor.ts';
import { DomainError } from './errors.ts';
import {
  PROBLEM_ACTIONS, PROBLEM_STATUSES, problemAllowedActions, problemFigures, problemTransition, proposalScope, type ProblemAction, type ProblemStatus,
} from './problem.ts';

const DAY = 86_400_000;

describe('problem transitions', () => {
  // The whole table: what each action does from each status (null: refused).
  const expected: Record<ProblemStatus, Record<ProblemAction, ProblemStatus | null>> = {
    proposed: { confirm: 'confirmed', rename: 'proposed', fix: null, reopen: null, dismiss: 'dismissed' },
    confirmed: { confirm: null, rename: 'confirmed', fix: 'fixed', reopen: null, dismiss: 'dismissed' },
    fixed: { confirm: null, rename: 'fixed', fix: null, reopen: 'confirmed', dismiss: null },
    dismissed: { confirm: null, rename: null, fix: null, reopen: null, dismiss: null },
  };
  for (const status of PROBLEM_STATUSES) {
    for (const action of PROBLEM_ACTIONS) {
      const to = expected[status][action];
      it(`${action} from ${status} → ${to ?? 'refused'}`, () => {
        if (to) expect(problemTransition(status, action)).toBe(to);
        else {
          expect(() => problemTransition(status, action)).toThrow(DomainError);
          expect(() => problemTransition(status, action)).toThrow(new RegExp(`problem is ${status}: ${action} is allowed only when`));
        }
      });
    }
  }
});

describe('who may do what', () => {
  const street: StaffActor = { kind: 'staff', id: 'u1', role: 'leader', unitCode: '440311005' };
  const sibling: StaffActor = { ...street, unitCode: '440311001' };
  const handler: StaffActor = { ...street, role: 'handler' };
  const admin: StaffActor = { kind: 'staff', id: 'a', role: 'admin', unitCode: '4403' };
  const p = { status: 'proposed' as const, scopeUnits: ['4403', '440311', '440311005'] };

  it('a leader of the street or above may decide; a sibling street, a handler or the admin may not', () => {
    expect(problemAllowedActions(street, p)).toEqual(['confirm', 'rename', 'dismiss']);
    expect(problemAllowedActions({ ...street, unitCode: '440311' }, { ...p, status: 'fixed' })).toEqual(['rename', 'reopen']);
    expect(problemAllowedActions(sibling, p)).toEqual([]);
    expect(problemAllowedActions(handler, p)).toEqual([]);
    expect(problemAllowedActions(admin, p)).toEqual([]);
  });

  it('a proposal run covers a leader\'s subtree, the whole city for the admin, and nobody else may start one', () => {
    expect(proposalScope(street)).toEqual(['440311005']);
    expect(proposalScope(admin)).toBe('all');
    expect(proposalScope(handler)).toBeNull();
    expect(proposalScope({ kind: 'citizen', caseId: 'c' })).toBeNull();
  });
});

describe('problemFigures', () => {
  const fixedAt = new Date('2026-11-01T00:00:00Z');
  // Three a week for four weeks before the fix, then one in the two weeks since.
  const before = Array.from({ length: 12 }, (_, i) => new Date(+fixedAt - (i * 28 / 12 + 0.5) * DAY));
  const after = [new Date(+fixedAt + 3 * DAY)];
  const now = new Date(+fixedAt + 14 * DAY);

  it('compares the weeks before the fix with the time since', () => {
    const f = problemFigures([...before, ...after], { fixedAt, now, weeks: 4 });
    expect(f.before.count).toBe(12);
    expect(f.before.perWeek).toBe(3);
    expect(f.before.weekly.map((w) => w.count)).toEqual([3, 3, 3, 3]);
    expect(f.before.from).toEqual(new Date(+fixedAt - 28 * DAY));
    expect(f.after).toMatchObject({ count: 1, perWeek: 0.5, from: fixedAt, to: now });
    expect(f.after!.weekly.map((w) => w.count)).toEqual([1, 0]);
    expect(f.change).toBeCloseTo(0.5 / 3 - 1, 3);
  });

  it('without a fix: the last weeks before now, no after', () => {
    const f = problemFigures(before, { fixedAt: null, now: fixedAt, weeks: 2 });
    expect(f.after).toBeNull();
    expect(f.change).toBeNull();
    expect(f.before.count).toBe(before.filter((t) => +t >= +fixedAt - 14 * DAY).length);
    expect(f.before.weekly).toHaveLength(2);
  });

  it('no change is given in the first week after the fix', () => {
    const f = problemFigures(before, { fixedAt, now: new Date(+fixedAt + 2 * DAY), weeks: 4 });
    expect(f.after).toMatchObject({ count: 0, perWeek: 0 });
    expect(f.change).toBeNull();
  });

  it('a period shorter than a day counts as a day; no cases before the fix gives no change', () => {
    const f = problemFigures([new Date(+fixedAt + 3_600_000)], { fixedAt, now: new Date(+fixedAt + 7_200_000), weeks: 8 });
    expect(f.after!.perWeek).toBe(7);
    expect(f.change).toBeNull();
  });
});
