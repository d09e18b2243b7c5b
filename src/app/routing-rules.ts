/**
 * The routing rules (派单建议, src/domain/routing.ts) as administrators see them: list, replace,
 * seed the shipped defaults into an empty table. The schema here is the one edge check, shared
 * by the HTTP API and the CLI; unit codes are checked against the org tree.
 *
 * Rules are cached per database for CONFIG_TTL_MS (config-cache.ts, as the clock policies are): the node that
 * replaces them drops its cache at once, other nodes re-read within the TTL.
 */
import { z } from 'zod';
import { CASE_TYPES, CHANNELS } from '../domain/case.ts';
import { badInput } from '../domain/errors.ts';
import { DEFAULT_ROUTING_RULES, ROUTE_LEVELS, endsWithFallback, ruleUnitCodes, type RoutingRule } from '../domain/routing.ts';
import type { Db, Tx } from '../store/db.ts';
import { countRoutingRules, insertRoutingRules, listRoutingRules, replaceRoutingRules } from '../store/routing.queries.ts';
import { getUnits } from '../store/units.queries.ts';
import { configCache } from './config-cache.ts';
import type { Deps } from './deps.ts';

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1).max(100)]);
const Label = z.string().trim().min(1).max(40);
const Code = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/, 'must be a unit code');

const MatchSchema = z.object({
  category: oneOrMany(Label).optional(),
  group: oneOrMany(Label).optional(),
  channel: oneOrMany(z.enum(CHANNELS)).optional(),
  type: oneOrMany(z.enum(CASE_TYPES)).optional(),
  keywords: z.array(z.string().trim().min(1).max(20)).min(1).max(100).optional(),
  area: oneOrMany(z.string().regex(/^\d{2,12}$/, 'must be 2-12 digits (the start of a unit code)')).optional(),
  located: z.boolean().optional(),
}).strict();

const weight = { weight: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1').optional() };
const orUnit = { orUnit: Code.optional() };

const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unit: Code, ...weight }).strict(),
  z.object({ kind: z.literal('location'), level: z.enum(ROUTE_LEVELS), ...orUnit, ...weight }).strict(),
  z.object({ kind: z.literal('branch'), bureau: Code, ...orUnit, ...weight }).strict(),
  z.object({
    kind: z.literal('classifier'),
    labels: z.record(Label, Code).refine((m) => Object.keys(m).length > 0, 'must map at least one label to a unit'),
    minConfidence: z.number().min(0).max(1), ...orUnit, ...weight,
  }).strict(),
  z.object({ kind: z.literal('intake'), ...orUnit, ...weight }).strict(),
], { error: 'kind must be one of unit, location, branch, classifier, intake' });

const RuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1-40 lower-case letters, digits, _ or -'),
  name: z.string().trim().min(1).max(200),
  match: MatchSchema,
  target: TargetSchema,
}).strict();

/** An ordered rule list: unique ids, and the last one a fallback that matches every request and always names a unit. */
export const RoutingRulesBody = z.array(RuleSchema).min(1).max(500)
  .refine((rs) => new Set(rs.map((r) => r.id)).size === rs.length, 'rule ids must be unique')
  .refine((rs) => endsWithFallback(rs as RoutingRule[]),
    'the last rule must match every request and always name a unit: give it "match": {} and a target of kind "unit" or with an "orUnit"');

/**
 * Validates a rule list, its unit codes against the org tree included. Throws bad_input naming
 * the first problem, e.g. `rules.3.target.unit: unknown unit 4403-XX`.
 */
export async function parseRoutingRules(tx: Tx, input: unknown): Promise<RoutingRule[]> {
  const r = RoutingRulesBody.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badInput(['rules', ...issue.path.map(String)].join('.'), issue.message);
  }
  const rules = r.data as RoutingRule[];
  const refs = ruleUnitCodes(rules);
  const known = new Map((await getUnits(tx, [...new Set(refs.map((x) => x.code))])).map((u) => [u.code, u]));
  for (const ref of refs) {
    const unit = known.get(ref.code);
    if (!unit) throw badInput(`rules.${ref.path}`, `unknown unit ${ref.code}`);
    if (ref.bureau && unit.kind !== 'bureau') throw badInput(`rules.${ref.path}`, `${ref.code} is a ${unit.kind}, not a bureau`);
  }
  return rules;
}

interface RulesInForce {
  rules: readonly RoutingRule[];
  /** No rule is stored: the shipped defaults apply. */
  defaults: boolean;
}

async function loadRules(tx: Tx): Promise<RulesInForce> {
  const stored = await listRoutingRules(tx);
  return { rules: stored.length ? stored : DEFAULT_ROUTING_RULES, defaults: stored.length === 0 };
}

const cache = configCache<Db['orm'], RulesInForce>();
const invalidate = (db: Db): void => cache.invalidate(db.orm);

/** The rules in force (the shipped defaults while none are stored), cached per database. */
export const routingRules = (tx: Tx, db: Db): Promise<RulesInForce> => cache.get(db.orm, () => loadRules(tx));

/** The rules in force, uncached, for administrators. */
export const listRules = (deps: Pick<Deps, 'db'>): Promise<RulesInForce> => loadRules(deps.db.orm);

/** Replaces every rule (validated by `parseRoutingRules`, which throws bad_input) and drops this node's cache. */
export async function replaceRules(deps: Pick<Deps, 'db' | 'now' | 'log'>, input: unknown): Promise<{ rules: RoutingRule[] }> {
  const rules = await deps.db.orm.transaction(async (tx) => {
    const checked = await parseRoutingRules(tx, input);
    await replaceRoutingRules(tx, checked, deps.now());
    return checked;
  });
  invalidate(deps.db);
  deps.log.info({ rules: rules.length }, 'routing rules replaced');
  return { rules };
}

/** Stores the shipped defaults when no rule is stored (start-up, `suqiu seed`). Returns how many it wrote. */
export async function seedRoutingRules(deps: Pick<Deps, 'db' | 'now'>): Promise<number> {
  if ((await countRoutingRules(deps.db.orm)) > 0) return 0;
  const n = await insertRoutingRules(deps.db.orm, DEFAULT_ROUTING_RULES, deps.now());
  invalidate(deps.db);
  return n;
}
