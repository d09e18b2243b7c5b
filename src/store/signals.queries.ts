/**
 * Weak signals' read: daily volumes per (district or street, category) from the KPI mix rollups
 * plus the deltas not yet folded, in one statement. Units are those of kind district or street
 * inside the given roots' subtrees (the caller has checked the roots against the actor's scope).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from './db.ts';

export interface CategoryDayCount {
  unitCode: string;
  category: string;
  day: string;
  count: number;
}

const AREA_KINDS = ['district', 'street'];

/** Volume (accepted requests) per area unit, category and day of [from, to]; zero rows are absent. */
export async function areaCategoryDays(tx: Tx, roots: readonly string[], from: string, to: string): Promise<CategoryDayCount[]> {
  if (roots.length === 0) return [];
  const rootArr = sql`array[${sql.join(roots.map((r) => sql`${r}`), sql`, `)}]::text[]`;
  const kinds = sql`array[${sql.join(AREA_KINDS.map((k) => sql`${k}`), sql`, `)}]::text[]`;
  const rows = await rowsOf<{ unit_code: string; category: string; day: string; n: number }>(tx, sql`
    with area as (select code from units where kind = any(${kinds}) and ancestors && ${rootArr})
    select r.unit_code, r.category, r.day::text as day, sum(r.n)::int as n from (
      select k.unit_code, k.value as category, k.day, k.accepted as n from kpi_mix k
      where k.dim = 'category' and k.value <> '' and k.day between ${from}::date and ${to}::date
        and k.unit_code in (select code from area)
      union all
      select u.code, m.category, m.day, m.accepted from kpi_deltas m cross join unnest(m.unit_path) as u(code)
      where m.category <> '' and m.accepted <> 0 and m.day between ${from}::date and ${to}::date
        and u.code in (select code from area)
    ) r group by r.unit_code, r.category, r.day
    having sum(r.n) <> 0`);
  return rows.map((r) => ({ unitCode: r.unit_code, category: r.category, day: r.day, count: Number(r.n) }));
}
