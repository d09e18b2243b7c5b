/** `suqiu roster import|show`: load a unit's duty roster from CSV, and see who is on duty. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Deps } from '../app/deps.ts';
import { badInput, notFound } from '../domain/errors.ts';
import { formatChinaTime, parseShiftTime } from '../domain/roster.ts';
import type { WithDeps } from './common.ts';


const DAY_MS = 24 * 3_600_000;

/** The text `roster show` prints: who is on duty at `at`, then the shifts of the next 24 hours. */
export async function rosterText(deps: Deps, unitCode: string, atText?: string): Promise<string> {
  const { getUnit } = await import('../store/units.queries.ts');
  const { listShifts, onDutyUsers } = await import('../store/rosters.queries.ts');
  const at = atText === undefined ? deps.now() : parseShiftTime(atText);
  if (!at) throw badInput('--at', `not a time: '${atText}' (use 2026-11-27 08:00 or an ISO datetime with a zone)`);
  const unit = await getUnit(deps.db.orm, unitCode);
  if (!unit) throw notFound(`unit ${unitCode}`);
  const line = (s: { username: string; displayName: string; startsAt: Date; endsAt: Date; label: string | null }) =>
    `  ${formatChinaTime(s.startsAt)} – ${formatChinaTime(s.endsAt)}  ${s.username.padEnd(16)} ${s.displayName}${s.label ? `  (${s.label})` : ''}`;
  const on = await onDutyUsers(deps.db.orm, unit.code, at);
  const next = (await listShifts(deps.db.orm, [unit.code], at, new Date(+at + DAY_MS))).filter((s) => +s.startsAt > +at);
  return [
    `${unit.name} ${unit.code} — on duty at ${formatChinaTime(at)} (China time):`,
    ...(on.length ? on.map(line) : ['  nobody']),
    'starting in the next 24 hours:',
    ...(next.length ? next.map(line) : ['  none']),
  ].join('\n');
}

/** Adds the `roster` commands to the program; `withDeps` opens and closes the platform around each. */
export function registerRoster(program: Command, withDeps: WithDeps): void {
  const roster = program.command('roster').description('duty rosters (专班/轮班)');
  roster.command('import')
    .description('add shifts from a CSV file (columns username,starts_at,ends_at,label; times ISO with a zone or YYYY-MM-DD HH:mm China time); all or nothing')
    .requiredOption('--unit <code>', 'unit code, e.g. 440311005')
    .requiredOption('--csv <file>', 'CSV file')
    .action((o: { unit: string; csv: string }) => withDeps(async (deps) => {
      const { importRosterCsv } = await import('../app/rosters.ts');
      const r = await importRosterCsv(deps, o.unit, await readFile(o.csv, 'utf8'));
      console.log(`imported ${r.shifts} shifts into the roster of ${r.unitCode}`);
    }));
  roster.command('show')
    .description('who is on duty at a unit now (or --at a time), and the shifts starting in the next 24 hours')
    .requiredOption('--unit <code>', 'unit code')
    .option('--at <time>', 'ISO datetime with a zone or YYYY-MM-DD HH:mm (China time)')
    .action((o: { unit: string; at?: string }) => withDeps(async (deps) => {
      console.log(await rosterText(deps, o.unit, o.at));
    }));
}
