import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite } from '../app/add-site.ts';
import { seedOrg } from '../app/seed-org.ts';
import { makeDb, migrate, type Db } from './db.ts';
import { countUnits, getUnit, listUnits } from './units.queries.ts';

let db: Db;

beforeAll(async () => {
  db = await makeDb();
  await migrate(db);
}, 60_000);

afterAll(() => db?.close());

describe('units queries', () => {
  it('seeds the org tree idempotently', async () => {
    const first = await seedOrg(db);
    const second = await seedOrg(db);
    expect(second).toEqual(first);
    expect(await countUnits(db.orm)).toBe(first.units);
    // city, districts, streets, communities; 11 bureaus, police: 9 district branches + the traffic police, 6 stations.
    expect(first.units).toBe(1 + 9 + 79 + 788 + 11 + 10 + 6);
  });

  it('gets a unit with its ancestors', async () => {
    expect(await getUnit(db.orm, '440311005')).toEqual({
      code: '440311005', name: '玉塘街道', kind: 'street', parentCode: '440311', siteType: null, ancestors: ['4403', '440311', '440311005'],
    });
    expect(await getUnit(db.orm, 'nope')).toBeNull();
  });

  it.each([
    [{ withinCode: '440311' }, 1 + 6 + 31],
    [{ withinCode: '440311', kind: 'street' as const }, 6],
    [{ parentCode: '440311005' }, 4],
    [{ withinCode: '4403-GA' }, 1 + 10 + 6],
    [{ q: '玉塘' }, 2],
    [{ q: '%' }, 0],
  ])('lists %j', async (filter, n) => {
    const page = await listUnits(db.orm, { ...filter, limit: 100, offset: 0 });
    expect(page).toHaveLength(n);
    expect(await countUnits(db.orm, filter)).toBe(n);
  });

  it('pages in code order', async () => {
    const [a, b] = await Promise.all([0, 2].map((offset) => listUnits(db.orm, { withinCode: '440311', limit: 2, offset })));
    expect([...a!, ...b!].map((u) => u.code)).toEqual(['440311', '440311001', '440311001001', '440311001002']);
  });

  it('adds numbered sites under a community only', async () => {
    const first = await addSite(db, '440311005001', { name: '某花园', siteType: 'estate' });
    const second = await addSite(db, '440311005001', { name: '某工地', siteType: 'construction' });
    expect([first.code, second.code]).toEqual(['440311005001-S1', '440311005001-S2']);
    expect(await getUnit(db.orm, second.code)).toEqual(second);
    expect((await listUnits(db.orm, { withinCode: '440311005', kind: 'site', limit: 10, offset: 0 })).map((u) => u.code))
      .toEqual([first.code, second.code]);
    await expect(addSite(db, '440311005', { name: '某园区', siteType: 'park' })).rejects.toThrow(/under a community, not a street/);
    await expect(addSite(db, '440399999999', { name: '某园区', siteType: 'park' })).rejects.toThrow(/not found/);
    await expect(addSite(db, '440311005002', { code: first.code, name: '某园区', siteType: 'park' })).rejects.toThrow(/already in use/);
  });

  it('keeps added sites when seeding again', async () => {
    const before = await countUnits(db.orm);
    await seedOrg(db);
    expect(await countUnits(db.orm)).toBe(before);
  });
});
