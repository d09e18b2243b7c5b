/**
 * The KPI fold: adds the deltas events append (kpi_deltas) into kpi_rollups every few seconds, so
 * that dashboard reads stay a sum over rollup rows plus a handful of recent deltas. Any number of
 * nodes may run it; an advisory lock lets one fold at a time and the others skip.
 */
import type { Deps } from '../app/deps.ts';
import { foldRollups } from '../app/kpi-rollups.ts';

export interface KpiFolder {
  /** Waits for the fold in progress, then stops. */
  stop(): Promise<void>;
}

/** Folds every `intervalMs` until stopped; a failed fold is logged and the loop goes on. */
export function startKpiFolder(deps: Pick<Deps, 'db' | 'log'>, opts: { intervalMs?: number } = {}): KpiFolder {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await foldRollups(deps.db);
      } catch (err) {
        deps.log.error({ err }, 'kpi fold failed');
      }
      if (!stopped) {
        timer = setTimeout(tick, opts.intervalMs ?? 2000);
        timer.unref();
      }
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
