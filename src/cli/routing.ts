/** `suqiu intel routing …` (the ordered routing rules) and `suqiu intel route TEXT` (a suggestion). */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CHANNELS } from '../domain/case.ts';
import type { WithDeps } from './common.ts';

/** Adds `routing` and `route` under the `intel` command group. */
export function registerRouting(intel: Command, withDeps: WithDeps): void {
  intel.command('routing')
    .description('list the routing rules in order (the shipped defaults while none are stored); --set replaces them')
    .option('--json', 'print them as JSON ({"rules": [...]}, what --set reads)')
    .option('--set <file>', 'replace every rule with those in a JSON file (an array, or {"rules": [...]})')
    .action((o: { json?: boolean; set?: string }) => withDeps(async (deps) => {
      const { listRules, replaceRules } = await import('../app/routing-rules.ts');
      if (o.set) {
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(o.set, 'utf8'));
        } catch (e) {
          throw new Error(`RULES_FILE: cannot read ${o.set} as JSON: ${(e as Error).message}`);
        }
        const r = await replaceRules(deps, Array.isArray(json) ? json : (json as { rules?: unknown })?.rules);
        console.log(`${r.rules.length} routing rules stored (${r.rules.map((x) => x.id).join(', ')})`);
        return;
      }
      const { rules, defaults } = await listRules(deps);
      if (o.json) return console.log(JSON.stringify({ rules }, null, 2));
      const { describeRule } = await import('../domain/routing.ts');
      rules.forEach((r, i) => console.log(`${String(i + 1).padStart(2)}. ${r.id}\t${describeRule(r)}\t${r.name}`));
      console.log(`${rules.length} rules${defaults ? ' (shipped defaults; none stored)' : ''}`);
    }));

  intel.command('route <text>')
    .description('suggest the unit that should handle a request: the rule that decided, why, a confidence, alternatives')
    .option('--address <address>', 'where (else the place is read from the text)')
    .addOption(new Option('--channel <channel>', 'how it came in').choices([...CHANNELS]).default('hotline'))
    .option('--category <category>', 'the category chosen (else the category classifier\'s top suggestion)')
    .option('--json', 'print the whole suggestion as JSON')
    .action((text: string, o: { address?: string; channel: string; category?: string; json?: boolean }) => withDeps(async (deps) => {
      const { suggestRouteFor } = await import('../app/intel/route.ts');
      const r = await suggestRouteFor(deps, null, { text, address: o.address, channel: o.channel as never, category: o.category });
      if (o.json) return console.log(JSON.stringify(r, null, 2));
      const s = r.route;
      console.log(`${s.unitName} (${s.unitCode})\tconfidence ${(100 * s.confidence).toFixed(0)} %\trule ${s.rule.id}: ${s.rule.name}`);
      for (const why of s.reasons) console.log(`  because ${why}`);
      for (const k of s.skipped) console.log(`  skipped ${k.rule}: ${k.why}`);
      for (const a of s.alternatives) console.log(`  or ${a.unitName} (${a.unitCode})\t${(100 * a.confidence).toFixed(0)} %\trule ${a.rule.id}`);
    }));
}
