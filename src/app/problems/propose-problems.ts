/**
 * A proposal run (共性问题): cluster the window's cases (src/intel/problems.ts), store new
 * clusters as proposed problems and tell the owner street's leaders, and link later cases to the
 * problems they match. Problems already stored seed the clustering, so a run never proposes a
 * problem twice, and a confirmed or fixed problem keeps collecting the cases that look like it —
 * which is what its "after the fix" figure counts.
 *
 * The clustering runs outside any transaction (seconds for a city); the writes then run in one
 * transaction under an advisory lock, skipping a proposal whose cases another run linked meanwhile.
 */
import { effectiveCatalogue } from '../categories.ts';
import type { Deps } from '../deps.ts';
import { dutyMessages } from '../notify/on-duty.ts';
import { enqueue } from '../outbox.ts';
import { OPEN_PROBLEM_STATUSES, type ProblemStatus } from '../../domain/problem.ts';
import type { Unit } from '../../domain/org.ts';
import { clusterProblems, type ClusterOptions, type KnownProblem, type ProblemCluster } from '../../intel/problems.ts';
import { keyArea } from '../../intel/similar.ts';
import type { Tx } from '../../store/db.ts';
import { leadersOf } from '../../store/intel.queries.ts';
import {
  insertProblem, lockProblem, knownProblems, linkCases, lockProposals, updateProblem, windowCases,
} from '../../store/problems.queries.ts';
import { getUnits } from '../../store/units.queries.ts';

/** Weeks of cases a run looks at. */
export const PROBLEM_WINDOW_WEEKS = 8;

export interface ProposeOptions {
  now?: Date;
  weeks?: number;
  minCases?: number;
  minSpanDays?: number;
  threshold?: number;
  /** Who started it (history): a staff id, or the job. */
  by?: { id: string; name?: string };
  onProgress?: ClusterOptions['onProgress'];
}

export interface ProposeResult {
  from: Date;
  to: Date;
  /** Cases in the window (categorised, requests of their own, in scope). */
  cases: number;
  proposed: { id: string; name: string; unitCode: string; category: string; caseCount: number }[];
  /** Problems that gained cases, and how many. */
  grown: { id: string; added: number }[];
  /** Cases that look like a dismissed problem (not linked). */
  suppressed: number;
  /** Proposals left out because another run stored them meanwhile. */
  skipped: number;
  ms: { read: number; cluster: number; write: number };
}

/**
 * Runs the clustering over the cases visible under `scope` (a leader's roots; 'all' for the city)
 * and stores the outcome. Returns what changed.
 */
export async function proposeProblems(deps: Deps, scope: readonly string[] | 'all', opts: ProposeOptions = {}): Promise<ProposeResult> {
  const now = opts.now ?? deps.now();
  const weeks = opts.weeks ?? PROBLEM_WINDOW_WEEKS;
  const from = new Date(+now - weeks * 7 * 86_400_000);
  const t0 = performance.now();
  const db = deps.db.orm;
  const all = await windowCases(db, scope, from, now);
  // The streets (key areas) of the cases, kept when they lie inside the scope.
  const areaUnits = new Map((await getUnits(db, [...new Set(all.map((c) => keyArea(c.areaCode)))])).map((u) => [u.code, u]));
  const inScope = (u: Unit | undefined) => !!u && (scope === 'all' || u.ancestors.some((a) => scope.includes(a)));
  const cases = all.filter((c) => inScope(areaUnits.get(keyArea(c.areaCode))));
  const stored = await knownProblems(db, [...areaUnits.keys()], from);
  const known: KnownProblem[] = stored.map((p) => ({
    id: p.id, category: p.category, areaCode: p.unitCode, dismissed: p.status === 'dismissed', profile: p.profile, caseIds: p.caseIds,
  }));
  const catalogue = new Map((await effectiveCatalogue(deps)).map((c) => [c.code, c.name]));
  const t1 = performance.now();
  const result = clusterProblems(cases, {
    known, minCases: opts.minCases, minSpanDays: opts.minSpanDays, threshold: opts.threshold,
    areaName: (code) => areaUnits.get(code)?.name ?? code,
    categoryName: (code) => catalogue.get(code) ?? code,
    onProgress: opts.onProgress,
  });
  const t2 = performance.now();

  const by = opts.by ?? { id: 'system' };
  const out: ProposeResult = { from, to: now, cases: cases.length, proposed: [], grown: [], suppressed: result.suppressed, skipped: 0, ms: { read: 0, cluster: 0, write: 0 } };
  await db.transaction(async (tx) => {
    await lockProposals(tx);
    const leaders = new Map<string, Leaders>();
    const linked = new Set((await knownProblems(tx, [...new Set(result.proposals.map((p) => p.areaCode))], from)).flatMap((p) => p.caseIds));
    for (const p of result.proposals) {
      const unit = areaUnits.get(p.areaCode)!;
      if (p.caseIds.some((id) => linked.has(id))) {
        out.skipped++;
        continue;
      }
      const id = await storeProposal(tx, p, unit, now, by);
      out.proposed.push({ id, name: p.name, unitCode: p.areaCode, category: p.category, caseCount: p.caseCount });
      await notifyProposal(tx, deps, id, p, unit, weeks, now, leaders);
    }
    for (const g of result.grown) {
      const row = await lockProblem(tx, g.problemId);
      if (!row || !OPEN_PROBLEM_STATUSES.includes(row.status as ProblemStatus)) continue;
      const added = await linkCases(tx, row.id, g.added, now, 'match');
      if (added > 0) out.grown.push({ id: row.id, added });
      // While proposed, the description follows its cases; once confirmed, what it is stays as confirmed.
      if (row.status === 'proposed') {
        await updateProblem(tx, row.id, {
          suggestedName: g.cluster.name, name: row.name === row.suggestedName ? g.cluster.name : row.name,
          keyTerms: g.cluster.keyTerms, profile: g.cluster.profile, representativeIds: g.cluster.representativeIds, updatedAt: now,
        });
      }
    }
  });
  const t3 = performance.now();
  out.ms = { read: Math.round(t1 - t0), cluster: Math.round(t2 - t1), write: Math.round(t3 - t2) };
  return out;
}

async function storeProposal(tx: Tx, p: ProblemCluster, unit: Unit, now: Date, by: { id: string; name?: string }): Promise<string> {
  const id = await insertProblem(tx, {
    status: 'proposed', name: p.name, suggestedName: p.name, category: p.category, unitCode: unit.code, scopeUnits: unit.ancestors,
    keyTerms: p.keyTerms, profile: p.profile, representativeIds: p.representativeIds, proposedAt: now, updatedAt: now,
    history: [{ at: now.toISOString(), action: 'propose', by: by.id, ...(by.name ? { byName: by.name } : {}), to: 'proposed', cases: p.caseCount }],
  });
  await linkCases(tx, id, p.caseIds, now, 'proposal');
  return id;
}

type Leaders = Awaited<ReturnType<typeof leadersOf>>;

/** Tells the leaders of the problem's street once (or of the nearest unit above it that has leaders). */
async function notifyProposal(tx: Tx, deps: Deps, id: string, p: ProblemCluster, unit: Unit, weeks: number, now: Date, cache: Map<string, Leaders>) {
  let leaders: Leaders = [];
  for (const code of [...unit.ancestors].reverse()) {
    let found = cache.get(code);
    if (!found) cache.set(code, (found = await leadersOf(tx, [code])));
    leaders = found;
    if (leaders.length) break;
  }
  const people = [...new Map(leaders.map((l) => [l.userId, l])).values()];
  await enqueue(tx, now, dutyMessages(people, {
    key: `problem:${id}:proposed`, kind: 'common_problem',
    title: `共性问题待确认：${p.name}`,
    body: `${unit.name}近${weeks}周有 ${p.caseCount} 件相似诉求（${p.keyTerms.slice(0, 3).map((t) => t.term).join('、') || '同类'}），请确认并跟踪整改。`,
  }, !!deps.config.smtpUrl));
}
