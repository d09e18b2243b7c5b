/**
 * `suqiu kpi rebuild|fold` as an operator runs them: real processes on a PGlite folder of their
 * own, seeded with the demo cases. A rebuild of correct rollups corrects nothing; one after the
 * rollups were damaged by hand restores them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDb, rowsOf } from '../src/store/db.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-kpi-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function suqiu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SUQIU_KEY;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'suqiu.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

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
    const seed = suqiu('seed', '--demo');
    expect(seed.code, seed.err).toBe(0);
    const cases = await withDb(async (db) => (await rowsOf<{ n: number }>(db.orm, sql`select count(*)::int as n from cases`))[0]!.n);
    expect(cases).toBeGreaterThan(0);

    const fold = suqiu('kpi', 'fold');
    expect(fold.code, fold.err).toBe(0);
    expect(fold.out).toMatch(/^kpi fold: [1-9]\d* deltas folded$/m);
    const volume = await cityVolume();
    expect(volume).toBeGreaterThan(0);

    const ok = suqiu('kpi', 'rebuild');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(new RegExp(`^kpi rebuild: ${cases} cases, 0 contributions corrected, 0 of deleted cases dropped; \\d+ rollup and \\d+ mix rows in `, 'm'));
    expect(ok.err).toContain(`rebuilding ${cases}/${cases} cases`);
    expect(await cityVolume()).toBe(volume);

    await withDb(async (db) => {
      await db.orm.execute(sql`update kpi_rollups set accepted = accepted + 5 where unit_code = '4403'`);
      await db.orm.execute(sql`update kpi_contributions set unit_code = 'damaged' where case_id = (select min(case_id::text)::uuid from kpi_contributions)`);
    });
    const fix = suqiu('kpi', 'rebuild');
    expect(fix.code, fix.err).toBe(0);
    expect(fix.out).toContain(`kpi rebuild: ${cases} cases, 1 contributions corrected`);
    expect(await cityVolume()).toBe(volume);
  });
});
