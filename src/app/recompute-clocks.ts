/**
 * Clock upkeep over all open cases (every case not closed: its clocks may still change), in
 * batches by id: `recomputeOpenCases` stores what the events say after the policies or the
 * calendar changed; `verifyClocks` only compares, to prove that what is stored is what the events
 * say (docs: DESIGN.md, "Stored clock state must always equal what is recomputed").
 */
import { canonicalJson } from '../domain/hash-chain.ts';
import { countOpenCases, openCaseIds, saveClockRecords } from '../store/clocks.queries.ts';
import type { Tx } from '../store/db.ts';
import { bumpRollups } from './kpi-rollups.ts';
import { loadClockConfig, recomputeCases, type ClockConfig, type ClockCtx } from './case-clocks.ts';

const BATCH = 500;
export type Progress = (done: number, total: number) => void;

async function eachBatch(ctx: ClockCtx, lock: boolean, fn: (tx: Tx, ids: string[]) => Promise<void>, onProgress?: Progress): Promise<number> {
  const total = await countOpenCases(ctx.db.orm);
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const ids: string[] = await ctx.db.orm.transaction(async (tx) => {
      const batch = await openCaseIds(tx, after, BATCH, lock);
      if (batch.length > 0) await fn(tx, batch);
      return batch;
    }, lock ? undefined : { isolationLevel: 'repeatable read', accessMode: 'read only' });
    if (ids.length === 0) return done;
    done += ids.length;
    after = ids[ids.length - 1]!;
    onProgress?.(done, Math.max(total, done));
  }
}

/**
 * Recomputes and stores the clocks of every open case with `config` (default: read now, not
 * cached), each batch locking its rows. Returns how many cases it wrote. Throws database errors
 * and a configuration with no fallback policy (`selectPolicy`).
 */
export async function recomputeOpenCases(ctx: ClockCtx, onProgress?: Progress, config?: ClockConfig): Promise<number> {
  const cfg = config ?? await loadClockConfig(ctx.db.orm);
  return eachBatch(ctx, true, async (tx, ids) => {
    const cases = await recomputeCases(tx, ids, cfg);
    await saveClockRecords(tx, cases.map((c) => ({ id: c.facts.id, policyId: c.policy.id, clocks: c.record.clocks, nextDueAt: c.record.nextDueAt })));
    // On-time counters follow the clocks: keep the KPI rollups in step with what was just stored.
    for (const c of cases) await bumpRollups(tx, c.facts.id);
  }, onProgress);
}

export interface ClockMismatch {
  caseId: string;
  field: 'policy_id' | 'clocks' | 'next_due_at';
  stored: string | null;
  expected: string | null;
}

export interface ClockVerifyReport {
  cases: number;
  /** All mismatches found; `mismatches` lists the first 1000. */
  total: number;
  mismatches: ClockMismatch[];
}

const MAX_LISTED = 1000;

/**
 * Recomputes every open case's clocks from its events and compares them with the stored
 * `policy_id`, `clocks` and `next_due_at`; lists at most 1000 mismatches. Reads each batch in a
 * repeatable-read snapshot. Throws database errors only.
 */
export async function verifyClocks(ctx: ClockCtx, onProgress?: Progress): Promise<ClockVerifyReport> {
  const cfg = await loadClockConfig(ctx.db.orm);
  const mismatches: ClockMismatch[] = [];
  let total = 0;
  const add = (m: ClockMismatch) => {
    total++;
    if (mismatches.length < MAX_LISTED) mismatches.push(m);
  };
  const cases = await eachBatch(ctx, false, async (tx, ids) => {
    for (const c of await recomputeCases(tx, ids, cfg)) {
      const { facts: f, policy, record } = c;
      if (f.policyId !== policy.id) add({ caseId: f.id, field: 'policy_id', stored: f.policyId, expected: policy.id });
      const stored = canonicalJson(f.clocks), expected = canonicalJson(record.clocks);
      if (stored !== expected) add({ caseId: f.id, field: 'clocks', stored, expected });
      const [s, e] = [f.nextDueAt?.toISOString() ?? null, record.nextDueAt?.toISOString() ?? null];
      if (s !== e) add({ caseId: f.id, field: 'next_due_at', stored: s, expected: e });
    }
  }, onProgress);
  return { cases, total, mismatches };
}
