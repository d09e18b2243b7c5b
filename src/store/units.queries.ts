/**
 * Queries for the org tree (`units`). Accept a transaction or the database; map rows to the
 * domain `Unit`.
 */
import { and, arrayContains, asc, count, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { SiteType, Unit, UnitKind } from '../domain/org.ts';
import type { Tx } from './db.ts';
import { units } from './schema.ts';

const CHUNK = 500;

type Row = typeof units.$inferSelect;

const toUnit = (r: Row): Unit => ({
  code: r.code,
  name: r.name,
  kind: r.kind as UnitKind,
  parentCode: r.parentCode,
  siteType: (r.siteType as SiteType | null) ?? null,
  ancestors: r.ancestors,
});

const toRow = (u: Unit) => ({
  code: u.code,
  name: u.name,
  kind: u.kind,
  parentCode: u.parentCode,
  siteType: u.siteType ?? null,
  ancestors: u.ancestors,
});

/** Inserts or updates units by code, 500 rows per statement. Leaves units not listed alone. */
export async function upsertUnits(tx: Tx, list: readonly Unit[]): Promise<void> {
  for (let i = 0; i < list.length; i += CHUNK) {
    await tx
      .insert(units)
      .values(list.slice(i, i + CHUNK).map(toRow))
      .onConflictDoUpdate({
        target: units.code,
        set: {
          name: sql`excluded.name`,
          kind: sql`excluded.kind`,
          parentCode: sql`excluded.parent_code`,
          ancestors: sql`excluded.ancestors`,
          siteType: sql`excluded.site_type`,
        },
      });
  }
}

/** Inserts one new unit; false when its code is already taken (nothing is written then). */
export async function insertUnit(tx: Tx, unit: Unit): Promise<boolean> {
  const rows = await tx.insert(units).values(toRow(unit)).onConflictDoNothing().returning({ code: units.code });
  return rows.length === 1;
}

export async function getUnit(tx: Tx, code: string): Promise<Unit | null> {
  const [row] = await tx.select().from(units).where(eq(units.code, code)).limit(1);
  return row ? toUnit(row) : null;
}

export interface UnitFilter {
  parentCode?: string;
  kind?: UnitKind;
  /** The unit itself and everything below it (GIN-indexed `ancestors @> ARRAY[code]`). */
  withinCode?: string;
  /** Name contains, case-insensitive; % and _ match literally. */
  q?: string;
}

function where(f: UnitFilter): SQL | undefined {
  return and(
    f.parentCode === undefined ? undefined : eq(units.parentCode, f.parentCode),
    f.kind === undefined ? undefined : eq(units.kind, f.kind),
    f.withinCode === undefined ? undefined : arrayContains(units.ancestors, [f.withinCode]),
    f.q ? ilike(units.name, `%${f.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
  );
}

/** One page of units matching every given filter, ordered by code. */
export async function listUnits(tx: Tx, f: UnitFilter & { limit: number; offset: number }): Promise<Unit[]> {
  const rows = await tx.select().from(units).where(where(f)).orderBy(asc(units.code)).limit(f.limit).offset(f.offset);
  return rows.map(toUnit);
}

/** How many units match the filter (all units without one). */
export async function countUnits(tx: Tx, f: UnitFilter = {}): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(units).where(where(f));
  return row?.n ?? 0;
}

/** Codes of the direct children of a unit: enough to number a new child. */
export async function childCodes(tx: Tx, parentCode: string): Promise<string[]> {
  const rows = await tx.select({ code: units.code }).from(units).where(eq(units.parentCode, parentCode));
  return rows.map((r) => r.code);
}

/** The root of the tree (the city): where a request with no unit lands. */
export async function rootUnit(tx: Tx): Promise<Unit | null> {
  const [row] = await tx.select().from(units).where(isNull(units.parentCode)).limit(1);
  return row ? toUnit(row) : null;
}

/** Several units by code, for presenting names. */
export async function getUnits(tx: Tx, codes: readonly string[]): Promise<Unit[]> {
  if (codes.length === 0) return [];
  return (await tx.select().from(units).where(inArray(units.code, [...codes]))).map(toUnit);
}
