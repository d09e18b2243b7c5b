/**
 * The PostgreSQL floor for write benchmarks: pgbench doing one INSERT per transaction. An app
 * benchmark reports its requests/s as a ratio of this figure on the same server.
 *
 * Self-check: `node --import tsx bench/pg.ts [seconds] [clients]` starts a throwaway cluster,
 * runs it with fsync off and on, and prints both.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findPgbench, startCluster } from '../test/pg-cluster.ts';

export interface PgbenchOptions {
  seconds: number;
  clients: number;
}

export interface PgbenchResult {
  /** Transactions (= inserts) per second, excluding connection time. */
  tps: number;
  /** Average latency per transaction. */
  latencyMs: number;
  transactions: number;
}

const TABLE = 'bench_insert_only';

/**
 * Recreates table `bench_insert_only` in the database at `url` and runs
 * `pgbench -n -c C -j C -T S -f script` with one INSERT per transaction.
 * @throws Error when pgbench is missing or fails, or its output has no `tps = …` line.
 */
export async function pgbenchInsertOnly(url: string, opts: PgbenchOptions): Promise<PgbenchResult> {
  const pgbench = findPgbench();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await client.query(
      `CREATE TABLE ${TABLE} (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  } finally {
    await client.end();
  }

  const dir = mkdtempSync(join(tmpdir(), 'suqiu-pgbench-'));
  try {
    const script = join(dir, 'insert.sql');
    writeFileSync(script, `INSERT INTO ${TABLE} (payload) VALUES ('诉求 benchmark row :client_id');\n`);
    const u = new URL(url);
    const args = [
      '-n', '-c', String(opts.clients), '-j', String(opts.clients), '-T', String(opts.seconds), '-f', script,
      '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'),
      decodeURIComponent(u.pathname.slice(1) || 'postgres'),
    ];
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(u.password), PGSSLMODE: u.searchParams.get('sslmode') ?? 'prefer' };
    const out = await new Promise<string>((resolve, reject) => {
      execFile(pgbench, args, { env, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`pgbench failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout + stderr));
    });
    const tps = /tps = ([\d.]+)/.exec(out)?.[1];
    if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
    return {
      tps: Number(tps),
      latencyMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? NaN),
      transactions: Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? NaN),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seconds = Number(process.argv[2] ?? 5);
  const clients = Number(process.argv[3] ?? 8);
  for (const durable of [false, true]) {
    const t = performance.now();
    const cluster = await startCluster({ durable });
    const startMs = performance.now() - t;
    try {
      const r = await pgbenchInsertOnly(cluster.url, { seconds, clients });
      console.log(
        `pgbench insert-only, ${durable ? 'durable (fsync on)' : 'fsync off'}, ${clients} clients, ${seconds} s: ` +
          `${r.tps.toFixed(0)} tps, ${r.latencyMs.toFixed(2)} ms avg, ${r.transactions} rows (cluster start ${startMs.toFixed(0)} ms)`,
      );
    } finally {
      await cluster.stop();
    }
  }
}
