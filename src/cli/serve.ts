/** `suqiu serve`: migrate, seed an empty database, listen, anchor the audit log periodically, send the outbox. */
import { loadConfig } from '../config.ts';
import { anchorAudit } from '../app/audit.ts';
import { closeDeps, openDeps } from '../app/deps.ts';
import { seedDemo } from '../app/seed-demo.ts';
import { seedOrg } from '../app/seed-org.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.ts';
import { loadWebApp } from '../http/web-app.ts';
import { ensureWebBuilt } from './web-build.ts';
import { countUnits } from '../store/units.queries.ts';
import { makeChannels } from '../app/notify/index.ts';
import { startOutboxSender } from '../jobs/outbox-sender.job.ts';
import { seedClockPolicies } from '../app/clock-policies.ts';
import { seedRoutingRules } from '../app/routing-rules.ts';
import { startClockScanner } from '../jobs/clock-scanner.job.ts';
import { startKpiFolder } from '../jobs/kpi-fold.job.ts';
import { startProblemProposer } from '../jobs/problems.job.ts';
import { startIntelSchedule } from '../jobs/intel.job.ts';

const ANCHOR_EVERY_MS = 5 * 60_000;

export function printLogins(logins: { username: string; password: string; role: string; unitCode: string }[]) {
  if (logins.length === 0) return;
  console.log('\nDemo logins (passwords are shown this once; they are stored only as argon2id hashes):');
  for (const l of logins) console.log(`  ${l.username.padEnd(20)} ${l.password}   ${l.role} @ ${l.unitCode}`);
  console.log('');
}

export async function serve(opts: { demo: boolean }): Promise<void> {
  const config = loadConfig();
  // Before the database opens: the build is a child process that needs memory for a moment.
  const web = loadWebApp(await ensureWebBuilt({ info: (m) => console.log(m), error: (o, m) => console.error(m, o) }));
  const deps = await openDeps(config);
  let app: FastifyInstance | undefined;
  try {
    if ((await countUnits(deps.db.orm)) === 0) {
      const { units } = await seedOrg(deps.db);
      deps.log.info({ units }, 'seeded the Shenzhen org tree');
    }
    if ((await seedClockPolicies(deps)) > 0) deps.log.info('stored the default clock policies');
    if ((await seedRoutingRules(deps)) > 0) deps.log.info('stored the default routing rules');
    if (opts.demo) printLogins(await seedDemo(deps));
    app = await buildApp(deps, { web });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app?.close().catch(() => {});
    await closeDeps(deps).catch(() => {});
    throw e;
  }
  const server = app;
  const anchor = async () => {
    try {
      await anchorAudit(deps.db, deps.pii, deps.now());
    } catch (err) {
      deps.log.error({ err }, 'audit anchor failed');
    }
  };
  const timer = setInterval(anchor, ANCHOR_EVERY_MS);
  timer.unref();
  // Notifications queued in the outbox go out from every node (SKIP LOCKED shares the work).
  const notify = makeChannels(deps);
  const sender = startOutboxSender(deps, notify.channels);
  // Clock points come due on every node's scanner; SKIP LOCKED and the clock_points key make each fire once.
  const scanner = startClockScanner(deps);
  // KPI deltas appended by events are added into the dashboard's rollups (one node at a time).
  const kpiFolder = startKpiFolder(deps);
  // Common problems are proposed once a day (one node claims the day's run).
  const problemProposer = startProblemProposer(deps);
  // Weak signals through the day, the classifier retrained at night with staff corrections.
  const intel = startIntelSchedule(deps, { retrainHour: config.intelRetrainHour, signalsEveryMs: config.signalsEveryMinutes * 60_000 });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down');
    clearInterval(timer);
    await scanner.stop();
    await kpiFolder.stop();
    await problemProposer.stop();
    await intel.stop();
    await sender.stop();
    notify.close();
    await server.close();
    await anchor();
    await closeDeps(deps);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const base = config.publicBaseUrl ?? `http://localhost:${config.port}`;
  console.log(`suqiu is running (${deps.db.kind}${deps.db.kind === 'pglite' ? ` in ${config.dataDir}` : ''})`);
  console.log(`  API      ${base}/api/v1`);
  console.log(`  web app  ${base}/`);
  console.log(`  API docs ${base}/docs`);
  console.log(`  health   ${base}/healthz`);
}
