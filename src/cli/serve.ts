/** `suqiu serve`: migrate, seed an empty database, listen, anchor the audit log periodically. */
import { loadConfig } from '../config.ts';
import { anchorAudit } from '../app/audit.ts';
import { closeDeps, openDeps } from '../app/deps.ts';
import { seedDemo } from '../app/seed-demo.ts';
import { seedOrg } from '../app/seed-org.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app.ts';
import { countUnits } from '../store/units.queries.ts';

const ANCHOR_EVERY_MS = 5 * 60_000;

export function printLogins(logins: { username: string; password: string; role: string; unitCode: string }[]) {
  if (logins.length === 0) return;
  console.log('\nDemo logins (passwords are shown this once; they are stored only as argon2id hashes):');
  for (const l of logins) console.log(`  ${l.username.padEnd(20)} ${l.password}   ${l.role} @ ${l.unitCode}`);
  console.log('');
}

export async function serve(opts: { demo: boolean }): Promise<void> {
  const config = loadConfig();
  const deps = await openDeps(config);
  let app: FastifyInstance | undefined;
  try {
    if ((await countUnits(deps.db.orm)) === 0) {
      const { units } = await seedOrg(deps.db);
      deps.log.info({ units }, 'seeded the Shenzhen org tree');
    }
    if (opts.demo) printLogins(await seedDemo(deps));
    app = await buildApp(deps);
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'shutting down');
    clearInterval(timer);
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
  console.log(`  API docs ${base}/docs`);
  console.log(`  health   ${base}/healthz`);
}
