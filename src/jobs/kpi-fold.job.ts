/**
 * The KPI fold: adds the deltas events append (kpi_deltas) into kpi_rollups every few seconds, so
 * that dashboard reads stay a sum over rollup rows plus a handful of recent deltas. Any number of
 * nodes may run it; an advisory lock lets one fold at a time and the others skip.
 */
import type { Deps } from '../app/deps.ts';
import { foldRollups } from '../app/kpi-rollups.ts';
import { startLoop, type JobLoop } from './loop.ts';

export type KpiFolder = JobLoop;

/** Folds every `intervalMs` until stopped; a failed fold is logged and the loop goes on. */
export function startKpiFolder(deps: Pick<Deps, 'db' | 'log'>, opts: { intervalMs?: number } = {}): KpiFolder {
  const intervalMs = opts.intervalMs ?? 2000;
  return startLoop(deps.log, 'kpi fold', async () => {
    await foldRollups(deps.db);
    return intervalMs;
  }, intervalMs);
}
