/**
 * Databases for integration tests. `freshPostgres()` clones the migrated template on the test
 * cluster started by test/global-setup.ts (~15 ms); `freshPglite()` is an in-memory
 * PGlite, migrated (~3 s, ~800 MiB: open one per file, not per test). Each returned Db's close()
 * cleans up after itself (the PostgreSQL clone is dropped).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { makeDb, migrate, type Db } from '../src/store/db.ts';
import { databaseUrl, TEMPLATE_DB } from './pg-cluster.ts';

export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, migrated PostgreSQL database of its own (`t_<random>`), cloned from the template.
 * Its close() ends the pool and drops the database.
 * @throws when called outside a Vitest run with the global setup (no `pgUrl` provided).
 */
export async function freshPostgres(opts: { poolSize?: number } = {}): Promise<Db> {
  const name = `t_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    // FILE_COPY (PostgreSQL 15+) clones a small template in ~15 ms against 30-120 ms for WAL_LOG.
    const { rows } = await c.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
    const strategy = (rows[0]?.v ?? 0) >= 150000 ? ' STRATEGY FILE_COPY' : '';
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}${strategy}`);
  });
  const db = await makeDb({ url: databaseUrl(inject('pgUrl'), name), poolSize: opts.poolSize ?? 5 });
  let closed = false;
  return {
    ...db,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        await admin(async (c) => {
          // pool.end() resolves before the server has seen every client leave; FORCE would then kill
          // one mid-goodbye and its 57P01 error surface as an unhandled error in the test file.
          for (let i = 0; i < 50; i++) {
            const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
            if (rows[0]!.n === 0) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      }
    },
  };
}

/** A new in-memory PGlite, migrated. */
export async function freshPglite(): Promise<Db> {
  const db = await makeDb();
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/** A fresh, migrated database of the given kind. */
export function openBackend(kind: Backend): Promise<Db> {
  return kind === 'postgres' ? freshPostgres() : freshPglite();
}

/**
 * Opens a fresh database of `kind` before the enclosing suite's tests and closes it after them;
 * returns a getter (the Db exists only once beforeAll has run).
 */
export function useDb(kind: Backend): () => Db {
  let db: Db | undefined;
  beforeAll(async () => {
    db = await openBackend(kind);
  });
  afterAll(async () => {
    await db?.close();
    db = undefined;
  });
  return () => {
    if (!db) throw new Error('useDb(): the database is only available inside tests and hooks');
    return db;
  };
}
