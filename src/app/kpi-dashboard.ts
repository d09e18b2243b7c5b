/**
 * The leader dashboard's figures, read from the KPI rollups (never from the cases): a summary,
 * the volume trend, a ranking of child units, the districts for the map, and the channel / type /
 * category mix. Each is restricted to the actor's visible scope (policy.ts): a unit outside it is
 * a 404; an actor with an empty scope (admin, auditor) gets empty answers.
 */
import { z } from 'zod';
import type { StaffActor } from '../domain/actor.ts';
import { CASE_TYPE_LABELS } from '../domain/case.ts';
import { categoryByCode } from '../domain/categories.ts';
import { badInput, notFound } from '../domain/errors.ts';
import {
  addCounters, CHANNEL_LABELS, channelMix, CLOCK_NOTE, FIGURE_KEYS, FIGURES, figuresOf, KPI_COUNTERS, periodOf, rate, topCategories,
  trendBuckets, TYPE_LABELS_EN, typeMix, type Counters, type FigureKey,
} from '../domain/kpi.ts';
import type { Unit } from '../domain/org.ts';
import { visibleScope } from '../domain/policy.ts';
import { unitDays, unitMix, unitsWithChildren, unitTotals } from '../store/kpi.queries.ts';
import { getUnit, getUnits, listUnits, rootUnit } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';

const Day = z.string().trim().max(10);
export const PeriodQuery = z.object({
  /** First day, China time, YYYY-MM-DD; default 29 days before `to`. */
  from: Day.optional(),
  /** Last day (included); default today. */
  to: Day.optional(),
});
export const SummaryQuery = PeriodQuery.extend({ unitCode: z.string().trim().min(1).max(40).optional() });
export const TrendQuery = SummaryQuery.extend({ interval: z.enum(['day', 'week']).default('day') });
export const UnitsQuery = PeriodQuery.extend({
  parentCode: z.string().trim().min(1).max(40).optional(),
  sort: z.enum(['code', ...FIGURE_KEYS] as [FigureKey | 'code', ...(FigureKey | 'code')[]]).default('volume'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export const MixQuery = SummaryQuery.extend({ limit: z.coerce.number().int().min(1).max(50).default(10) });

/** The labels and formulas of every figure, for hover text. */
export const FORMULAS = { figures: FIGURES, clockNote: CLOCK_NOTE };

const presentUnit = (u: Unit | null) => (u ? { code: u.code, name: u.name, kind: u.kind } : null);

function period(deps: Deps, q: z.infer<typeof PeriodQuery>) {
  const p = periodOf(deps.now(), q.from, q.to);
  if ('field' in p) throw badInput(p.field, p.message);
  return p;
}

/**
 * The units whose subtrees the figures cover: `unitCode` when given (it must lie inside the
 * actor's scope: 404 otherwise), else the actor's scope roots (none for the admin and the
 * auditor; a root inside another is dropped). `unit` is what the figures describe: the named
 * unit, or the single root.
 */
async function scopeOf(deps: Deps, actor: StaffActor, unitCode: string | undefined): Promise<{ unit: Unit | null; units: string[] }> {
  const roots = visibleScope(actor).units;
  if (unitCode === undefined) {
    const found = await getUnits(deps.db.orm, roots);
    const top = found.filter((u) => !found.some((o) => o.code !== u.code && u.ancestors.includes(o.code)));
    return { unit: top.length === 1 ? top[0]! : null, units: top.map((u) => u.code) };
  }
  const unit = await getUnit(deps.db.orm, unitCode);
  if (!unit || !unit.ancestors.some((a) => roots.includes(a))) throw notFound('unit');
  return { unit, units: [unit.code] };
}

const sumOf = (m: ReadonlyMap<string, Counters>, codes: readonly string[]) => addCounters(...codes.map((c) => m.get(c) ?? {}));

/** The figures of the actor's subtree (or of a unit inside it) over a period, with their formulas. */
export async function kpiSummary(deps: Deps, actor: StaffActor, q: z.infer<typeof SummaryQuery>) {
  const p = period(deps, q);
  const s = await scopeOf(deps, actor, q.unitCode);
  const counts = sumOf(await unitTotals(deps.db.orm, s.units, p), s.units);
  return {
    ...p, unit: presentUnit(s.unit), counts, figures: figuresOf(counts),
    typeMix: {
      complaints: { count: counts.complaints, share: rate(counts.complaints, counts.accepted) },
      praise: { count: counts.praise, share: rate(counts.praise, counts.accepted) },
    },
    formulas: FORMULAS,
  };
}

/** Volume (and the resolution and satisfaction rates) per day or per ISO week, every bucket of the period present. */
export async function kpiTrend(deps: Deps, actor: StaffActor, q: z.infer<typeof TrendQuery>) {
  const p = period(deps, q);
  const s = await scopeOf(deps, actor, q.unitCode);
  const rows = (await Promise.all(s.units.map((u) => unitDays(deps.db.orm, u, p)))).flat();
  return {
    ...p, interval: q.interval, unit: presentUnit(s.unit),
    buckets: trendBuckets(rows, p.from, p.to, q.interval).map((b) => {
      const f = figuresOf(b.counters);
      return {
        start: b.start, end: b.end, volume: f.volume.value, received: f.received.value, complaints: f.complaints.value, praise: f.praise.value,
        resolutionRate: f.resolutionRate, satisfactionRate: f.satisfactionRate,
      };
    }),
    formulas: FORMULAS,
  };
}

interface RankedRow {
  code: string;
  name: string;
  kind: string;
  hasChildren: boolean;
  counts: Counters;
  figures: ReturnType<typeof figuresOf>;
}

/** Sorts by a figure (nulls last whatever the order), ties by code. */
function rank(rows: RankedRow[], sort: FigureKey | 'code', order: 'asc' | 'desc'): RankedRow[] {
  const dir = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (sort !== 'code') {
      const x = a.figures[sort].value, y = b.figures[sort].value;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) return (x - y) * dir;
    }
    return (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) * (sort === 'code' ? dir : 1);
  });
}

const minus = (a: Counters, b: Counters) => Object.fromEntries(KPI_COUNTERS.map((k) => [k, a[k] - b[k]])) as Counters;

/**
 * The ranking table: every child unit of `parentCode` (default: the scope's root) with its
 * figures, sorted; `direct` holds the cases led by the parent unit itself, `total` everything
 * under it. The parent must lie inside the actor's scope (404 otherwise).
 */
export async function kpiUnits(deps: Deps, actor: StaffActor, q: z.infer<typeof UnitsQuery>) {
  const p = period(deps, q);
  const parent = (await scopeOf(deps, actor, q.parentCode)).unit;
  if (!parent) return { ...p, parent: null, sort: q.sort, order: q.order, items: [], direct: null, total: null, formulas: FORMULAS };
  const children = await listUnits(deps.db.orm, { parentCode: parent.code, limit: 5000, offset: 0 });
  const codes = children.map((c) => c.code);
  const [totals, withChildren] = await Promise.all([unitTotals(deps.db.orm, [parent.code, ...codes], p), unitsWithChildren(deps.db.orm, codes)]);
  const items: RankedRow[] = children.map((u) => {
    const counts = totals.get(u.code) ?? addCounters();
    return { code: u.code, name: u.name, kind: u.kind, hasChildren: withChildren.has(u.code), counts, figures: figuresOf(counts) };
  });
  const total = totals.get(parent.code) ?? addCounters();
  const direct = minus(total, sumOf(totals, codes));
  return {
    ...p, parent: presentUnit(parent), sort: q.sort, order: q.order,
    items: rank(items, q.sort, q.order),
    direct: { counts: direct, figures: figuresOf(direct) },
    total: { counts: total, figures: figuresOf(total) },
    formulas: FORMULAS,
  };
}

/**
 * Per-district figures for the map: the city's districts that overlap the actor's scope, each
 * with the figures of the part of it inside the scope (`adcode` matches the GeoJSON's).
 */
export async function kpiDistricts(deps: Deps, actor: StaffActor, q: z.infer<typeof PeriodQuery>) {
  const p = period(deps, q);
  const roots = await getUnits(deps.db.orm, visibleScope(actor).units);
  const city = roots.length === 0 ? null : await rootUnit(deps.db.orm);
  if (!city) return { ...p, items: [], formulas: FORMULAS };
  const districts = await listUnits(deps.db.orm, { parentCode: city.code, kind: 'district', limit: 1000, offset: 0 });
  // A district inside the scope counts whole; one the scope only reaches into counts the roots inside it.
  const parts = districts.map((d) => ({
    district: d,
    codes: roots.some((r) => d.ancestors.includes(r.code)) ? [d.code] : roots.filter((r) => r.ancestors.includes(d.code)).map((r) => r.code),
  })).filter((x) => x.codes.length > 0);
  const totals = await unitTotals(deps.db.orm, [...new Set(parts.flatMap((x) => x.codes))], p);
  return {
    ...p,
    items: parts.map(({ district: d, codes }) => {
      const counts = sumOf(totals, codes);
      return { code: d.code, adcode: /^\d{6}$/.test(d.code) ? Number(d.code) : null, name: d.name, whole: codes[0] === d.code, counts, figures: figuresOf(counts) };
    }),
    formulas: FORMULAS,
  };
}

/** Channel mix, type mix (表扬 apart from complaints) and the top categories, by volume. */
export async function kpiMix(deps: Deps, actor: StaffActor, q: z.infer<typeof MixQuery>) {
  const p = period(deps, q);
  const s = await scopeOf(deps, actor, q.unitCode);
  const rows = (await Promise.all(s.units.map((u) => unitMix(deps.db.orm, u, p)))).flat();
  const by = (dim: 'channel' | 'type' | 'category') => {
    const m = new Map<string, Counters>();
    for (const r of rows) if (r.dim === dim) m.set(r.value, addCounters(m.get(r.value) ?? {}, r.counters));
    return m;
  };
  const volumes = (m: Map<string, Counters>) => new Map([...m].map(([k, c]) => [k, c.accepted]));
  const types = typeMix(volumes(by('type')));
  return {
    ...p, unit: presentUnit(s.unit),
    volume: [...by('type').values()].reduce((n, c) => n + c.accepted, 0),
    channels: channelMix(volumes(by('channel'))).map((c) => ({ channel: c.key, label: CHANNEL_LABELS[c.key], count: c.count, share: c.share })),
    types: types.types.map((t) => ({ type: t.key, label: { zh: CASE_TYPE_LABELS[t.key], en: TYPE_LABELS_EN[t.key] }, count: t.count, share: t.share })),
    complaints: types.complaints,
    praise: types.praise,
    categories: topCategories([...by('category')].map(([category, counters]) => ({ category, counters })), q.limit)
      .map((c) => ({ ...c, name: c.category === null ? '未分类' : categoryByCode(c.category)?.name ?? c.category })),
    formulas: FORMULAS,
  };
}
