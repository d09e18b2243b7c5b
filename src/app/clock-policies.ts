/**
 * The SLA clock policies as administrators see them: list, replace (which recomputes the clocks
 * of every open case), and seed the shipped defaults into an empty table. The schema here is the
 * one edge check, shared by the HTTP API and the CLI.
 */
import { z } from 'zod';
import { CASE_TYPES, CHANNELS, URGENCIES } from '../domain/case.ts';
import { CLOCK_NAMES, CLOCK_STARTS, CLOCK_STOPS, DEFAULT_POLICIES, DEFAULT_WARN_AT, type ClockPolicy } from '../domain/clock-policy.ts';
import { badInput } from '../domain/errors.ts';
import { UNIT_KINDS } from '../domain/org.ts';
import { countPolicies, insertPolicies, replacePolicies } from '../store/clocks.queries.ts';
import { invalidateClockConfig, loadClockConfig, type ClockCtx } from './case-clocks.ts';
import type { Deps } from './deps.ts';
import { recomputeOpenCases, type Progress } from './recompute-clocks.ts';

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);
const Duration = z.object({ amount: z.number().positive('must be positive').max(10_000), unit: z.enum(['minutes', 'hours', 'days']) }).strict();

const ClockDefSchema = z.object({
  name: z.enum(CLOCK_NAMES),
  start: z.enum(CLOCK_STARTS),
  stop: z.enum(CLOCK_STOPS),
  target: Duration,
  basis: z.enum(['calendar', 'workdays', 'workhours']),
  warnAt: z.array(z.number().gt(0, 'must be above 0').lt(1, 'must be below 1')).max(5).default([...DEFAULT_WARN_AT])
    .refine((w) => w.every((x, i) => i === 0 || x > w[i - 1]!), 'must be ascending'),
  restartOn: z.array(z.enum(['dispatched', 'reopened'])).optional(),
  maxExtension: z.object({ max: Duration, times: z.number().int().min(1).max(10) }).strict().optional(),
}).strict();

const MatchSchema = z.object({
  channel: oneOrMany(z.enum(CHANNELS)).optional(),
  unitKind: oneOrMany(z.enum(UNIT_KINDS)).optional(),
  bureau: oneOrMany(z.string().min(1).max(40)).optional(),
  category: oneOrMany(z.string().min(1).max(40)).optional(),
  urgency: oneOrMany(z.enum(URGENCIES)).optional(),
  type: oneOrMany(z.enum(CASE_TYPES)).optional(),
  petition: z.boolean().optional(),
  complex: z.boolean().optional(),
}).strict();

const PolicySchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be 1-40 lower-case letters, digits, _ or -'),
  name: z.string().trim().min(1).max(200),
  match: MatchSchema,
  clocks: z.array(ClockDefSchema).min(1).max(CLOCK_NAMES.length)
    .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, 'each clock at most once'),
}).strict();

/** An ordered policy list: unique ids, and the last one a fallback that matches every case. */
export const PoliciesBody = z.array(PolicySchema).min(1).max(200)
  .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'policy ids must be unique')
  .refine((ps) => Object.keys(ps[ps.length - 1]?.match ?? {}).length === 0, 'the last policy must match every case: give it "match": {}');

/** The policies in force, in order; the shipped defaults while none are stored. */
export async function listClockPolicies(deps: Pick<Deps, 'db'>): Promise<{ policies: readonly ClockPolicy[]; defaults: boolean }> {
  const { policies, defaults } = await loadClockConfig(deps.db.orm);
  return { policies, defaults };
}

/** Validates a policy list. Throws bad_input naming the first problem, e.g. `policies.2.clocks.0.target.amount: must be positive`. */
export function parsePolicies(input: unknown): ClockPolicy[] {
  const r = PoliciesBody.safeParse(input);
  if (r.success) return r.data as ClockPolicy[];
  const issue = r.error.issues[0]!;
  throw badInput(['policies', ...issue.path.map(String)].join('.'), issue.message);
}

/**
 * Replaces every policy, then recomputes the open cases' clocks in batches; a case keeps its
 * policy when its id still exists, else gets the one its facts select. Throws bad_input for an
 * invalid list (`parsePolicies`), database errors otherwise.
 */
export async function replaceClockPolicies(deps: ClockCtx & Pick<Deps, 'now'>, input: unknown, onProgress?: Progress) {
  const checked = parsePolicies(input);
  await deps.db.orm.transaction((tx) => replacePolicies(tx, checked, deps.now()));
  invalidateClockConfig(deps.db);
  deps.log.info({ policies: checked.length }, 'clock policies replaced; recomputing open cases');
  const recomputed = await recomputeOpenCases(deps, onProgress);
  return { policies: checked, recomputed };
}

/** Stores the shipped defaults when no policy is stored (start-up, `suqiu seed`). Returns how many it wrote. */
export async function seedClockPolicies(deps: Pick<Deps, 'db' | 'now'>): Promise<number> {
  if ((await countPolicies(deps.db.orm)) > 0) return 0;
  const n = await insertPolicies(deps.db.orm, DEFAULT_POLICIES, deps.now());
  invalidateClockConfig(deps.db);
  return n;
}
