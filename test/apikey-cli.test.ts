/**
 * `suqiu apikey add|list|revoke` as an operator runs them: real processes on a PGlite folder of
 * their own. The key is printed once; the database holds its hash and prefix only.
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
const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-apikey-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function suqiu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.SUQIU_KEY;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'suqiu.js'), 'apikey', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('suqiu apikey', { timeout: 120_000 }, () => {
  it('adds a key shown once, lists it, revokes it by prefix', async () => {
    const add = suqiu('add', '--name', '市民通 App');
    expect(add.code, add.err).toBe(0);
    const key = /^(sq_[\w-]{32})$/m.exec(add.out)?.[1];
    expect(key, add.out).toBeDefined();
    const prefix = key!.slice(0, 10);
    expect(add.out).toContain(`prefix ${prefix}`);

    const list = suqiu('list');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain(`${prefix}…  市民通 App`);
    expect(list.out).not.toContain(key!);
    expect(list.out).not.toContain('REVOKED');

    const revoke = suqiu('revoke', prefix);
    expect(revoke.code, revoke.err).toBe(0);
    expect(revoke.out).toContain(`revoked ${prefix}… (市民通 App`);

    const unknown = suqiu('revoke', 'sq_nothing');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/api key sq_nothing not found/);

    const db = await makeDb({ dataDir });
    try {
      const rows = await rowsOf<Record<string, unknown>>(db.orm, sql`select * from api_keys`);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(key!);
      expect(rows[0]).toMatchObject({ name: '市民通 App', prefix, key_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(rows[0]!.revoked_at).not.toBeNull();
    } finally {
      await db.close();
    }
  });
});
