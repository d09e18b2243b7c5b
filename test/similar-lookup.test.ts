/**
 * The similar/duplicate look-up (app/intel/intake-intel.ts findSimilar) against stored signatures
 * on PGlite and PostgreSQL: the area semantics (street, units above, a coarse request's units
 * below), the 30-day window, merged and withdrawn cases left out, the most similar first. And
 * the migrations that moved the band keys from `case_signatures.bands` to `case_lsh_keys` and
 * packed the MinHash values into bytea.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSimilar } from '../src/app/intel/intake-intel.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { bucketOf, keyArea, lshKeys, packMinhash, signature, unpackMinhash } from '../src/intel/similar.ts';
import { makeDb, rowsOf, type Db } from '../src/store/db.ts';
import { insertSignature } from '../src/store/intel.queries.ts';
import { BACKENDS, openBackend } from './db.ts';

const NOW = new Date('2026-11-27T02:00:00Z');
const DAY = 86_400_000;
const TIANLIAO = '440311005001', YUTANG = '440311005', GUANGMING = '440311', CITY = '4403';
const OTHER_COMMUNITY = '440311005002', OTHER_STREET = '440311001001';
const TEXT = '田寮社区文化广场旁边的井盖松动，车压过去哐哐响，很危险';

describe.each(BACKENDS)('similar look-up on %s', (kind) => {
  let db: Db;
  let n = 0;
  /** A stored case with its signature and keys, as intake stores it. */
  const store = async (text: string, area: string, at: Date, status = 'received') => {
    const id = randomUUID();
    await db.orm.execute(sql`insert into cases (id, tracking_no, channel, type, content, intake_unit_code, scope_units, status, status_category, created_at, updated_at)
      values (${id}, ${`SZ-T-${kind}-${++n}`}, 'web', 'help', ${text}, ${area}, ${`{${CITY},${area}}`}::text[], ${status}, 'new', ${at.toISOString()}, ${at.toISOString()})`);
    const sig = signature(text);
    await insertSignature(db.orm, { caseId: id, areaCode: area, createdAt: at, minhash: packMinhash(sig.minhash) }, lshKeys(sig.bands, keyArea(area), bucketOf(at)));
    return id;
  };
  const ago = (days: number) => new Date(+NOW - days * DAY);
  const ids = async (area: string, text = TEXT, exclude?: string, k = 5) => (await findSimilar(db.orm, text, area, NOW, exclude, k)).map((s) => s.caseId);

  beforeAll(async () => {
    db = await openBackend(kind);
    await seedOrg(db);
  }, 60_000);
  afterAll(async () => db?.close());

  it('finds the same matter in the same place within 30 days, most similar first', async () => {
    const same = await store(TEXT, TIANLIAO, ago(2));
    const paraphrase = await store('田寮社区文化广场旁的井盖松动了，车开过去一直哐哐响', TIANLIAO, ago(1));
    const edge = await store(TEXT, TIANLIAO, ago(29));
    const old = await store(TEXT, TIANLIAO, ago(31));
    await store('田寮社区文化广场的路灯坏了，晚上很黑', TIANLIAO, ago(1));
    const found = await findSimilar(db.orm, TEXT, TIANLIAO, NOW);
    expect(found.map((s) => s.caseId)).toEqual([same, edge, paraphrase]);
    expect(found[0]).toMatchObject({ similarity: 1, status: 'received', trackingNo: expect.stringMatching(/^SZ-T-/) });
    expect(found[2]!.similarity).toBeLessThan(1);
    expect(found.map((s) => s.caseId)).not.toContain(old);
    expect(await ids(TIANLIAO, TEXT, same)).not.toContain(same);
  });

  it('keeps to the area: the street and the units above it, not a neighbouring community or street', async () => {
    const text = '玉塘街道某小区门口垃圾堆放多天无人清理，臭气熏天';
    const here = await store(text, TIANLIAO, ago(3));
    const street = await store(text, YUTANG, ago(3));
    const district = await store(text, GUANGMING, ago(4));
    const city = await store(text, CITY, ago(5));
    const neighbour = await store(text, OTHER_COMMUNITY, ago(3));
    const otherStreet = await store(text, OTHER_STREET, ago(3));
    expect((await ids(TIANLIAO, text, undefined, 10)).sort()).toEqual([here, street, district, city].sort());
    expect((await ids(OTHER_STREET, text, undefined, 10)).sort()).toEqual([otherStreet, district, city].sort());
    // A request placed only at its district meets the cases in its streets below; one placed at the city, those in its districts.
    expect((await ids(GUANGMING, text, undefined, 10)).sort()).toEqual([here, street, district, city, neighbour, otherStreet].sort());
    expect((await ids(CITY, text, undefined, 10)).sort()).toEqual([district, city].sort());
  });

  it('leaves out merged and withdrawn cases', async () => {
    const text = '田寮社区篮球场的围网破了个大洞，小孩钻进钻出很危险';
    const open = await store(text, TIANLIAO, ago(1));
    const merged = await store(text, TIANLIAO, ago(1), 'merged');
    const withdrawn = await store(text, TIANLIAO, ago(1), 'withdrawn');
    const found = await ids(TIANLIAO, text);
    expect(found).toContain(open);
    expect(found).not.toContain(merged);
    expect(found).not.toContain(withdrawn);
  });

  it('returns the top 5 however many cases share keys', async () => {
    const text = '田寮社区菜市场门口的下水道堵塞，污水外溢到马路上';
    for (let i = 0; i < 60; i++) await store(text, TIANLIAO, ago(1 + (i % 20)));
    const found = await findSimilar(db.orm, text, TIANLIAO, NOW);
    expect(found).toHaveLength(5);
    expect(found.every((s) => s.similarity === 1)).toBe(true);
    // Equally similar: the newest first.
    expect(found.map((s) => +s.createdAt)).toEqual(found.map((s) => +s.createdAt).sort((a, b) => b - a));
  });
});

describe('migrations to case_lsh_keys and a packed minhash', () => {
  const folder = join(import.meta.dirname, '../src/store/migrations');
  let dir: string;
  let db: Db | undefined;
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('move the band keys of stored signatures into the key table and pack their MinHash values', async () => {
    // The migrations before the one creating case_lsh_keys: the old shape, with case_signatures.bands.
    const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => readFileSync(join(folder, `${e.tag}.sql`), 'utf8').includes('CREATE TABLE "case_lsh_keys"'));
    expect(at).toBeGreaterThan(0);
    dir = mkdtempSync(join(tmpdir(), 'suqiu-mig-'));
    cpSync(folder, dir, { recursive: true });
    writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
    expect(readdirSync(dir).length).toBeGreaterThan(at);
    db = await makeDb();
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db.orm as never, { migrationsFolder: dir });

    const rows = [
      { id: randomUUID(), text: TEXT, area: TIANLIAO, at: new Date('2026-11-20T10:00:00Z') },
      { id: randomUUID(), text: '宝安区西乡街道的路灯坏了晚上很黑', area: '440306001', at: new Date('2026-03-01T00:00:00Z') },
    ];
    for (const r of rows) {
      const sig = signature(r.text);
      // The old stored key: the scoped band as a signed int4.
      const old = lshKeys(sig.bands, keyArea(r.area), bucketOf(r.at)).map((k) => k % 2 ** 32 | 0);
      await db.orm.execute(sql`insert into cases (id, tracking_no, channel, type, content, intake_unit_code, scope_units, status, status_category, created_at, updated_at)
        values (${r.id}, ${r.id}, 'web', 'help', ${r.text}, ${r.area}, ${`{${CITY},${r.area}}`}::text[], 'received', 'new', ${r.at.toISOString()}, ${r.at.toISOString()})`);
      await db.orm.execute(sql`insert into case_signatures (case_id, area_code, created_at, minhash, bands)
        values (${r.id}, ${r.area}, ${r.at.toISOString()}, ${`{${sig.minhash.join(',')}}`}::int4[], ${`{${old.join(',')}}`}::int4[])`);
    }
    await migrate(db.orm as never, { migrationsFolder: folder });

    for (const r of rows) {
      const keys = await rowsOf<{ key: string }>(db.orm, sql`select key::text as key from case_lsh_keys where case_id = ${r.id} order by key`);
      const expected = lshKeys(signature(r.text).bands, keyArea(r.area), bucketOf(r.at)).sort((a, b) => a - b);
      expect(keys.map((k) => Number(k.key))).toEqual(expected);
    }
    for (const r of rows) {
      const [m] = await rowsOf<{ minhash: Uint8Array }>(db.orm, sql`select minhash from case_signatures where case_id = ${r.id}`);
      expect(unpackMinhash(m!.minhash)).toEqual(signature(r.text).minhash);
    }
    const columns = await rowsOf<{ column_name: string }>(db.orm, sql`select column_name from information_schema.columns where table_name = 'case_signatures'`);
    expect(columns.map((c) => c.column_name).sort()).toEqual(['area_code', 'case_id', 'created_at', 'minhash']);
    // A look-up after the migrations finds the migrated case, as similar as before.
    const found = await findSimilar(db.orm, TEXT, TIANLIAO, new Date('2026-11-27T02:00:00Z'));
    expect(found.map((s) => [s.caseId, s.similarity])).toEqual([[rows[0]!.id, 1]]);
  }, 60_000);
});
