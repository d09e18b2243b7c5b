/** The staff accounts for the administrator, with their unit's name; never a password hash. */
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { canAdminister } from '../domain/policy.ts';
import { getUnits } from '../store/units.queries.ts';
import { listUsers } from '../store/users.queries.ts';
import type { Deps } from './deps.ts';

export const UserQuery = z.object({
  unitCode: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Throws forbidden for anyone but the administrator. */
export async function listUserViews(deps: Deps, actor: Actor, q: z.infer<typeof UserQuery>) {
  if (!canAdminister(actor)) throw new DomainError('forbidden', 'only an administrator manages accounts');
  const rows = await listUsers(deps.db.orm, q);
  const names = new Map((await getUnits(deps.db.orm, [...new Set(rows.map((r) => r.unitCode))])).map((u) => [u.code, u.name]));
  return { items: rows.map((r) => ({ ...r, unitName: names.get(r.unitCode) ?? r.unitCode })) };
}
