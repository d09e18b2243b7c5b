/**
 * Intake throughput: `POST /api/v1/requests` against the in-process app on embedded PGlite (in a
 * temp folder) and on a throwaway durable PostgreSQL (fsync on), then pgbench's insert-only tps
 * on that same PostgreSQL as the ceiling.
 *
 *   npm run bench -- intake [--seconds 10] [--connections 16] [--warmup 2] [--pool 10] [--pgbench-clients 8]
 *
 * The load comes from autocannon in a child process (bench/intake-load.ts), so it does not share
 * the server's event loop; it does share the machine's cores with the server and PostgreSQL, and
 * the CPU line says who used them.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { makeLogger, openDeps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { makeDb, rowsOf, type Db } from '../src/store/db.ts';
import { loadPii } from '../src/store/pii.ts';
import { startCluster } from '../test/pg-cluster.ts';
import type { LoadOptions, LoadResult } from './intake-load.ts';
import { pgbenchInsertOnly } from './pg.ts';

const LOADER = fileURLToPath(new URL('./intake-load.ts', import.meta.url));

interface Row {
  backend: string;
  version: string;
  load: LoadResult;
  /** 2xx the server answered, warm-up included (the client misses those in flight at the end). */
  served: number;
  cases: number;
  /** CPU used during the measured run, in cores: this process, PostgreSQL's, the whole machine's. */
  cpu: { server: number; postgres: number; machine: number };
}

/** Runs autocannon in a child process and returns its result. */
function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(LOADER, [JSON.stringify(opts)], { execArgv: ['--import', 'tsx'] });
    let result: LoadResult | undefined;
    child.on('message', (m) => { result = m as LoadResult; });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with code ${code}`))));
  });
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total }; // minus idle and iowait
}

/** CPU seconds used so far by the PostgreSQL server of `dataDir` (postmaster and its children). */
function postgresCpuSeconds(dataDir: string | undefined): number {
  if (!dataDir) return 0;
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let f: string[];
    try {
      f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); // fields from 3 (state) on
    } catch {
      continue; // gone
    }
    if (Number(pid) === postmaster || Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]); // utime + stime
  }
  return ticks / 100; // USER_HZ
}

/** Builds the app on `db`, warms it up, measures it and closes it (and the db). */
export async function measure(
  backend: string, db: Db, opts: { connections: number; seconds: number; warmup: number; pgDataDir?: string },
): Promise<Row> {
  const deps = await openDeps(loadConfig({ PUBLIC_RATE_LIMIT: '100000000' } as NodeJS.ProcessEnv), {
    db, pii: loadPii(), log: makeLogger('silent'),
  });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    app = await buildApp(deps);
    await seedOrg(db);
    let served = 0;
    // onSend, not onResponse: the latter does not fire for replies to clients that hung up.
    app.addHook('onSend', async (req, reply) => {
      if (req.method === 'POST' && reply.statusCode >= 200 && reply.statusCode < 300) served++;
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const [{ server_version: version } = { server_version: '?' }] = await rowsOf<{ server_version: string }>(db.orm, sql`show server_version`);
    await runLoad({ url, connections: opts.connections, seconds: opts.warmup });
    const cpu0 = process.cpuUsage();
    const m0 = machineTicks();
    const pg0 = postgresCpuSeconds(opts.pgDataDir);
    const t0 = performance.now();
    const load = await runLoad({ url, connections: opts.connections, seconds: opts.seconds });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const m1 = machineTicks();
    const pg1 = postgresCpuSeconds(opts.pgDataDir);
    await app.close();
    const [count] = await rowsOf<{ n: number }>(db.orm, sql`select count(*)::int as n from cases`);
    return {
      backend, version, load, served, cases: Number(count?.n),
      cpu: {
        server: (cpu.user + cpu.system) / 1e6 / wall,
        postgres: (pg1 - pg0) / wall,
        machine: ((m1.busy - m0.busy) / (m1.total - m0.total)) * cpus().length,
      },
    };
  } finally {
    await app?.close(); // a second close is a no-op
    await db.close();
  }
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

export default async function run(args: string[]): Promise<void> {
  const seconds = option(args, 'seconds', 10);
  const connections = option(args, 'connections', 16);
  const warmup = option(args, 'warmup', 2);
  const poolSize = option(args, 'pool', 10);
  const pgbenchClients = option(args, 'pgbench-clients', 8);
  const opts = { connections, seconds, warmup };

  console.log(`intake: POST /api/v1/requests, ${connections} connections, ${seconds} s each (after ${warmup} s warm-up); ` +
    `${cpus().length} cores, node ${process.version}`);
  const rows: Row[] = [];
  const liteDir = mkdtempSync(join(tmpdir(), 'suqiu-bench-pglite-'));
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  try {
    rows.push(await measure('pglite', await makeDb({ dataDir: liteDir }), opts));
    cluster = await startCluster({ durable: true });
    rows.push(await measure('postgres', await makeDb({ url: cluster.url, poolSize }), { ...opts, pgDataDir: cluster.dataDir }));
    const pgb = await pgbenchInsertOnly(cluster.url, { seconds, clients: pgbenchClients });

    const rps = (r: Row) => r.load.ok / r.load.seconds;
    console.log(`\nbackend      req/s   p50 ms   p99 ms   non-2xx   errors   cases in db   CPU cores: server  postgres  loader  other`);
    for (const r of rows) {
      const { load: l, cpu } = r;
      const other = cpu.machine - cpu.server - cpu.postgres - l.cpu;
      console.log(
        `${r.backend.padEnd(10)}${pad(rps(r).toFixed(0), 8)}${pad(l.p50, 9)}${pad(l.p99, 9)}${pad(l.non2xx, 10)}${pad(l.errors + l.timeouts, 9)}` +
          `${pad(r.cases, 14)} ${r.cases === r.served ? '✓' : '✗'}${pad(cpu.server.toFixed(2), 17)}${pad(cpu.postgres.toFixed(2), 10)}` +
          `${pad(l.cpu.toFixed(2), 8)}${pad(other.toFixed(2), 7)}`,
      );
      if (r.cases !== r.served) console.log(`  ✗ the server answered 2xx ${r.served} times (warm-up included) but ${r.cases} cases are stored`);
      for (const s of l.samples) console.log(`  non-2xx sample: ${s}`);
    }
    const [lite, pgRow] = rows as [Row, Row];
    console.log(`(pglite ${lite.version} in a temp folder; postgres ${pgRow.version}, fsync on, pool ${poolSize}; ` +
      `cases in db include the warm-up and requests in flight when the client stopped)`);
    console.log(`pgbench insert-only (${pgbenchClients} clients, fsync on, ${seconds} s): ${pgb.tps.toFixed(0)} tps, ${pgb.latencyMs.toFixed(2)} ms avg`);
    console.log(`ratios: postgres/pglite = ${(rps(pgRow) / rps(lite)).toFixed(2)}, postgres intake/pgbench = ${(rps(pgRow) / pgb.tps).toFixed(2)}`);
    const bad = rows.filter((r) => r.load.non2xx + r.load.errors + r.load.timeouts > 0 || r.cases !== r.served);
    if (bad.length) {
      console.error(`\nFAILED sanity check on: ${bad.map((r) => r.backend).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await cluster?.stop();
    rmSync(liteDir, { recursive: true, force: true });
  }
}
