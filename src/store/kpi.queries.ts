/**
 * KPI rollups: each case's contribution, the leaf deltas appended by events, the fold that adds
 * them into the subtree totals (kpi_rollups, kpi_mix: one row per unit on the path, per day), the
 * rebuild, and the dashboard's reads. A read sums a unit's rows plus the deltas under it not yet
 * folded, in one statement (one snapshot), so it never counts a change twice or misses one. Reads
 * take unit codes: the caller has checked that they lie inside the actor's scope.
 */
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Status } from '../domain/case.ts';
import type { ClockState } from '../domain/clocks.ts';
import { KPI_COUNTERS, MIX_COUNTERS, zeroCounters, type Contribution, type Counters, type KpiCaseFacts } from '../domain/kpi.ts';
import { rowsOf, type Tx } from './db.ts';
import { cases, kpiContributions, kpiDeltas, kpiMix, kpiRollups } from './schema.ts';
import { ADVISORY_LOCKS } from './advisory-locks.ts';

const snake = (c: string) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
const list = (xs: readonly string[]) => sql.raw(xs.join(', '));
const COUNTERS = KPI_COUNTERS.map(snake), MIXED = MIX_COUNTERS.map(snake);
const textArray = (xs: readonly string[]) => sql`array[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;
/** `sum(x)::int as x, …` */
const sums = (cols: readonly string[], prefix = '') => sql.raw(cols.map((c) => `coalesce(sum(${prefix}${c}), 0)::int as ${c}`).join(', '));
/** The three mix dimensions of a leaf row `m`, as (dim, value) rows. */
const DIMS = sql.raw(`(values ('channel', m.channel), ('type', m.type), ('category', m.category)) as d(dim, value)`);

/** Reads the counters of a jsonb object (missing or malformed fields are 0). */
export function countersOf(v: unknown): Counters {
  const out = zeroCounters();
  if (v && typeof v === 'object') {
    for (const k of KPI_COUNTERS) {
      const x = (v as Record<string, unknown>)[k];
      if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
    }
  }
  return out;
}

const factsColumns = {
  id: cases.id, createdAt: cases.createdAt, intakeUnitCode: cases.intakeUnitCode, leadUnitCode: cases.leadUnitCode,
  channel: cases.channel, type: cases.type, category: cases.category, status: cases.status, dispatchedAt: cases.dispatchedAt,
  rating: cases.rating, clocks: cases.clocks,
  kDay: kpiContributions.day, kUnit: kpiContributions.unitCode, kChannel: kpiContributions.channel, kType: kpiContributions.type,
  kCategory: kpiContributions.category, kCounters: kpiContributions.counters,
};
type FactsRow = { [K in keyof typeof factsColumns]: (typeof factsColumns)[K]['_']['data'] | null };

export interface CaseKpiState {
  id: string;
  facts: KpiCaseFacts;
  /** The contribution last written for the case; null before its first. */
  stored: Contribution | null;
}

function toKpiState(r: FactsRow): CaseKpiState {
  const rating = r.rating as { resolved?: unknown; satisfied?: unknown } | null;
  return {
    id: r.id!,
    facts: {
      createdAt: r.createdAt!, intakeUnitCode: r.intakeUnitCode!, leadUnitCode: r.leadUnitCode, channel: r.channel!, type: r.type!,
      category: r.category, status: r.status as Status, dispatchedAt: r.dispatchedAt,
      rating: rating ? { resolved: rating.resolved === true, satisfied: rating.satisfied === true } : null,
      clocks: Array.isArray(r.clocks) ? (r.clocks as Pick<ClockState, 'name' | 'state' | 'onTime'>[]) : [],
    },
    stored: r.kDay === null ? null : {
      key: { day: r.kDay, unitCode: r.kUnit!, channel: r.kChannel!, type: r.kType!, category: r.kCategory! },
      counters: countersOf(r.kCounters),
    },
  };
}

/** A case's KPI facts and its stored contribution; null when the case does not exist. */
export async function caseKpiState(tx: Tx, caseId: string): Promise<CaseKpiState | null> {
  const [row] = await tx.select(factsColumns).from(cases)
    .leftJoin(kpiContributions, eq(kpiContributions.caseId, cases.id)).where(eq(cases.id, caseId));
  return row ? toKpiState(row as FactsRow) : null;
}

/** The next `limit` cases after `after` in id order, locked until the transaction ends, with their KPI state. */
export async function lockCaseKpiStates(tx: Tx, after: string | null, limit: number): Promise<CaseKpiState[]> {
  const rows = await tx.select(factsColumns).from(cases)
    .leftJoin(kpiContributions, eq(kpiContributions.caseId, cases.id))
    .where(after === null ? undefined : gt(cases.id, after)).orderBy(asc(cases.id)).limit(limit).for('update', { of: cases });
  return rows.map((r) => toKpiState(r as FactsRow));
}

/** Stores what the cases contribute now. */
export async function saveContributions(tx: Tx, list: readonly { caseId: string; contribution: Contribution }[]): Promise<void> {
  if (list.length === 0) return;
  await tx.insert(kpiContributions)
    .values(list.map(({ caseId, contribution: c }) => ({ caseId, ...c.key, counters: c.counters })))
    .onConflictDoUpdate({
      target: kpiContributions.caseId,
      set: {
        day: sql`excluded.day`, unitCode: sql`excluded.unit_code`, channel: sql`excluded.channel`, type: sql`excluded.type`,
        category: sql`excluded.category`, counters: sql`excluded.counters`,
      },
    });
}

/** Appends rollup deltas (in the given order); each row's unit path is read from the org tree. */
export async function appendDeltas(tx: Tx, deltas: readonly Contribution[]): Promise<void> {
  if (deltas.length === 0) return;
  await tx.insert(kpiDeltas).values(deltas.map((d) => ({
    ...d.key,
    unitPath: sql`coalesce((select ancestors from units where code = ${d.key.unitCode}), array[${d.key.unitCode}]::text[])`,
    ...d.counters,
  })));
}

/** Any number of nodes may fold; one at a time does (the others skip). */
const FOLD_LOCK = ADVISORY_LOCKS.kpiFold;

/**
 * Moves up to `limit` deltas (oldest first) into the subtree totals — every unit on each delta's
 * path, per day, and per channel, type and category — and drops rows left at zero, inside the
 * caller's transaction. Returns how many deltas it folded; 0 when another fold holds the lock.
 */
export async function foldDeltas(tx: Tx, limit: number): Promise<number> {
  const [lock] = await rowsOf<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${FOLD_LOCK}) as ok`);
  if (!lock?.ok) return 0;
  const add = (table: string, cols: readonly string[]) => sql.raw(cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));
  const rows = await rowsOf<{ moved: number; t: 'r' | 'm'; unit_code: string; day: string; dim: string | null; value: string | null; n: number }>(tx, sql`
    with moved as (
      delete from kpi_deltas where id in (select id from kpi_deltas order by id limit ${limit}) returning *
    ), up as (
      insert into kpi_rollups (unit_code, day, ${list(COUNTERS)})
      select u.code, m.day, ${sums(COUNTERS, 'm.')} from moved m cross join unnest(m.unit_path) as u(code)
      group by u.code, m.day order by u.code, m.day
      on conflict (unit_code, day) do update set ${add('kpi_rollups', COUNTERS)}
      returning unit_code, day, received
    ), upmix as (
      insert into kpi_mix (unit_code, day, dim, value, ${list(MIXED)})
      select u.code, m.day, d.dim, d.value, ${sums(MIXED, 'm.')} from moved m cross join unnest(m.unit_path) as u(code) cross join lateral ${DIMS}
      where ${sql.raw(MIXED.map((c) => `m.${c} <> 0`).join(' or '))}
      group by u.code, m.day, d.dim, d.value order by u.code, m.day, d.dim, d.value
      on conflict (unit_code, day, dim, value) do update set ${add('kpi_mix', MIXED)}
      returning unit_code, day, dim, value, accepted
    )
    select (select count(*) from moved)::int as moved, 'r' as t, unit_code, day::text as day, null as dim, null as value, received as n from up
    union all
    select (select count(*) from moved)::int, 'm', unit_code, day::text, dim, value, accepted from upmix`);
  // Every counter of a case is at most its `received` (its `accepted` in the mix): 0 there means an empty row.
  const emptyR = rows.filter((r) => r.t === 'r' && Number(r.n) === 0);
  const emptyM = rows.filter((r) => r.t === 'm' && Number(r.n) === 0);
  if (emptyR.length > 0) {
    const keys = sql.join(emptyR.map((r) => sql`(${r.unit_code}, ${r.day}::date)`), sql`, `);
    await tx.execute(sql`delete from kpi_rollups where (unit_code, day) in (${keys}) and received = 0`);
  }
  if (emptyM.length > 0) {
    const keys = sql.join(emptyM.map((r) => sql`(${r.unit_code}, ${r.day}::date, ${r.dim}, ${r.value})`), sql`, `);
    await tx.execute(sql`delete from kpi_mix where (unit_code, day, dim, value) in (${keys}) and accepted = 0`);
  }
  return Number(rows[0]?.moved ?? 0);
}

export async function countDeltas(tx: Tx): Promise<number> {
  const [r] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from kpi_deltas`);
  return Number(r?.n ?? 0);
}

/** Drops the contributions of cases that no longer exist; returns how many. */
export async function dropOrphanContributions(tx: Tx): Promise<number> {
  const rows = await rowsOf<{ case_id: string }>(tx, sql`
    delete from kpi_contributions k where not exists (select 1 from cases c where c.id = k.case_id) returning case_id`);
  return rows.length;
}

/**
 * Replaces the subtree totals with the sums of the stored contributions and empties kpi_deltas,
 * holding those tables meanwhile (events wait to append; dashboards keep reading the old rows).
 * Returns the numbers of rows.
 */
export async function replaceRollupsFromContributions(tx: Tx): Promise<{ rows: number; mixRows: number }> {
  await tx.execute(sql`lock table kpi_deltas, kpi_rollups, kpi_mix in exclusive mode`);
  await tx.execute(sql`delete from kpi_deltas`);
  await tx.execute(sql`delete from kpi_rollups`);
  await tx.execute(sql`delete from kpi_mix`);
  const leaf = sql.raw(`select k.day, k.channel, k.type, k.category, coalesce(u.ancestors, array[k.unit_code]::text[]) as unit_path, ${
    KPI_COUNTERS.map((c) => `coalesce((k.counters ->> '${c}')::int, 0) as ${snake(c)}`).join(', ')}
    from kpi_contributions k left join units u on u.code = k.unit_code`);
  const [r] = await rowsOf<{ n: number }>(tx, sql`
    with ins as (
      insert into kpi_rollups (unit_code, day, ${list(COUNTERS)})
      select a.code, m.day, ${sums(COUNTERS, 'm.')} from (${leaf}) m cross join unnest(m.unit_path) as a(code)
      group by a.code, m.day
      returning 1
    ) select count(*)::int as n from ins`);
  const [x] = await rowsOf<{ n: number }>(tx, sql`
    with ins as (
      insert into kpi_mix (unit_code, day, dim, value, ${list(MIXED)})
      select a.code, m.day, d.dim, d.value, ${sums(MIXED, 'm.')} from (${leaf}) m cross join unnest(m.unit_path) as a(code) cross join lateral ${DIMS}
      where m.accepted <> 0
      group by a.code, m.day, d.dim, d.value
      returning 1
    ) select count(*)::int as n from ins`);
  return { rows: Number(r?.n ?? 0), mixRows: Number(x?.n ?? 0) };
}

export async function countCases(tx: Tx): Promise<number> {
  const [r] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from cases`);
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Reads: a unit's rows in kpi_rollups / kpi_mix plus the pending deltas under it.

export interface Period {
  /** First and last China-time day, included. */
  from: string;
  to: string;
}

const inPeriod = (p: Period, alias: string) => sql`${sql.raw(alias)}.day between ${p.from}::date and ${p.to}::date`;
const SUM_AS = (cols: readonly string[]) => sql.raw(cols.map((c) => `coalesce(sum(r.${snake(c)}), 0)::int as "${c}"`).join(', '));
const toCounters = (r: Record<string, unknown>): Counters => {
  const out = zeroCounters();
  for (const c of KPI_COUNTERS) if (c in r) out[c] = Number(r[c]);
  return out;
};

/** Counters per unit (each unit's whole subtree) over the period; units without rows are absent. */
export async function unitTotals(tx: Tx, units: readonly string[], p: Period): Promise<Map<string, Counters>> {
  if (units.length === 0) return new Map();
  const cols = list(COUNTERS);
  const rows = await rowsOf<Record<string, unknown> & { unit: string }>(tx, sql`
    select r.unit, ${SUM_AS(KPI_COUNTERS)} from (
      select unit_code as unit, ${cols} from kpi_rollups k where k.unit_code in (${sql.join(units.map((u) => sql`${u}`), sql`, `)}) and ${inPeriod(p, 'k')}
      union all
      select u.code, ${sql.raw(COUNTERS.map((c) => `d.${c}`).join(', '))} from kpi_deltas d cross join unnest(d.unit_path) as u(code)
      where u.code in (${sql.join(units.map((x) => sql`${x}`), sql`, `)}) and ${inPeriod(p, 'd')}
    ) r group by r.unit`);
  return new Map(rows.map((r) => [r.unit, toCounters(r)]));
}

/** Counters of one unit's subtree per day of the period (days without rows are absent). */
export async function unitDays(tx: Tx, unit: string, p: Period): Promise<{ day: string; counters: Counters }[]> {
  const cols = list(COUNTERS);
  const rows = await rowsOf<Record<string, unknown> & { day: string }>(tx, sql`
    select r.day::text as day, ${SUM_AS(KPI_COUNTERS)} from (
      select day, ${cols} from kpi_rollups k where k.unit_code = ${unit} and ${inPeriod(p, 'k')}
      union all
      select day, ${cols} from kpi_deltas d where d.unit_path @> ${textArray([unit])} and ${inPeriod(p, 'd')}
    ) r group by r.day`);
  return rows.map((r) => ({ day: r.day, counters: toCounters(r) }));
}

/** Mix counters of one unit's subtree over the period, per channel, type and category. */
export async function unitMix(tx: Tx, unit: string, p: Period): Promise<{ dim: 'channel' | 'type' | 'category'; value: string; counters: Counters }[]> {
  const cols = list(MIXED);
  const rows = await rowsOf<Record<string, unknown> & { dim: 'channel' | 'type' | 'category'; value: string }>(tx, sql`
    select r.dim, r.value, ${SUM_AS(MIX_COUNTERS)} from (
      select dim, value, ${cols} from kpi_mix k where k.unit_code = ${unit} and ${inPeriod(p, 'k')}
      union all
      select d.dim, d.value, ${sql.raw(MIXED.map((c) => `m.${c}`).join(', '))} from kpi_deltas m cross join lateral ${DIMS}
      where m.unit_path @> ${textArray([unit])} and ${inPeriod(p, 'm')}
    ) r group by r.dim, r.value`);
  return rows.map((r) => ({ dim: r.dim, value: r.value, counters: toCounters(r) }));
}

/** Which of these units have children (for drilling down). */
export async function unitsWithChildren(tx: Tx, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await rowsOf<{ code: string }>(tx, sql`select distinct parent_code as code from units where parent_code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})`);
  return new Set(rows.map((r) => r.code));
}

/** Every rollup and mix row in key order, for comparing the incremental rollups with a rebuild (tests). */
export async function allRollups(tx: Tx) {
  return {
    rollups: await tx.select().from(kpiRollups).orderBy(asc(kpiRollups.unitCode), asc(kpiRollups.day)),
    mix: await tx.select().from(kpiMix).orderBy(asc(kpiMix.unitCode), asc(kpiMix.day), asc(kpiMix.dim), asc(kpiMix.value)),
  };
}
