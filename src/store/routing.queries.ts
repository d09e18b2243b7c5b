/** The ordered routing rules (src/domain/routing.ts). */
import { asc, count } from 'drizzle-orm';
import type { RouteMatch, RouteTarget, RoutingRule } from '../domain/routing.ts';
import type { Tx } from './db.ts';
import { routingRules } from './schema.ts';

export async function listRoutingRules(tx: Tx): Promise<RoutingRule[]> {
  const rows = await tx.select().from(routingRules).orderBy(asc(routingRules.position));
  return rows.map((r) => ({ id: r.id, name: r.name, match: r.match as RouteMatch, target: r.target as RouteTarget }));
}

/** Inserts rules in list order; a rule whose id exists is left alone. Returns how many were new. */
export async function insertRoutingRules(tx: Tx, rules: readonly RoutingRule[], now: Date): Promise<number> {
  if (rules.length === 0) return 0;
  const rows = await tx.insert(routingRules)
    .values(rules.map((r, position) => ({ id: r.id, position, name: r.name, match: r.match, target: r.target, updatedAt: now })))
    .onConflictDoNothing()
    .returning({ id: routingRules.id });
  return rows.length;
}

/** Replaces every rule by the list, in its order. */
export async function replaceRoutingRules(tx: Tx, rules: readonly RoutingRule[], now: Date): Promise<void> {
  await tx.delete(routingRules);
  await insertRoutingRules(tx, rules, now);
}

export async function countRoutingRules(tx: Tx): Promise<number> {
  const [r] = await tx.select({ n: count() }).from(routingRules);
  return r?.n ?? 0;
}

