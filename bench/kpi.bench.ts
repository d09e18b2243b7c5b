/**
 * Dashboard latency on the KPI rollups: on a throwaway PostgreSQL holding the rollups of N
 * synthetic cases (contributions made by the real domain/kpi.ts `caseContribution`, spread over
 * the Shenzhen tree with a skew, over a year, summed by the rebuild's SQL), times the dashboard's
 * use cases — summary, ranking, districts, trend, mix — at the city, district, street and
 * community levels, with pending deltas to add in; then a fold of those deltas.
 *
 *   npm run bench -- kpi [--cases 200000] [--days 365] [--runs 30] [--pending 2000]
 *
 * `--cases` takes a list (`50000,200000,1000000`) to show how the cost grows with the cases.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../src/app/deps.ts';
import { kpiDistricts, kpiMix, kpiSummary, kpiTrend, kpiUnits } from '../src/app/kpi-dashboard.ts';
import { foldRollups } from '../src/app/kpi-rollups.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import type { StaffActor } from '../src/domain/actor.ts';
import { CATEGORIES } from '../src/domain/categories.ts';
import type { ClockName } from '../src/domain/clock-policy.ts';
import { addDays, caseContribution, type Contribution, type KpiCaseFacts } from '../src/domain/kpi.ts';
import { makeDb, migrate, rowsOf, type Db } from '../src/store/db.ts';
import { appendDeltas, replaceRollupsFromContributions, saveContributions } from '../src/store/kpi.queries.ts';
import { startCluster } from '../test/pg-cluster.ts';

const arg = (args: string[], name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TODAY = '2026-11-27';
const NOW = new Date('2026-11-27T04:00:00Z');

interface UnitRow { code: string; kind: string; ancestors: string[] }

/** The contributions of `n` synthetic cases (deterministic). */
function synthesize(n: number, days: number, units: UnitRow[], seed = 42): Contribution[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[], skew = 1) => xs[Math.floor(Math.pow(rnd(), skew) * xs.length)]!;
  const weighted = <T extends string>(w: Record<T, number>): T => {
    let x = rnd() * Object.values<number>(w).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries<number>(w)) if ((x -= v) < 0) return k as T;
    return Object.keys(w)[0] as T;
  };
  const byKind = (k: string) => units.filter((u) => u.kind === k);
  const communities = byKind('community'), streets = byKind('street'), districts = byKind('district'), stations = byKind('station');
  const categories = CATEGORIES.map((c) => c.code);
  const clock = (name: ClockName, p: number) => ({ name, state: 'met' as const, onTime: rnd() < p });
  const out: Contribution[] = [];
  for (let i = 0; i < n; i++) {
    const tier = rnd();
    // Most cases are handled by communities and streets; a skew makes some places far busier.
    const lead = tier < 0.6 ? pick(communities, 2) : tier < 0.9 ? pick(streets, 2) : tier < 0.95 ? pick(districts) : pick(stations, 2);
    const status = weighted({ closed: 60, resolved: 10, signed: 8, dispatched: 3, reopened: 2, answered: 8, merged: 4, withdrawn: 2, not_accepted: 1, pending: 2 });
    const handled = !['answered', 'merged', 'withdrawn', 'not_accepted'].includes(status);
    const rated = (status === 'closed' || status === 'reopened') && rnd() < 0.8;
    const day = addDays(TODAY, -Math.floor(rnd() * days));
    out.push(caseContribution({
      createdAt: new Date(`${day}T02:00:00Z`), intakeUnitCode: lead.code, leadUnitCode: handled ? lead.code : null,
      channel: weighted({ qr: 35, hotline: 30, web: 15, walk_in: 10, mailbox: 5, open311: 5 }),
      type: weighted({ complaint: 40, help: 25, consult: 15, report: 8, suggestion: 7, praise: 5 }),
      category: rnd() < 0.05 ? null : pick(categories, 1.5),
      status: status as KpiCaseFacts['status'], dispatchedAt: handled ? new Date() : null,
      rating: rated ? { resolved: status === 'closed' || rnd() < 0.3, satisfied: status === 'closed' && rnd() < 0.95 } : null,
      clocks: handled ? [clock('sign', 0.97), clock('contact', 0.9), clock('first_feedback', 0.92), clock('resolve', 0.85)] : [],
    }));
  }
  return out;
}

/** Stores the contributions as those of `n` cases, then builds the rollups from them as `kpi rebuild` does; returns the build's ms. */
async function load(db: Db, list: Contribution[]): Promise<number> {
  for (let i = 0; i < list.length; i += 2000) {
    await saveContributions(db.orm, list.slice(i, i + 2000).map((contribution) => ({ caseId: randomUUID(), contribution })));
  }
  const t = performance.now();
  await db.orm.transaction((tx) => replaceRollupsFromContributions(tx));
  return performance.now() - t;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

async function time(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)]!, p95: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))]! };
}

export default async function run(args: string[]): Promise<void> {
  const sizes = arg(args, 'cases', '200000').split(',').map(Number);
  const days = Number(arg(args, 'days', '365'));
  const runs = Number(arg(args, 'runs', '30'));
  const pending = Number(arg(args, 'pending', '2000'));
  const cluster = await startCluster();
  try {
    for (const [i, n] of sizes.entries()) {
      const db = await makeDb({ url: cluster.url });
      try {
        if (i === 0) {
          const [v] = await rowsOf<{ v: string }>(db.orm, sql`select version() as v`);
          console.log(`${v!.v.split(',')[0]}; ${days} days of cases; each figure: median (p50) and p95 of ${runs} runs, in ms, through the use case\n`);
        }
        await db.orm.execute(sql`drop schema public cascade; create schema public; drop schema if exists drizzle cascade`);
        await migrate(db);
        await seedOrg(db);
        const units = await rowsOf<UnitRow>(db.orm, sql`select code, kind, ancestors from units`);
        const t0 = performance.now();
        const buildMs = await load(db, synthesize(n, days, units));
        // Deltas not yet folded, as a busy server has between folds: readers add them in.
        await appendDeltas(db.orm, synthesize(pending, 2, units, 7));
        await db.orm.execute(sql`analyze`);
        const [size] = await rowsOf<{ r: number; m: number; rs: string; ms: string }>(db.orm, sql`
          select (select count(*) from kpi_rollups)::int as r, (select count(*) from kpi_mix)::int as m,
            pg_size_pretty(pg_total_relation_size('kpi_rollups')) as rs, pg_size_pretty(pg_total_relation_size('kpi_mix')) as ms`);
        console.log(`${n.toLocaleString('en')} cases → ${size!.r.toLocaleString('en')} subtree rows (${size!.rs}) and ${size!.m.toLocaleString('en')} mix rows (${size!.ms}), `
          + `built from the contributions in ${(buildMs / 1000).toFixed(1)} s (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s); + ${pending} pending deltas`);

        const deps = { db, now: () => NOW } as unknown as Deps;
        const leader = (unitCode: string): StaffActor => ({ kind: 'staff', id: 'bench', role: 'leader', unitCode });
        const busiest = async (kind: string) => (await rowsOf<{ c: string }>(db.orm, sql`
          select r.unit_code as c from kpi_rollups r join units u on u.code = r.unit_code where u.kind = ${kind}
          group by 1 order by sum(r.accepted) desc limit 1`))[0]!.c;
        const street = await busiest('street'), community = await busiest('community'), district = street.slice(0, 6);
        const month = { from: addDays(TODAY, -29), to: TODAY }, year = { from: addDays(TODAY, -(days - 1)), to: TODAY };
        const children = async (code: string) => (await rowsOf<{ code: string }>(db.orm, sql`select code from units where parent_code = ${code}`)).map((r) => r.code);
        const cityKids = await children('4403'), districtKids = await children(district), streetKids = await children(street);
        const districtCodes = (await rowsOf<{ code: string }>(db.orm, sql`select code from units where kind = 'district'`)).map((r) => r.code);
        /** Rollup rows a query reads (pending deltas aside): the cost that must not grow with the cases. */
        const rowsRead = async (table: 'kpi_rollups' | 'kpi_mix', units: string[], p: { from: string; to: string }) => (await rowsOf<{ n: number }>(db.orm, sql`
          select count(*)::int as n from ${sql.raw(table)} where unit_code in (${sql.join(units.map((u) => sql`${u}`), sql`, `)}) and day between ${p.from}::date and ${p.to}::date`))[0]!.n;
        const cases: [string, () => Promise<unknown>, 'kpi_rollups' | 'kpi_mix', string[], { from: string; to: string }][] = [
          ['summary  city       30 d', () => kpiSummary(deps, leader('4403'), month), 'kpi_rollups', ['4403'], month],
          ['summary  city      365 d', () => kpiSummary(deps, leader('4403'), year), 'kpi_rollups', ['4403'], year],
          ['summary  district   30 d', () => kpiSummary(deps, leader(district), month), 'kpi_rollups', [district], month],
          ['summary  street     30 d', () => kpiSummary(deps, leader(street), month), 'kpi_rollups', [street], month],
          ['summary  community 365 d', () => kpiSummary(deps, leader(community), year), 'kpi_rollups', [community], year],
          ['ranking  city → districts, bureaus 30 d', () => kpiUnits(deps, leader('4403'), { ...month, sort: 'resolutionRate', order: 'desc' }), 'kpi_rollups', ['4403', ...cityKids], month],
          ['ranking  city → districts, bureaus 365 d', () => kpiUnits(deps, leader('4403'), { ...year, sort: 'resolutionRate', order: 'desc' }), 'kpi_rollups', ['4403', ...cityKids], year],
          ['ranking  district → streets 30 d', () => kpiUnits(deps, leader(district), { ...month, sort: 'volume', order: 'desc' }), 'kpi_rollups', [district, ...districtKids], month],
          ['ranking  street → communities 30 d', () => kpiUnits(deps, leader(street), { ...month, sort: 'satisfactionRate', order: 'desc' }), 'kpi_rollups', [street, ...streetKids], month],
          ['districts (map) city 30 d', () => kpiDistricts(deps, leader('4403'), month), 'kpi_rollups', districtCodes, month],
          ['trend    city 365 d by week', () => kpiTrend(deps, leader('4403'), { ...year, interval: 'week' }), 'kpi_rollups', ['4403'], year],
          ['trend    street 30 d by day', () => kpiTrend(deps, leader(street), { ...month, interval: 'day' }), 'kpi_rollups', [street], month],
          ['mix      city 30 d', () => kpiMix(deps, leader('4403'), { ...month, limit: 10 }), 'kpi_mix', ['4403'], month],
          ['mix      city 365 d', () => kpiMix(deps, leader('4403'), { ...year, limit: 10 }), 'kpi_mix', ['4403'], year],
          ['mix      street 30 d', () => kpiMix(deps, leader(street), { ...month, limit: 10 }), 'kpi_mix', [street], month],
        ];
        console.log(`  ${'query'.padEnd(42)}${pad('rows read', 10)}${pad('p50', 8)}${pad('p95', 8)}`);
        for (const [name, fn, table, read, p] of cases) {
          const r = await time(runs, fn);
          console.log(`  ${name.padEnd(42)}${pad(await rowsRead(table, read, p), 10)}${pad(r.p50.toFixed(1), 8)}${pad(r.p95.toFixed(1), 8)}`);
        }
        const t = performance.now();
        const folded = await foldRollups(db);
        console.log(`  fold of ${folded} pending deltas: ${(performance.now() - t).toFixed(0)} ms\n`);
      } finally {
        await db.close();
      }
    }
  } finally {
    await cluster.stop();
  }
}
