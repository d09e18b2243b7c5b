/**
 * `suqiu clocks …` and `suqiu calendar …`: verify that stored clocks equal what the events say,
 * recompute them, manage the SLA policies and the work calendar's overrides.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { progress, type WithDeps } from './common.ts';


/** Adds the `clocks` and `calendar` command groups; `withDeps` opens and closes the platform around each. */
export function registerClocks(program: Command, withDeps: WithDeps): void {
  const clocks = program.command('clocks').description('SLA clocks: verification, recomputation and policies');

  clocks.command('verify')
    .description('recompute every open case\'s clocks from its events and compare with what is stored; exit 1 on any mismatch')
    .action(() => withDeps(async (deps) => {
      const { verifyClocks } = await import('../app/recompute-clocks.ts');
      const p = progress('verifying');
      const r = await verifyClocks(deps, p.update);
      p.end();
      for (const m of r.mismatches) console.log(`MISMATCH case ${m.caseId} ${m.field}: stored ${m.stored} but the events give ${m.expected}`);
      console.log(`clocks verify: ${r.cases} open cases, ${r.total} mismatches`);
      if (r.total > 0) process.exitCode = 1;
    }));

  clocks.command('recompute')
    .description('recompute and store every open case\'s clocks (after a policy or calendar change made on another node)')
    .action(() => withDeps(async (deps) => {
      const { recomputeOpenCases } = await import('../app/recompute-clocks.ts');
      const p = progress('recomputing');
      const n = await recomputeOpenCases(deps, p.update);
      p.end();
      console.log(`recomputed the clocks of ${n} open cases`);
    }));

  const policies = clocks.command('policies').description('the ordered SLA policies: the first whose match fits a case wins');
  policies.command('list')
    .description('print the policies in force as JSON (the shipped defaults while none are stored)')
    .action(() => withDeps(async (deps) => {
      const { listClockPolicies } = await import('../app/clock-policies.ts');
      console.log(JSON.stringify((await listClockPolicies(deps)).policies, null, 2));
    }));
  policies.command('set')
    .description('replace every policy with those in a JSON file (an array, or {"policies": [...]}) and recompute the open cases')
    .requiredOption('--file <path>', 'policies.json')
    .action((o: { file: string }) => withDeps(async (deps) => {
      const { replaceClockPolicies } = await import('../app/clock-policies.ts');
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(o.file, 'utf8'));
      } catch (e) {
        throw new Error(`POLICIES_FILE: cannot read ${o.file} as JSON: ${(e as Error).message}`);
      }
      const list = Array.isArray(json) ? json : (json as { policies?: unknown })?.policies;
      const p = progress('recomputing');
      const r = await replaceClockPolicies(deps, list, p.update);
      p.end();
      console.log(`${r.policies.length} policies stored (${r.policies.map((x) => x.id).join(', ')}); recomputed ${r.recomputed} open cases`);
    }));

  const calendar = program.command('calendar').description('the work calendar (statutory holidays and make-up workdays)');
  const override = calendar.command('override').description('dates that override the published calendar, for years it does not cover yet');
  override.command('add')
    .description('add or replace the override of one China-local date and recompute the open cases')
    .requiredOption('--date <YYYY-MM-DD>', 'the date')
    .addOption(new Option('--kind <kind>', 'holiday or make-up workday').choices(['holiday', 'workday']).makeOptionMandatory())
    .option('--name <name>', 'e.g. 春节')
    .action((o: { date: string; kind: string; name?: string }) => withDeps(async (deps) => {
      const { addCalendarOverride } = await import('../app/calendar-overrides.ts');
      const p = progress('recomputing');
      const r = await addCalendarOverride(deps, { date: o.date, kind: o.kind, ...(o.name ? { name: o.name } : {}) }, p.update);
      p.end();
      console.log(`${r.override.date} is a ${r.override.kind}${r.override.name ? ` (${r.override.name})` : ''}; recomputed ${r.recomputed} open cases`);
    }));
  override.command('list')
    .description('print the overrides and the years the published calendar covers')
    .action(() => withDeps(async (deps) => {
      const { listCalendarOverrides, calendarWarnings } = await import('../app/calendar-overrides.ts');
      const { overrides, publishedYears } = await listCalendarOverrides(deps);
      console.log(`published calendar: ${publishedYears.from}–${publishedYears.to}`);
      for (const o of overrides) console.log(`${o.date}  ${o.kind.padEnd(7)}  ${o.name ?? ''}`);
      if (overrides.length === 0) console.log('no overrides');
      for (const w of (await calendarWarnings(deps)).years) console.warn(`warning: ${w.message}`);
    }));
}
