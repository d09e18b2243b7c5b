import { count, sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { units } from '../src/store/schema.ts';
import { BACKENDS, freshPostgres, useDb } from './db.ts';

/** Rows of a raw `execute()`: node-postgres and PGlite both answer `{ rows }`. */
const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;

const unit = (code: string) => ({ code, name: `单位${code}`, kind: 'street', ancestors: [] as string[] });

describe.each(BACKENDS)('%s', (kind) => {
  const db = useDb(kind);

  it('is migrated: the units table exists', async () => {
    expect(db().kind).toBe(kind);
    const [row] = rows<{ t: string | null }>(await db().orm.execute(sql`select to_regclass('public.units')::text as t`));
    expect(row?.t).toBe('units');
    const [{ n } = { n: -1 }] = await db().orm.select({ n: count() }).from(units);
    expect(n).toBe(0);
  });

  it('rolls back a transaction that throws', async () => {
    await expect(
      db().orm.transaction(async (tx) => {
        await tx.insert(units).values(unit('rollback-1'));
        const [{ n } = { n: -1 }] = await tx.select({ n: count() }).from(units);
        expect(n).toBe(1); // visible inside the transaction
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [{ n } = { n: -1 }] = await db().orm.select({ n: count() }).from(units);
    expect(n).toBe(0);
  });

  it('commits a transaction that returns', async () => {
    await db().orm.transaction(async (tx) => {
      await tx.insert(units).values(unit('commit-1'));
    });
    const [{ n } = { n: -1 }] = await db().orm.select({ n: count() }).from(units);
    expect(n).toBe(1);
  });
});

describe('freshPostgres', () => {
  const exists = async (name: string) => {
    const c = new pg.Client({ connectionString: inject('pgUrl') });
    await c.connect();
    try {
      return (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    } finally {
      await c.end();
    }
  };
  const currentDb = async (db: Awaited<ReturnType<typeof freshPostgres>>) =>
    rows<{ d: string }>(await db.orm.execute(sql`select current_database() as d`))[0]!.d;

  it('gives each caller its own database, dropped on close', async () => {
    const [a, b] = await Promise.all([freshPostgres(), freshPostgres()]);
    const [nameA, nameB] = [await currentDb(a), await currentDb(b)];
    try {
      expect(nameA).not.toBe(nameB);
      await a.orm.insert(units).values(unit('only-in-a'));
      const [{ n: inA } = { n: -1 }] = await a.orm.select({ n: count() }).from(units);
      const [{ n: inB } = { n: -1 }] = await b.orm.select({ n: count() }).from(units);
      expect([inA, inB]).toEqual([1, 0]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    expect(await exists(nameA)).toBe(false);
    expect(await exists(nameB)).toBe(false);
    expect(await exists('suqiu_template')).toBe(true);
  });
});
