/**
 * The effective category catalogue: the shipped list (domain/categories.ts) with the
 * administrators' changes (table category_overrides) laid over it. A shipped category can be
 * renamed, re-described, regrouped, given other keywords or deactivated; a new code adds a
 * category (without extra questions). Codes are never removed: `cases.category` holds them.
 */
import { z } from 'zod';
import { CASE_TYPES, type CaseType } from '../domain/case.ts';
import { CATEGORIES, FALLBACK_CATEGORY, categoryByCode, type Category } from '../domain/categories.ts';
import { badInput, notFound } from '../domain/errors.ts';
import { getCategoryOverride, listCategoryOverrides, upsertCategoryOverride, type CategoryOverrideRow } from '../store/categories.queries.ts';
import type { Deps } from './deps.ts';

export interface EffectiveCategory extends Category {
  active: boolean;
  /** True for a category of the shipped catalogue, false for one an administrator added. */
  shipped: boolean;
  updatedAt: Date | null;
}

export const CategoryCode = z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2–40 lowercase ASCII letters, digits or _, starting with a letter');

export const CategoryBody = z.object({
  name: z.string().trim().min(1).max(20).optional(),
  description: z.string().trim().max(200).optional(),
  group: z.string().trim().min(1).max(20).optional(),
  keywords: z.array(z.string().trim().min(1).max(20)).max(30).optional(),
  caseType: z.enum(CASE_TYPES).optional(),
  active: z.boolean().optional(),
}).strict();
export type CategoryInput = z.infer<typeof CategoryBody>;

function merge(base: Category | undefined, o: CategoryOverrideRow | undefined): EffectiveCategory {
  const b: Category = base ?? {
    code: o!.code, name: o!.code, description: '', keywords: [], group: '其他', caseType: 'help', metadata: false, attributes: [],
  };
  return {
    ...b,
    name: o?.name ?? b.name,
    description: o?.description ?? b.description,
    group: o?.group ?? b.group,
    keywords: o?.keywords ?? b.keywords,
    caseType: (o?.caseType as CaseType | null) ?? b.caseType,
    active: o?.active ?? true,
    shipped: base !== undefined,
    updatedAt: o?.updatedAt ?? null,
  };
}

/** Every category, shipped ones in catalogue order then added ones by code; inactive ones too. */
export async function effectiveCatalogue(deps: Pick<Deps, 'db'>): Promise<EffectiveCategory[]> {
  const rows = new Map((await listCategoryOverrides(deps.db.orm)).map((r) => [r.code, r]));
  const shipped = CATEGORIES.map((c) => merge(c, rows.get(c.code)));
  const added = [...rows.values()].filter((r) => !categoryByCode(r.code)).map((r) => merge(undefined, r));
  return [...shipped, ...added];
}

/** The active category with this code, or undefined (unknown or deactivated). */
export async function activeCategory(deps: Pick<Deps, 'db'>, code: string): Promise<EffectiveCategory | undefined> {
  const base = categoryByCode(code);
  const row = await getCategoryOverride(deps.db.orm, code);
  if (!base && !row) return undefined;
  const c = merge(base, row ?? undefined);
  return c.active ? c : undefined;
}

export const presentCategory = (c: EffectiveCategory) => ({
  code: c.code, name: c.name, description: c.description, group: c.group, keywords: c.keywords, caseType: c.caseType,
  metadata: c.metadata, active: c.active, shipped: c.shipped, updatedAt: c.updatedAt?.toISOString() ?? null,
});

/** The catalogue for lists and forms: active categories only unless `includeInactive`. */
export async function listCategories(deps: Pick<Deps, 'db'>, opts: { includeInactive?: boolean } = {}) {
  const all = await effectiveCatalogue(deps);
  return { items: all.filter((c) => opts.includeInactive || c.active).map(presentCategory) };
}

function parse<T>(schema: z.ZodType<T>, input: unknown, field?: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badInput(field ?? (issue.path.map(String).join('.') || 'body'), issue.message);
  }
  return r.data;
}

/**
 * Changes a category, or adds one for a new code (name and group then required). Fields left out
 * keep their value. Names stay unique: older cases store a category by its name.
 * @throws bad_input for a bad code or field, a taken name, or deactivating the fallback `other`
 */
export async function upsertCategory(deps: Pick<Deps, 'db' | 'now'>, by: string, rawCode: unknown, input: unknown) {
  const code = parse(CategoryCode, rawCode, 'code');
  const body = parse(CategoryBody, input);
  const base = categoryByCode(code);
  const existing = await getCategoryOverride(deps.db.orm, code);
  if (!base && !existing) {
    if (!body.name) throw badInput('name', 'is required for a new category');
    if (!body.group) throw badInput('group', 'is required for a new category');
  }
  if (code === FALLBACK_CATEGORY && body.active === false) throw badInput('active', `the fallback category ${FALLBACK_CATEGORY} cannot be deactivated`);
  if (body.name) {
    const clash = (await effectiveCatalogue(deps)).find((c) => c.code !== code && c.name === body.name)
      ?? CATEGORIES.find((c) => c.code !== code && c.name === body.name);
    if (clash) throw badInput('name', `${body.name} is already the name of ${clash.code}`);
  }
  const row = await upsertCategoryOverride(deps.db.orm, {
    code,
    name: body.name ?? existing?.name ?? null,
    description: body.description ?? existing?.description ?? (base ? null : ''),
    group: body.group ?? existing?.group ?? null,
    keywords: body.keywords ?? existing?.keywords ?? (base ? null : []),
    caseType: body.caseType ?? existing?.caseType ?? null,
    active: body.active ?? existing?.active ?? true,
    updatedAt: deps.now(),
    updatedBy: by,
  });
  return presentCategory(merge(base, row));
}

/** Deactivates a category: it leaves forms and the Open311 list; its cases keep their code. */
export async function deactivateCategory(deps: Pick<Deps, 'db' | 'now'>, by: string, code: string) {
  if (!categoryByCode(code) && !(await getCategoryOverride(deps.db.orm, code))) throw notFound(`category ${code}`);
  return upsertCategory(deps, by, code, { active: false });
}
