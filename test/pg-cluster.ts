/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp folder, start on
 * 127.0.0.1 with a free port (socket inside the data folder), stop and delete it afterwards.
 * PostgreSQL refuses to run as root, so as root the server programs run as the `postgres` user
 * through `runuser` and the folder is handed to that user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, appendFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ClusterOptions {
  /** Port to listen on; omitted means a free one. */
  port?: number;
  /** Extra or overriding server settings (postgresql.conf names). */
  settings?: Record<string, string | number | boolean>;
  /** Keep fsync, synchronous_commit and full_page_writes on (for durable benchmark figures). */
  durable?: boolean;
  /** Parent of the temp folder; default os.tmpdir(). As root it must be traversable by `postgres`. */
  baseDir?: string;
}

export interface Cluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres — superuser, trust auth. */
  url: string;
  port: number;
  dataDir: string;
  binDir: string;
  /** Stops the server (fast mode) and deletes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** The migrated database that test files clone (created by test/global-setup.ts). */
export const TEMPLATE_DB = 'suqiu_template';

/** The URL of another database on the same server. */
export function databaseUrl(baseUrl: string, database: string): string {
  const u = new URL(baseUrl);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

const INSTALL_HINT =
  'Install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`) or set PG_BIN to the folder holding initdb, pg_ctl and postgres.';

/**
 * The folder holding the PostgreSQL server programs: $PG_BIN, else the highest
 * /usr/lib/postgresql/<version>/bin, else `pg_config --bindir`.
 * @throws Error naming `apt-get install postgresql` when none has initdb.
 */
export function findPgBin(): string {
  const tried: string[] = [];
  const env = process.env.PG_BIN;
  if (env) {
    if (existsSync(join(env, 'initdb'))) return env;
    throw new Error(`PG_BIN=${env} has no initdb. ${INSTALL_HINT}`);
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
    tried.push(`${root}/*/bin`);
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dir && existsSync(join(dir, 'initdb'))) return dir;
    tried.push(`pg_config --bindir (${dir})`);
  } catch {
    tried.push('pg_config (not found)');
  }
  throw new Error(`PostgreSQL server programs not found (tried ${tried.join(', ')}). ${INSTALL_HINT}`);
}

/** Path of pgbench (ships with the server programs). @throws Error when it is missing. */
export function findPgbench(): string {
  const path = join(findPgBin(), 'pgbench');
  if (!existsSync(path)) throw new Error(`pgbench not found at ${path}. ${INSTALL_HINT}`);
  return path;
}

const isRoot = () => process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(`PostgreSQL refuses to run as root and there is no 'postgres' user to run it as. ${INSTALL_HINT}`);
  }
}

interface RunResult { stdout: string; stderr: string }

/** Runs a server program, as `postgres` when we are root. */
function runPg(binDir: string, prog: string, args: string[], cwd: string): Promise<RunResult> {
  const file = join(binDir, prog);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${prog} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`.trim()));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function conf(settings: Record<string, string | number | boolean>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`)
    .join('\n');
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Creates and starts a fresh cluster. Resolves once it accepts connections.
 * @throws Error when the programs are missing (naming `apt-get install postgresql`), or initdb/start fail
 *   (with the server log's tail).
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const binDir = findPgBin();
  const ids = isRoot() ? postgresIds() : undefined;
  const root = mkdtempSync(join(opts.baseDir ?? tmpdir(), 'suqiu-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  let started = false;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    try {
      if (started) await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  // A crashed or interrupted test run must not leave a server behind.
  const onExit = () => {
    if (stopped) return;
    try {
      const file = join(binDir, 'pg_ctl');
      const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (started) execFileSync(isRoot() ? 'runuser' : file, isRoot() ? ['-u', 'postgres', '--', file, ...args] : args, { stdio: 'ignore', cwd: root });
    } catch { /* best effort */ }
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  try {
    if (ids) chownSync(root, ids.uid, ids.gid);
    const initArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
    try {
      await runPg(binDir, 'initdb', [...initArgs, '--locale=C.UTF-8'], root);
    } catch {
      rmSync(dataDir, { recursive: true, force: true });
      await runPg(binDir, 'initdb', [...initArgs, '--locale=C'], root);
    }

    const fast: Record<string, boolean> = opts.durable ? {} : { fsync: false, synchronous_commit: false, full_page_writes: false };
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      // Later lines win in postgresql.conf, so each attempt appends its own port.
      appendFileSync(dataDir + '/postgresql.conf', '\n# suqiu test cluster\n' + conf({
        listen_addresses: '127.0.0.1',
        port,
        unix_socket_directories: dataDir,
        max_connections: 200,
        ...fast,
        ...opts.settings,
      }) + '\n');
      try {
        await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start'], root);
        started = true;
      } catch (e) {
        const log = logTail(logFile);
        // Another process may have taken the free port between the probe and the start.
        if (attempt < 3 && !opts.port && /could not bind|address already in use/i.test(log)) continue;
        throw new Error(`${(e as Error).message}\n--- server log ---\n${log}`);
      }
      await runPg(binDir, 'pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '30'], root);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir, binDir, stop };
    }
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}
