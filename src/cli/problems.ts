/** `suqiu intel problems` and `suqiu intel problem show`: common problems (共性问题) from the command line, city-wide. */
import type { Command } from 'commander';
import type { WithDeps } from './common.ts';
import type { Deps } from '../app/deps.ts';

const whole = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: a whole number of at least ${min}, not ${v}`);
  return n;
};

async function cityViewer(deps: Deps) {
  const { rootUnit } = await import('../store/units.queries.ts');
  const root = await rootUnit(deps.db.orm);
  return { roots: root ? [root.code] : [], actor: null };
}

const day = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : '-');

/** Adds `problems` and `problem show` under the `intel` group. */
export function registerProblems(intel: Command, withDeps: WithDeps): void {
  intel.command('problems')
    .description('common problems (共性问题): list them, or --propose: cluster the last weeks\' cases, store new proposals and link later cases')
    .option('--propose', 'run the clustering now (the server does it daily) and tell the streets\' leaders of new proposals')
    .option('--weeks <n>', 'weeks of cases the run looks at', whole('--weeks', 1), 8)
    .option('--min-cases <n>', 'smallest cluster proposed', whole('--min-cases', 2), 5)
    .option('--min-span-days <n>', 'smallest span of a cluster, in days', whole('--min-span-days', 0), 7)
    .option('--status <s>', 'list only these statuses (proposed, confirmed, fixed, dismissed; comma-separated)')
    .option('--json', 'print JSON')
    .action((o: { propose?: boolean; weeks: number; minCases: number; minSpanDays: number; status?: string; json?: boolean }) => withDeps(async (deps) => {
      if (o.propose) {
        const { proposeProblems } = await import('../app/problems/propose-problems.ts');
        const { progress } = await import('./common.ts');
        const bars = { reading: progress('reading'), clustering: progress('clustering') };
        const r = await proposeProblems(deps, 'all', {
          weeks: o.weeks, minCases: o.minCases, minSpanDays: o.minSpanDays,
          onProgress: (phase, done, total) => {
            bars[phase].update(done, total);
            if (done === total) bars[phase].end();
          },
        });
        if (o.json) return console.log(JSON.stringify(r, null, 2));
        for (const p of r.proposed) console.log(`proposed\t${p.id}\t${p.caseCount} cases\t${p.name}`);
        for (const g of r.grown) console.log(`linked\t${g.id}\t+${g.added} cases`);
        console.log(`${r.cases} cases from ${day(r.from)} to ${day(r.to)}: ${r.proposed.length} new problem(s), ${r.grown.reduce((a, g) => a + g.added, 0)} case(s) linked to ${r.grown.length} known problem(s), ` +
          `${r.suppressed} like dismissed ones; read ${r.ms.read} ms, clustered ${r.ms.cluster} ms, stored ${r.ms.write} ms`);
        return;
      }
      const { listProblemViews, ProblemListQuery } = await import('../app/problems/read-problems.ts');
      const r = await listProblemViews(deps, await cityViewer(deps), ProblemListQuery.parse({ status: o.status, limit: 200 }));
      if (o.json) return console.log(JSON.stringify(r, null, 2));
      for (const p of r.items) {
        console.log(`${p.id}\t${p.statusLabel}(${p.status})\t${p.caseCount} cases\t${day(p.firstSeenAt)}..${day(p.lastSeenAt)}\t${p.name}`);
      }
      console.log(`${r.items.length} of ${r.total} problem(s)`);
    }));

  intel.command('problem').description('one common problem')
    .command('show <id>')
    .description('a problem with its history, figures (cases a week before vs since the fix) and cases')
    .option('--weeks <n>', 'weeks before the fix in the figures', whole('--weeks', 1), 8)
    .option('--json', 'print JSON')
    .action((id: string, o: { weeks: number; json?: boolean }) => withDeps(async (deps) => {
      const { getProblemView } = await import('../app/problems/read-problems.ts');
      const p = await getProblemView(deps, await cityViewer(deps), id, { weeks: o.weeks });
      if (o.json) return console.log(JSON.stringify(p, null, 2));
      const f = p.figures;
      console.log(`${p.name}\n  ${p.statusLabel} (${p.status}) · ${p.unit.name} ${p.unit.code} · ${p.categoryName} · ${p.caseCount} cases ${day(p.firstSeenAt)}..${day(p.lastSeenAt)}`);
      console.log(`  key terms: ${p.keyTerms.map((t) => `${t.term}(${t.cases})`).join(' ')}`);
      const weeks = (w: { count: number }[]) => w.map((x) => x.count).join(' ');
      console.log(`  ${f.fixedAt ? `before the fix (${day(f.before.from)}..${day(f.before.to)})` : `last ${f.weeks} weeks`}: ${f.before.count} cases, ${f.before.perWeek}/week [${weeks(f.before.weekly)}]`);
      if (f.after) {
        console.log(`  since the fix (${day(f.after.from)}..${day(f.after.to)}): ${f.after.count} cases, ${f.after.perWeek}/week [${weeks(f.after.weekly)}]` +
          `${f.change === null ? '' : `, ${f.change >= 0 ? '+' : ''}${Math.round(f.change * 100)} % a week`}`);
      }
      for (const h of p.history as { at: string; action: string; byName?: string; by: string; name?: string; note?: string; reason?: string }[]) {
        console.log(`  ${h.at}\t${h.action}\t${h.byName ?? h.by}${h.name ? `\t${h.name}` : ''}${h.note ? `\t${h.note}` : ''}${h.reason ? `\t${h.reason}` : ''}`);
      }
      for (const c of p.cases) console.log(`  ${c.trackingNo}\t${day(c.createdAt)}\t${c.status}\t${c.via}\t${c.content.replace(/\s+/g, ' ').slice(0, 60)}`);
    }));
}
