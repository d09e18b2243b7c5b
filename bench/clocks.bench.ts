/**
 * The clock scanner at scale, on a throwaway PostgreSQL: 1,000,000 open cases whose next points
 * lie in the coming month (inserted with generate_series), plus a window of cases whose points
 * fall due during the run. The real scanner (startClockScanner, wall clock) raises them; we report
 * the lag from due time to event (p50/p99), the cost per sweep, and EXPLAIN (ANALYZE, BUFFERS) of
 * the claim at 100k and at 1M open clocks to show it is an index range scan over the due rows only.
 *
 *   npm run bench -- clocks [--open 1000000] [--window 60] [--rate 40] [--batch 100] [--interval 1000] [--durable]
 *
 * The window cases run a bench policy whose sign clock is 30 s (warnings at 15 s and 24 s), so a
 * minute of wall time carries `rate` new cases a second, three points each.
 */
import { sql } from 'drizzle-orm';
import { addUser } from '../src/app/add-user.ts';
import { loadClockConfig, recomputeCases } from '../src/app/case-clocks.ts';
import { makeLogger, type Deps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_POLICIES, type ClockPolicy } from '../src/domain/clock-policy.ts';
import { computeClocks } from '../src/domain/clocks.ts';
import { makeWorkCalendar } from '../src/domain/work-calendar.ts';
import { startClockScanner, type SweepResult } from '../src/jobs/clock-scanner.job.ts';
import { listCases } from '../src/store/cases.queries.ts';
import { insertPolicies, saveClockRecords } from '../src/store/clocks.queries.ts';
import { makeDb, migrate, rowsOf, type Db } from '../src/store/db.ts';
import { loadPii } from '../src/store/pii.ts';
import { startCluster } from '../test/pg-cluster.ts';

const YUTANG = '440311005';
const SCOPE_LITERAL = `{4403,440311,${YUTANG}}`;
const DAY = 86_400_000;
const CHUNK = 100_000;

function options(args: string[]) {
  const get = (name: string, def: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  return {
    open: get('open', 1_000_000), window: get('window', 60), rate: get('rate', 40), batch: get('batch', 100),
    interval: get('interval', 1000), durable: args.includes('--durable'),
  };
}

/** The shipped general policy with a 30-second sign clock, so points come due within the run. */
function benchPolicy(): ClockPolicy {
  const general = DEFAULT_POLICIES.find((p) => p.id === 'general')!;
  return {
    id: 'bench', name: 'bench: sign within 30 s', match: {},
    clocks: general.clocks.map((c) => (c.name === 'sign' ? { ...c, target: { amount: 0.5, unit: 'minutes' as const } } : c)),
  };
}

const pct = (sorted: number[], p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

/** Open cases far from due: next_due_at from `from` on, one every `stepMs`, ids `first..first+n-1`. */
async function insertBackground(db: Db, first: number, n: number, from: Date, stepMs: number, clocksJson: string) {
  for (let i = first; i < first + n; i += CHUNK) {
    const to = Math.min(first + n, i + CHUNK);
    await db.orm.execute(sql`
      insert into cases (id, tracking_no, channel, type, content, intake_unit_code, lead_unit_code, scope_units, status, status_category,
        created_at, updated_at, event_seq, head_hash, policy_id, clocks, next_due_at, due_at, due_soon_at)
      select gen_random_uuid(), 'BG-' || g, 'web', 'help', '路灯不亮（基准测试）', ${YUTANG}, ${YUTANG}, ${SCOPE_LITERAL}::text[], 'dispatched', 'open',
        ${from}::timestamptz - interval '1 day', ${from}::timestamptz - interval '1 day', 2, repeat('2', 64), 'bench', ${clocksJson}::jsonb,
        ${from}::timestamptz + (g * ${stepMs}::bigint) * interval '1 millisecond',
        ${from}::timestamptz + (g * ${stepMs}::bigint) * interval '1 millisecond',
        ${from}::timestamptz + (g * ${stepMs}::bigint) * interval '1 millisecond' - interval '2 hours'
      from generate_series(${i}::int, ${to - 1}::int) g`);
    process.stderr.write(`\r  inserted ${to.toLocaleString('en')} open cases`);
  }
  process.stderr.write('\n');
}

/** Cases dispatched at `start + i × gap`, with their accept and dispatch events, and their clocks stored. */
async function insertWindow(db: Db, n: number, start: Date, gapMs: number): Promise<void> {
  await db.orm.execute(sql`
    with w as (
      select gen_random_uuid() as id, g, ${start}::timestamptz + (g * ${gapMs}::numeric) * interval '1 millisecond' as at
      from generate_series(0, ${n - 1}::int) g
    ), c as (
      insert into cases (id, tracking_no, channel, type, content, intake_unit_code, lead_unit_code, scope_units, status, status_category,
        created_at, updated_at, dispatched_at, event_seq, head_hash, policy_id)
      select id, 'W-' || g, 'web', 'help', '路灯不亮（基准测试）', ${YUTANG}, ${YUTANG}, ${SCOPE_LITERAL}::text[], 'dispatched', 'open', at, at, at, 2, repeat('2', 64), 'bench'
      from w returning id
    )
    insert into case_events (case_id, seq, at, actor_id, actor_role, actor_unit, action, from_status, to_status, payload, prev_hash, hash)
    select w.id, e.seq, w.at, e.actor, e.role, null, e.action, e.from_status, e.to_status, e.payload::jsonb, repeat((e.seq - 1)::text, 64), repeat(e.seq::text, 64)
    from w cross join (values
      (1, 'citizen', 'citizen', 'accept', null, 'received', '{}'),
      (2, 'bench', 'operator', 'dispatch', 'received', 'dispatched', ${JSON.stringify({ unitCode: YUTANG })})
    ) as e(seq, actor, role, action, from_status, to_status, payload)`);
  const config = await loadClockConfig(db.orm);
  const ids = (await rowsOf<{ id: string }>(db.orm, sql`select id from cases where tracking_no like 'W-%' order by id`)).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    await db.orm.transaction(async (tx) => {
      const cases = await recomputeCases(tx, ids.slice(i, i + 500), config);
      await saveClockRecords(tx, cases.map((c) => ({ id: c.facts.id, policyId: c.policy.id, clocks: c.record.clocks, nextDueAt: c.record.nextDueAt })));
    });
  }
}

/** The claim's plan and timing: ANALYZE really locks the rows, so it runs in a transaction rolled back. */
async function explainClaim(db: Db, now: Date, limit: number): Promise<string[]> {
  let plan: string[] = [];
  await db.orm.transaction(async (tx) => {
    const rows = await rowsOf<Record<string, string>>(tx, sql`
      explain (analyze, buffers, costs off)
      select id, status, tracking_no, event_seq, head_hash, intake_unit_code, lead_unit_code from cases
      where next_due_at <= ${now} order by next_due_at limit ${limit} for update skip locked`);
    plan = rows.map((r) => Object.values(r)[0]!);
    tx.rollback();
  }).catch((e: Error) => { if (!/rollback/i.test(e.message)) throw e; });
  return plan;
}

/** Median time of claiming `limit` due rows (rolled back, so each run finds the same rows). */
async function timeClaim(db: Db, now: Date, limit: number, runs = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await db.orm.transaction(async (tx) => {
      await tx.execute(sql`select id from cases where next_due_at <= ${now} order by next_due_at limit ${limit} for update skip locked`);
      tx.rollback();
    }).catch((e: Error) => { if (!/rollback/i.test(e.message)) throw e; });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function claimFigures(db: Db, label: string, limit: number) {
  await db.orm.execute(sql`analyze cases`);
  const [edge] = await rowsOf<{ at: string | Date }>(db.orm, sql`select next_due_at as at from cases where next_due_at is not null order by next_due_at offset ${limit - 1} limit 1`);
  const now = new Date(edge!.at);
  const [{ n }] = await rowsOf<{ n: number }>(db.orm, sql`select count(*)::int as n from cases where next_due_at is not null`) as [{ n: number }];
  const plan = await explainClaim(db, now, limit);
  const median = await timeClaim(db, now, limit);
  console.log(`\nclaim of ${limit} due rows with ${n.toLocaleString('en')} open clocks: median ${ms(median)} (30 runs)`);
  for (const line of plan) console.log(`    ${line}`);
  return { label, open: n, median, plan };
}

export default async function run(args: string[]): Promise<void> {
  const o = options(args);
  const cluster = await startCluster({ durable: o.durable, settings: { shared_buffers: '512MB' } });
  let db: Db | undefined;
  try {
    db = await makeDb({ url: cluster.url, poolSize: 6 });
    await migrate(db);
    await seedOrg(db);
    const deps: Deps = { db, pii: loadPii(), now: () => new Date(), log: makeLogger('warn'), config: loadConfig({}) };
    for (const [username, role, unitCode] of [['h.yutang', 'handler', YUTANG], ['l.yutang', 'leader', YUTANG], ['l.guangming', 'leader', '440311']] as const) {
      await addUser(deps, { username, password: 'bench-pass-1234', role, unitCode });
    }
    await insertPolicies(db.orm, [benchPolicy()], new Date());
    console.log(`clock scanner benchmark — PostgreSQL ${o.durable ? 'durable (fsync on)' : 'fsync off'}, ${o.open.toLocaleString('en')} open cases, `
      + `${o.rate} cases/s due for ${o.window} s (3 points each), batch ${o.batch}, interval ${o.interval} ms`);

    // Background clocks: due over the month after tomorrow, never during the run.
    const from = new Date(Date.now() + DAY);
    const stepMs = Math.floor((30 * DAY) / o.open);
    const sample = computeClocks(benchPolicy().clocks, [
      { at: from, action: 'accept', fromStatus: null, toStatus: 'received', payload: {} },
      { at: from, action: 'dispatch', fromStatus: 'received', toStatus: 'dispatched', payload: {} },
    ], from, makeWorkCalendar()).clocks;
    const clocksJson = JSON.stringify(sample);
    const small = Math.min(100_000, o.open);
    let t = performance.now();
    await insertBackground(db, 0, small, from, stepMs, clocksJson);
    const at100k = await claimFigures(db, `${small}`, o.batch);
    await insertBackground(db, small, o.open - small, from, stepMs, clocksJson);
    console.log(`  (inserting ${o.open.toLocaleString('en')} cases took ${((performance.now() - t) / 1000).toFixed(1)} s in all, with the two measurements)`);
    // A steady table, as autovacuum and the checkpointer leave it, not one mid-way through writing out a bulk load.
    t = performance.now();
    await db.orm.execute(sql`vacuum (analyze) cases`);
    await db.orm.execute(sql`checkpoint`);
    console.log(`  (vacuum and checkpoint after the load: ${((performance.now() - t) / 1000).toFixed(1)} s)`);
    const atFull = await claimFigures(db, `${o.open}`, o.batch);

    // The window: dispatched from 15 s before T0, so the first warning is due at T0.
    const n = o.rate * o.window;
    const t0 = Date.now() + 10_000;
    t = performance.now();
    await insertWindow(db, n, new Date(t0 - 15_000), 1000 / o.rate);
    await db.orm.execute(sql`analyze cases`);
    const slack = t0 - Date.now();
    console.log(`\nwindow: ${n.toLocaleString('en')} cases inserted in ${((performance.now() - t) / 1000).toFixed(1)} s; first point due in ${(slack / 1000).toFixed(1)} s`);

    // Events carry the sweep's start time; they are visible once its batch commits, at most the sweep's duration later.
    const sweeps: { ms: number; r: SweepResult }[] = [];
    const sweepMsByStart = new Map<number, number>();
    let lastNow = new Date();
    const scanner = startClockScanner({ ...deps, now: () => (lastNow = new Date()) }, {
      intervalMs: o.interval, batch: o.batch,
      onSweep: (r, took) => {
        if (r.cases === 0) return;
        sweeps.push({ ms: took, r });
        sweepMsByStart.set(+lastNow, took);
      },
    });
    const end = t0 + (o.window + 16) * 1000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      const [{ done }] = await rowsOf<{ done: number }>(db.orm, sql`select count(*)::int as done from clock_points`) as [{ done: number }];
      process.stderr.write(`\r  ${Math.max(0, Math.round((Date.now() - t0) / 1000))} s: ${done.toLocaleString('en')}/${(3 * n).toLocaleString('en')} points raised`);
    }
    await scanner.stop();
    process.stderr.write('\n');

    const fired = await rowsOf<{ lag: number; fired: string | Date }>(db.orm, sql`
      select extract(epoch from (p.fired_at - p.due_at)) * 1000 as lag, p.fired_at as fired from clock_points p`);
    const lags = fired.map((r) => Number(r.lag)).sort((a, b) => a - b);
    const visible = fired.map((r) => Number(r.lag) + (sweepMsByStart.get(+new Date(r.fired)) ?? 0)).sort((a, b) => a - b);
    const [{ events }] = await rowsOf<{ events: number }>(db.orm, sql`select count(*)::int as events from case_events where action like 'clock_%'`) as [{ events: number }];
    const [{ notices }] = await rowsOf<{ notices: number }>(db.orm, sql`select count(*)::int as notices from outbox where dedupe_key like 'clock:%'`) as [{ notices: number }];
    const sweepMs = sweeps.map((s) => s.ms).sort((a, b) => a - b);
    const perCase = sweeps.map((s) => s.ms / s.r.cases).sort((a, b) => a - b);
    const claimed = sweeps.reduce((a, s) => a + s.r.cases, 0);

    console.log(`\nraised ${lags.length.toLocaleString('en')} of ${(3 * n).toLocaleString('en')} points (${events.toLocaleString('en')} events, ${notices.toLocaleString('en')} breach notices queued)`);
    console.log(`lag from due time to the event's time: p50 ${ms(pct(lags, 50))}, p90 ${ms(pct(lags, 90))}, p99 ${ms(pct(lags, 99))}, max ${ms(lags.at(-1) ?? NaN)}`);
    console.log(`lag from due time to the event committed (upper bound: + its sweep): p50 ${ms(pct(visible, 50))}, p90 ${ms(pct(visible, 90))}, `
      + `p99 ${ms(pct(visible, 99))}, max ${ms(visible.at(-1) ?? NaN)}  — goal p99 ≤ 1000 ms: ${pct(visible, 99) <= 1000 ? 'met' : 'NOT met'}`);
    console.log(`sweeps that found work: ${sweeps.length}, ${claimed.toLocaleString('en')} cases claimed (rows examined = rows claimed: the claim reads only due index entries)`);
    console.log(`  per sweep: p50 ${ms(pct(sweepMs, 50))}, p99 ${ms(pct(sweepMs, 99))}, max ${ms(sweepMs.at(-1) ?? NaN)}; per case: p50 ${ms(pct(perCase, 50))}, p99 ${ms(pct(perCase, 99))}`);
    for (const kind of ['overdue', 'soon'] as const) {
      const now = new Date();
      const q = () => listCases(db!.orm, ['4403'], { due: { kind, now }, limit: 51 });
      t = performance.now();
      const page = await q();
      const first = performance.now() - t;
      t = performance.now();
      await q();
      console.log(`GET /cases?due=${kind} (city scope, first page of 50): ${page.length} rows, ${ms(first)} cold, ${ms(performance.now() - t)} warm`
        + ' — partial indexes on due_at / due_soon_at');
    }
    console.log(`claim of ${o.batch} due rows: ${ms(at100k.median)} at ${at100k.open.toLocaleString('en')} open clocks, ${ms(atFull.median)} at ${atFull.open.toLocaleString('en')}`
      + ` (ratio ${(atFull.median / at100k.median).toFixed(2)} for ${(atFull.open / at100k.open).toFixed(1)}× the clocks)`);
  } finally {
    await db?.close();
    await cluster.stop();
  }
}
