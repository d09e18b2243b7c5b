/**
 * One way to open the database: a postgres:// URL opens a pg pool, anything else opens embedded
 * PGlite in a folder (or in memory). Both run the same drizzle schema, migrations and queries.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { ADVISORY_LOCKS } from './advisory-locks.ts';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: queries modules accept either. */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0] | Orm;

export interface Db {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… for PostgreSQL; otherwise PGlite. */
  url?: string;
  /** PGlite data folder; omitted means in memory. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens the database. Throws if the PGlite folder is already opened by another live process. */
export async function makeDb(opts: DbOptions = {}): Promise<Db> {
  if (opts.url && /^postgres(ql)?:\/\//.test(opts.url)) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    const orm = drizzle({ client: pool, schema }) as unknown as Orm;
    return { kind: 'postgres', orm, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let release = () => {};
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    release = takeLock(join(opts.dataDir, 'suqiu.lock'));
  }
  try {
    const client = opts.dataDir ? new PGlite(join(opts.dataDir, 'pg')) : new PGlite();
    await client.waitReady;
    const orm = drizzle({ client, schema }) as unknown as Orm;
    return { kind: 'pglite', orm, close: async () => { await client.close(); release(); } };
  } catch (e) {
    release();
    throw e;
  }
}

/** Applies pending migrations; safe when several nodes start at once on PostgreSQL. */
export async function migrate(db: Db): Promise<void> {
  if (db.kind === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    await db.orm.execute(sql`select pg_advisory_lock(${ADVISORY_LOCKS.migrate})`);
    try {
      await run(db.orm as never, { migrationsFolder: MIGRATIONS });
    } finally {
      await db.orm.execute(sql`select pg_advisory_unlock(${ADVISORY_LOCKS.migrate})`);
    }
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(db.orm as never, { migrationsFolder: MIGRATIONS });
  }
}

/**
 * PGlite does not lock its folder: an exclusive lock file holding our pid keeps a second process
 * out. A lock left by a dead process is taken over.
 */
function takeLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw Object.assign(new Error(`data folder is in use by process ${pid} (${path})`), { code: 'DATA_DIR_IN_USE' });
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs raw SQL and returns its rows, the same on PGlite and pg. */
export async function rowsOf<T>(tx: Tx, query: SQL): Promise<T[]> {
  const r = (await tx.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

