/**
 * The routing suggestion (派单建议) for a request: gathers the facts the rules match on (the chosen
 * or predicted category with its catalogue group, the place, the channel, the bureau classifier's
 * predictions), loads the org units the rules may name, and asks the pure rules
 * (domain/routing.ts). Used at intake (intake-intel.ts stores it with the case's suggestions)
 * and by the operator's desk before a case exists (POST /api/v1/intel/route).
 */
import { z } from 'zod';
import { CASE_TYPES, CHANNELS, type CaseType, type Channel } from '../../domain/case.ts';
import { CATEGORIES, FALLBACK_CATEGORY } from '../../domain/categories.ts';
import { badInput } from '../../domain/errors.ts';
import type { UnitKind } from '../../domain/org.ts';
import {
  BUREAU_MODEL_KIND, suggestRoute, type CategoryFact, type RouteFacts, type RouteSuggestion, type RouteUnit, type RoutingRule,
} from '../../domain/routing.ts';
import { resolveAddress, type ResolvedAddress } from '../../intel/address.ts';
import { predict, type Prediction } from '../../intel/classifier.ts';
import { listCategoryOverrides } from '../../store/categories.queries.ts';
import type { Tx } from '../../store/db.ts';
import { getUnits } from '../../store/units.queries.ts';
import type { Deps } from '../deps.ts';
import { routingRules } from '../routing-rules.ts';
import { activeModel } from './intake-intel.ts';

const PLACE_KINDS: readonly UnitKind[] = ['district', 'street', 'community', 'site'];
/** How sure the intake unit is as the request's place: a QR code hangs where the matter is; a walk-in or call is only near it. */
const INTAKE_PLACE_CONFIDENCE = { qr: 0.9, other: 0.6 };

export interface RouteRequest {
  text: string;
  channel: Channel;
  type?: CaseType | null;
  /** The category a person chose, if any. */
  category?: string | null;
  /** The category classifier's top predictions. */
  categories: readonly Prediction[];
  location: ResolvedAddress | null;
  intakeUnitCode: string | null;
}

/** The suggestion for a request. Throws when the rules in force end without a usable fallback. */
export async function routeRequest(tx: Tx, deps: Pick<Deps, 'db'>, req: RouteRequest): Promise<RouteSuggestion> {
  const { rules } = await routingRules(tx, deps.db);
  const catalogue = await catalogueOf(tx);
  const fact = (label: string, confidence: number, source: CategoryFact['source']): CategoryFact => {
    const c = catalogue.get(label);
    return { label, code: c?.code ?? null, name: c?.name ?? null, group: c?.group ?? null, confidence, source };
  };
  const predicted = req.categories.map((p) => fact(p.label, p.confidence, 'classifier'));
  const given = req.category && !(req.category === FALLBACK_CATEGORY && predicted.length) ? fact(req.category, 1, 'given') : null;
  const category = given ?? predicted[0] ?? null;
  const others = predicted.filter((p) => p !== category && p.label !== category?.label);

  const seeds = await getUnits(tx, [req.intakeUnitCode, req.location?.unitCode].filter((c): c is string => !!c));
  const intake = seeds.find((u) => u.code === req.intakeUnitCode);
  const place: RouteFacts['place'] = req.location
    ? { unitCode: req.location.unitCode, confidence: req.location.confidence, source: 'address' }
    : intake && PLACE_KINDS.includes(intake.kind)
      ? { unitCode: intake.code, confidence: req.channel === 'qr' ? INTAKE_PLACE_CONFIDENCE.qr : INTAKE_PLACE_CONFIDENCE.other, source: 'intake' }
      : null;

  const bureau = rules.some((r) => r.target.kind === 'classifier') ? await bureauPredictions(tx, deps, req.text) : null;
  const facts: RouteFacts = {
    text: req.text, channel: req.channel, type: req.type ?? null, category, otherCategories: others, place,
    intakeUnitCode: req.intakeUnitCode, bureau,
  };
  const units = await unitsFor(tx, rules, seeds.find((u) => u.code === place?.unitCode) ?? null, intake ?? null);
  return suggestRoute(rules, facts, (code) => units.get(code));
}

/** The bureau classifier's top 3, or null when no bureau model is stored. */
async function bureauPredictions(tx: Tx, deps: Pick<Deps, 'db'>, text: string): Promise<Prediction[] | null> {
  const active = await activeModel(deps, tx, BUREAU_MODEL_KIND);
  return active ? predict(active.model, text, 3) : null;
}

/** Catalogue entries by code and by name, administrators' changes included. */
async function catalogueOf(tx: Tx): Promise<Map<string, { code: string; name: string; group: string }>> {
  const out = new Map<string, { code: string; name: string; group: string }>();
  const overrides = await listCategoryOverrides(tx);
  const byCode = new Map(overrides.map((o) => [o.code, o]));
  for (const c of CATEGORIES) {
    const o = byCode.get(c.code);
    const e = { code: c.code, name: o?.name ?? c.name, group: o?.group ?? c.group };
    out.set(c.code, e).set(c.name, e).set(e.name, e);
  }
  for (const o of overrides) {
    if (out.has(o.code)) continue;
    const e = { code: o.code, name: o.name ?? o.code, group: o.group ?? '其他' };
    out.set(o.code, e).set(e.name, e);
  }
  return out;
}

/**
 * The units the rules may name for this request: the place and its ancestors, the intake unit,
 * every unit a rule names, and each branch target's branch in the place's district.
 */
async function unitsFor(tx: Tx, rules: readonly RoutingRule[], place: RouteUnit | null, intake: RouteUnit | null): Promise<Map<string, RouteUnit>> {
  const codes = new Set<string>([...(place?.ancestors ?? []), ...(intake ? [intake.code] : [])]);
  for (const r of rules) {
    const t = r.target;
    if (t.kind === 'unit') codes.add(t.unit);
    if (t.kind !== 'unit' && t.orUnit) codes.add(t.orUnit);
    if (t.kind === 'classifier') Object.values(t.labels).forEach((c) => codes.add(c));
    if (t.kind === 'branch') place?.ancestors.forEach((a) => codes.add(`${t.bureau}-${a}`));
  }
  return new Map((await getUnits(tx, [...codes])).map((u) => [u.code, u]));
}

export const RouteBody = z.object({
  text: z.string().trim().min(2, 'must be at least 2 characters').max(5000, 'must be at most 5000 characters'),
  address: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  channel: z.enum(CHANNELS).default('hotline'),
  type: z.enum(CASE_TYPES).optional(),
  category: z.string().trim().min(1).max(40).optional(),
}).strict();

/**
 * A suggestion for a request not yet registered (the operator's desk, `suqiu intel route`): the
 * place from the address (else the text), the category classifier's top 3, and the unit that
 * would take it in (the operator's; none from the command line).
 */
export async function suggestRouteFor(deps: Pick<Deps, 'db'>, intakeUnitCode: string | null, body: z.input<typeof RouteBody>) {
  const parsed = RouteBody.safeParse(body);
  if (!parsed.success) throw badInput(parsed.error.issues[0]!.path.join('.') || 'body', parsed.error.issues[0]!.message);
  const { text, address, channel, type, category } = parsed.data;
  const location = (address ? resolveAddress(address) : null) ?? resolveAddress(text);
  return deps.db.orm.transaction(async (tx) => {
    const model = await activeModel(deps, tx);
    const categories = model ? predict(model.model, text, 3).map((p) => ({ label: p.label, confidence: Math.round(p.confidence * 1000) / 1000 })) : [];
    const route = await routeRequest(tx, deps, {
      text, channel, type: type ?? null, category: category ?? null, categories, location, intakeUnitCode,
    });
    return { route, categories, location };
  });
}
