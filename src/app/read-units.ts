/** Reading the org tree: public information (names, kinds, parents), no staff or cases. */
import { z } from 'zod';
import { UNIT_KINDS } from '../domain/org.ts';
import { notFound } from '../domain/errors.ts';
import { countUnits, getUnit, getUnits, listUnits } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';

export const UnitQuery = z.object({
  parentCode: z.string().trim().max(40).optional(),
  kind: z.enum(UNIT_KINDS).optional(),
  within: z.string().trim().max(40).optional(),
  q: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function listUnitViews(deps: Deps, q: z.infer<typeof UnitQuery>) {
  const f = { parentCode: q.parentCode, kind: q.kind, withinCode: q.within, q: q.q };
  const [items, total] = await Promise.all([
    listUnits(deps.db.orm, { ...f, limit: q.limit, offset: q.offset }),
    countUnits(deps.db.orm, f),
  ]);
  return { items: items.map(({ code, name, kind, parentCode, siteType }) => ({ code, name, kind, parentCode, siteType })), total };
}

/** One unit with its path of names from the root and its direct children. */
export async function getUnitView(deps: Deps, code: string) {
  const u = await getUnit(deps.db.orm, code);
  if (!u) throw notFound('unit');
  const path = await getUnits(deps.db.orm, u.ancestors);
  const byCode = new Map(path.map((p) => [p.code, p]));
  const children = await listUnits(deps.db.orm, { parentCode: u.code, limit: 1000, offset: 0 });
  return {
    code: u.code, name: u.name, kind: u.kind, parentCode: u.parentCode, siteType: u.siteType ?? null,
    fullName: u.ancestors.map((c) => byCode.get(c)?.name ?? c).join(''),
    path: u.ancestors.map((c) => ({ code: c, name: byCode.get(c)?.name ?? c })),
    children: children.map(({ code: c, name, kind, siteType }) => ({ code: c, name, kind, siteType })),
  };
}
