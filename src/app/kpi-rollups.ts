/**
 * Keeping the KPI rollups (domain/kpi.ts) in step with the cases:
 * - `bumpRollups`, called by recordEvent in every event's transaction, appends `after − before`
 *   of the case's contribution to kpi_deltas (an append: concurrent events never wait on a shared
 *   counter row) and stores the new contribution;
 * - `foldRollups` (the kpi-fold job, any number of nodes) adds the deltas into the subtree totals
 *   (kpi_rollups, kpi_mix) of every unit on the responsible unit's path;
 * - `rebuildRollups` (`suqiu kpi rebuild`) recomputes every case's contribution from its state
 *   and its event log (clocks recomputed from the events), then replaces the rollups with their sum.
 */
import { caseContribution, contributionDelta, type Contribution, type KpiCaseFacts } from '../domain/kpi.ts';
import type { Db, Tx } from '../store/db.ts';
import {
  appendDeltas, caseKpiState, countCases, countDeltas, dropOrphanContributions, foldDeltas, lockCaseKpiStates,
  replaceRollupsFromContributions, saveContributions,
} from '../store/kpi.queries.ts';
import { loadClockConfig, recomputeCases, type ClockCtx } from './case-clocks.ts';

/**
 * Brings the rollups up to date with a case's new state, inside the transaction that changed it
 * (which holds the case row). Throws when the case does not exist.
 */
export async function bumpRollups(tx: Tx, caseId: string): Promise<void> {
  const state = await caseKpiState(tx, caseId);
  if (!state) throw new Error(`bumpRollups: case ${caseId} does not exist`);
  const after = caseContribution(state.facts);
  const deltas = contributionDelta(state.stored, after);
  if (deltas.length === 0) return;
  // Deltas first: a rebuild locks kpi_deltas, so a bump it waits for has not changed the contribution yet.
  await appendDeltas(tx, deltas);
  await saveContributions(tx, [{ caseId, contribution: after }]);
}

/**
 * Folds pending deltas into kpi_rollups, `batch` at a time, until none is left or another node is
 * folding. Returns how many it folded.
 */
export async function foldRollups(db: Db, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.orm.transaction((tx) => foldDeltas(tx, batch));
    total += n;
    if (n < batch) return total;
  }
}

/** How many deltas wait to be folded. */
export const pendingDeltas = (db: Db) => countDeltas(db.orm);

export interface RebuildReport {
  cases: number;
  /** Cases whose stored contribution differed from what their state and events say (0 when the rollups were right). */
  changed: number;
  /** Contributions of cases that no longer exist. */
  orphans: number;
  /** Rows of kpi_rollups and kpi_mix after the rebuild. */
  rows: number;
  mixRows: number;
}

const BATCH = 500;

/**
 * Recomputes every case's contribution, in batches that lock their cases (events on other cases
 * go on), then replaces kpi_rollups with the sum of the contributions in one short transaction
 * that holds the rollup tables (events wait to append meanwhile; dashboards read the old rows).
 * Throws database errors; a failed rebuild leaves contributions that are already right and the
 * rollups as they were.
 */
export async function rebuildRollups(ctx: ClockCtx, onProgress?: (done: number, total: number) => void): Promise<RebuildReport> {
  const db = ctx.db;
  const total = await countCases(db.orm);
  const config = await loadClockConfig(db.orm);
  let after: string | null = null, done = 0, changed = 0;
  for (;;) {
    const n: { ids: string[]; changed: number } = await db.orm.transaction(async (tx) => {
      const states = await lockCaseKpiStates(tx, after, BATCH);
      if (states.length === 0) return { ids: [], changed: 0 };
      const clocks = new Map((await recomputeCases(tx, states.map((s) => s.id), config)).map((r) => [r.facts.id, r.record.clocks]));
      const next = states.map((s) => {
        const facts: KpiCaseFacts = { ...s.facts, clocks: clocks.get(s.id) ?? s.facts.clocks };
        return { caseId: s.id, contribution: caseContribution(facts), stored: s.stored };
      });
      const differ = next.filter((x) => !sameContribution(x.stored, x.contribution));
      await saveContributions(tx, differ);
      return { ids: states.map((s) => s.id), changed: differ.length };
    });
    if (n.ids.length === 0) break;
    done += n.ids.length;
    changed += n.changed;
    after = n.ids[n.ids.length - 1]!;
    onProgress?.(done, Math.max(total, done));
  }
  const { rows, mixRows, orphans } = await db.orm.transaction(async (tx) => {
    const dropped = await dropOrphanContributions(tx);
    return { ...(await replaceRollupsFromContributions(tx)), orphans: dropped };
  });
  return { cases: done, changed, orphans, rows, mixRows };
}

function sameContribution(a: Contribution | null, b: Contribution): boolean {
  return a !== null && contributionDelta(a, b).length === 0;
}
