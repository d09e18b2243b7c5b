/**
 * `suqiu` — the command line. Every command calls the same use cases as the HTTP API.
 */
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { closeDeps, openDeps, type Deps } from '../app/deps.ts';
import { DomainError } from '../domain/errors.ts';
import { ROLES } from '../domain/actor.ts';

const program = new Command('suqiu')
  .description('诉求 — citizen requests service platform (接诉即办)')
  .showHelpAfterError();

/** Opens the platform's dependencies for one command and always closes them. */
async function withDeps<T>(fn: (deps: Deps) => Promise<T>, quiet = true): Promise<T> {
  const config = loadConfig();
  const deps = await openDeps(config, quiet ? { logLevel: 'warn' } : {});
  try {
    return await fn(deps);
  } finally {
    await closeDeps(deps);
  }
}

program.command('serve')
  .description('start the HTTP server (migrates first; seeds the org tree on an empty database)')
  .option('--demo', 'also create demo accounts and cases on an empty database; prints the logins once')
  .action(async (opts: { demo?: boolean }) => {
    const { serve } = await import('./serve.ts');
    await serve({ demo: !!opts.demo });
  });

program.command('migrate')
  .description('apply pending database migrations')
  .action(() => withDeps(async (deps) => console.log(`migrated (${deps.db.kind})`)));

program.command('seed')
  .description('load the org tree of a city, optionally with demo accounts and cases')
  .addOption(new Option('--city <city>', 'city to load').choices(['shenzhen']).default('shenzhen'))
  .option('--demo', 'create demo accounts and cases when there are no accounts yet')
  .action((opts: { demo?: boolean }) => withDeps(async (deps) => {
    const { seedOrg } = await import('../app/seed-org.ts');
    const { units } = await seedOrg(deps.db);
    console.log(`org tree: ${units} units`);
    const { seedClockPolicies } = await import('../app/clock-policies.ts');
    const policies = await seedClockPolicies(deps);
    if (policies > 0) console.log(`clock policies: ${policies} defaults stored`);
    const { seedRoutingRules } = await import('../app/routing-rules.ts');
    const rules = await seedRoutingRules(deps);
    if (rules > 0) console.log(`routing rules: ${rules} defaults stored`);
    if (opts.demo) {
      const { seedDemo } = await import('../app/seed-demo.ts');
      const { printLogins } = await import('./serve.ts');
      printLogins(await seedDemo(deps));
    }
  }));

const user = program.command('user').description('staff accounts');
user.command('add')
  .description('create a staff account')
  .requiredOption('--username <name>', 'login name (lower-case letters, digits, _ . -)')
  .requiredOption('--password <password>', 'at least 10 characters with letters and digits')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .requiredOption('--unit <code>', 'unit code, e.g. 440311005')
  .option('--name <displayName>', 'name shown to colleagues')
  .action((o: { username: string; password: string; role: (typeof ROLES)[number]; unit: string; name?: string }) => withDeps(async (deps) => {
    const { addUser } = await import('../app/add-user.ts');
    const u = await addUser(deps, { username: o.username, password: o.password, role: o.role, unitCode: o.unit, displayName: o.name });
    console.log(`created ${u.username} (${u.role}) at ${u.unitName} ${u.unitCode}`);
  }));

const kase = program.command('case').description('cases');
kase.command('show <trackingNo>')
  .description('print a case with its timeline (personal data masked)')
  .option('--json', 'print JSON')
  .action((trackingNo: string, o: { json?: boolean }) => withDeps(async (deps) => {
    const { showCase } = await import('./show-case.ts');
    console.log(await showCase(deps, trackingNo, !!o.json));
  }));

const audit = program.command('audit').description('tamper-evident event log');
audit.command('verify')
  .description('walk every case chain and the anchors; exit 1 naming the first broken link or missing event')
  .action(() => withDeps(async (deps) => {
    const { verifyAudit } = await import('../app/audit.ts');
    const r = await verifyAudit(deps.db, deps.pii, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rverifying ${done}/${total} cases`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(`${r.cases} cases, ${r.events} events, ${r.anchors} anchors`);
    if (r.ok) console.log('audit verify: OK');
    else {
      for (const p of r.problems) console.log(`BROKEN: ${p}`);
      process.exitCode = 1;
    }
  }));
audit.command('anchor')
  .description('sign the current chain heads (also done every few minutes by `serve`)')
  .action(() => withDeps(async (deps) => {
    const { anchorAudit } = await import('../app/audit.ts');
    const r = await anchorAudit(deps.db, deps.pii, deps.now());
    console.log(r.anchorId ? `anchor ${r.anchorId}: ${r.heads} chain heads` : 'nothing moved since the last anchor');
  }));

(await import('./qr.ts')).registerQr(program, withDeps);
(await import('./clocks.ts')).registerClocks(program, withDeps);
(await import('./roster.ts')).registerRoster(program, withDeps);
(await import('./apikey.ts')).registerApiKey(program, withDeps);
(await import('./kpi.ts')).registerKpi(program, withDeps);
(await import('./intel.ts')).registerIntel(program, withDeps);

/** Errors an operator can act on get one line; anything else is a bug and keeps its stack. */
const OPERATOR_ERRORS = ['DATA_DIR_IN_USE', 'EADDRINUSE', 'EACCES', 'ECONNREFUSED'];
program.parseAsync().catch((e: unknown) => {
  const known = e instanceof DomainError || (e instanceof Error &&
    (/^[A-Z_]+: /.test(e.message) || OPERATOR_ERRORS.includes((e as NodeJS.ErrnoException).code ?? '')));
  if (known) console.error(`error: ${(e as Error).message}`);
  else console.error(e);
  process.exitCode = process.exitCode || 2;
});
