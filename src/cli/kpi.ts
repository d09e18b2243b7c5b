/** `suqiu kpi …`: rebuild the KPI rollups from the cases and their events, fold pending deltas. */
import type { Command } from 'commander';
import { progress, type WithDeps } from './common.ts';


/** Adds the `kpi` command group; `withDeps` opens and closes the platform around each command. */
export function registerKpi(program: Command, withDeps: WithDeps): void {
  const kpi = program.command('kpi').description('KPI rollups behind the leader dashboard');

  kpi.command('rebuild')
    .description('recompute every case\'s contribution from its state and events, then replace the rollups with their sum')
    .action(() => withDeps(async (deps) => {
      const { rebuildRollups } = await import('../app/kpi-rollups.ts');
      const p = progress('rebuilding');
      const started = performance.now();
      const r = await rebuildRollups(deps, p.update);
      p.end();
      console.log(`kpi rebuild: ${r.cases} cases, ${r.changed} contributions corrected, ${r.orphans} of deleted cases dropped; `
        + `${r.rows} rollup and ${r.mixRows} mix rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }));

  kpi.command('fold')
    .description('add the pending deltas into the rollups now (`serve` does this every 2 seconds)')
    .action(() => withDeps(async (deps) => {
      const { foldRollups } = await import('../app/kpi-rollups.ts');
      console.log(`kpi fold: ${await foldRollups(deps.db)} deltas folded`);
    }));
}
