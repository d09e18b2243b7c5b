/**
 * `suqiu kpi rebuild|fold` as an operator runs them: real processes on a PGlite folder of their
 * own, seeded with the demo cases. A rebuild of correct rollups corrects nothing; one after the
 * rollups were damaged by hand restores them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDb, rowsOf } from '../src/store/db.ts';
import { runSuqiu } from './suqiu-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-kpi-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const suqiu = async (...args: string[]) => {
  const r = await runSuqiu(dataDir, args, { LOG_LEVEL: 'warn' });
  return { code: r.code, out: r.stdout, err: r.stderr };
};

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof makeDb>>) => Promise<T>): Promise<T> {
  const db = await makeDb({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const cityVolume = () => withDb(async (db) => (await rowsOf<{ n: number }>(db.orm, sql`
  select coalesce(sum(accepted), 0)::int as n from kpi_rollups where unit_code = '4403'`))[0]!.n);

describe('suqiu kpi', { timeout: 240_000 }, () => {
  it('folds the demo cases, rebuilds without correcting anything, then repairs damaged rollups', async () => {
    const seed = await suqiu('seed', '--demo');
    expect(seed.code, seed.err).toBe(0);
    const cases = await withDb(async (db) => (await rowsOf<{ n: number }>(db.orm, sql`select count(*)::int as n from cases`))[0]!.n);
    expect(cases).toBeGreaterThan(0);

    const fold = await suqiu('kpi', 'fold');
    expect(fold.code, fold.err).toBe(0);
    expect(fold.out).toMatch(/^kpi fold: [1-9]\d* deltas folded$/m);
    const volume = await cityVolume();
    expect(volume).toBeGreaterThan(0);

    const ok = await suqiu('kpi', 'rebuild');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(new RegExp(`^kpi rebuild: ${cases} cases, 0 contributions corrected, 0 of deleted cases dropped; \\d+ rollup and \\d+ mix rows in `, 'm'));
    expect(ok.err).toContain(`rebuilding ${cases}/${cases} cases`);
    expect(await cityVolume()).toBe(volume);

    await withDb(async (db) => {
      await db.orm.execute(sql`update kpi_rollups set accepted = accepted + 5 where unit_code = '4403'`);
      await db.orm.execute(sql`update kpi_contributions set unit_code = 'damaged' where case_id = (select min(case_id::text)::uuid from kpi_contributions)`);
    });
    const fix = await suqiu('kpi', 'rebuild');
    expect(fix.code, fix.err).toBe(0);
    expect(fix.out).toContain(`kpi rebuild: ${cases} cases, 1 contributions corrected`);
    expect(await cityVolume()).toBe(volume);
  });
});
