/**
 * Similar/duplicate look-up at intake (app/intel/intake-intel.ts findSimilar) against N synthetic
 * cases on a throwaway PostgreSQL cluster (always a fresh cluster, so the figure is reproducible).
 *
 *   npm run bench -- duplicates [--cases 1000000] [--lookups 2000] [--days 365]
 *
 * Synthetic requests are generated from a grammar (a Shenzhen community × one of ~60 matters ×
 * details), spread evenly over `--days` days, so near-duplicates are as common as in real
 * traffic (the same matter at the same place); 5 % are placed only at their district and 1 % only
 * at the city, as requests whose address did not resolve. Their signatures and LSH keys are
 * computed here and loaded with INSERT … SELECT FROM unnest(…) in batches, together with minimal
 * `cases` rows; the key index is built after loading (as a bulk import would).
 * Then `--lookups` new requests from the same grammar are looked up one at a time (one
 * connection, as intake does): LSH candidates in the 30-day window, ranking, top 5. A second,
 * smaller series looks up district- and city-level requests, which probe every street or
 * district below them. Prints p50 / p95 / p99 / max latency (and p50 / p95 of the street- and
 * community-level look-ups alone); then, untimed, the candidates per look-up (cases sharing a
 * key, and those the query returns after window, area and status).
 * EXPLAIN=1 prints the plan of one look-up's candidate query.
 *
 * `duplicateLatency` is the same measurement for other benches (bench/intel.bench.ts).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { DUPLICATE_WINDOW_DAYS, findSimilar, probeAreas } from '../src/app/intel/intake-intel.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadShenzhenPlaces } from '../src/intel/segment.ts';
import { bucketOf, bucketsBetween, keyArea, lshKeys, packMinhash, probeKeys, signature } from '../src/intel/similar.ts';
import { makeDb, migrate, rowsOf } from '../src/store/db.ts';
import { signatureCandidates, signatureCandidatesSql } from '../src/store/intel.queries.ts';
import { startCluster } from '../test/pg-cluster.ts';

const MATTERS = [
  '路灯坏了晚上很黑', '井盖松动车压过去响', '下水道堵塞污水外溢', '垃圾堆放多天无人清理', '工地夜间施工噪音扰民', '广场舞音响声音太大',
  '电动车乱停放堵住消防通道', '共享单车堆满人行道', '小区停车收费不合理', '物业不作为电梯经常坏', '电梯困人半小时', '楼上漏水到我家天花板',
  '餐馆油烟直排熏到住户', '路面坑洼积水', '红绿灯时间太短老人过不了马路', '公交站台没有遮雨棚', '公交车班次太少等车太久', '出租车拒载绕路',
  '违章建筑占用公共绿地', '树木倒伏压到电线', '水压太低高层没水', '突然停水没有通知', '停电多次影响生活', '燃气费收费异常',
  '学位申请材料被退回', '社保转移办理不了', '公积金提取被拒', '医保报销比例有疑问', '孩子入学积分咨询', '居住证办理咨询',
  '外卖电动车逆行危险', '夜市摊贩占道经营', '商户违规占道经营', '黑车在地铁口揽客', '宠物狗不拴绳伤人', '流浪狗很多吓到小孩',
  '蚊虫滋生需要消杀', '河道发臭有死鱼', '空气有刺鼻气味疑似工厂排放', '工厂废水直排河道', '装修噪音周末也不停', '网吧接纳未成年人',
  '无证幼儿园安全隐患', '药店高价卖药', '超市卖过期食品', '房东不退押金', '中介发布虚假房源', '租房被强制涨租',
  '公司拖欠工资两个月', '公司不签劳动合同', '工伤认定很慢', '健身房老板跑路不退费', '培训机构不退费', '快递柜收费不合理',
  '手机信号很差', '小区门禁坏了陌生人随便进', '消防栓损坏', '人行天桥照明不足', '学校门口交通拥堵', '地铁施工围挡占用道路',
];
const DETAILS = ['', '已经一个多月了', '反映多次没有结果', '希望尽快处理', '晚上尤其严重', '老人小孩出行不便', '周边居民意见很大', '请相关部门过来看看', '附近的商铺也受影响', '最近一周特别明显'];
const SPOTS = ['门口', '东门', '北门', '旁边', '对面', '附近', '路口', '楼下', '停车场', '公园'];

function values(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer`);
  return n;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Request { text: string; area: string }

/** A deterministic stream of synthetic requests. */
function requests(seed: number) {
  const communities = loadShenzhenPlaces().filter((p) => p.kind === 'community');
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return (): Request => {
    const c = pick(communities);
    const text = `${c.name}${pick(SPOTS)}${pick(MATTERS)}，${pick(DETAILS)}`;
    const r = random();
    return { text, area: r < 0.01 ? '4403' : r < 0.06 ? c.code.slice(0, 6) : c.code };
  };
}

export interface Percentiles { p50: number; p95: number; p99: number; max: number; mean: number }

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? 0, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

export interface DuplicateLatencyOptions {
  cases: number;
  lookups: number;
  /** Days the cases are spread over (default 365). */
  days?: number;
  /** District- and city-level look-ups measured apart (default lookups / 10). */
  coarseLookups?: number;
  /** Print the plan of one candidate query. */
  explain?: boolean;
  log?: (line: string) => void;
}

/** Latency of findSimilar in ms (p50 … max), with the candidate counts behind it. */
export interface DuplicateLatency extends Percentiles {
  cases: number;
  lookups: number;
  /** Look-ups that found at least one similar case, and similar cases per look-up. */
  hits: number;
  foundPerLookup: number;
  /** Cases sharing at least one LSH key with a look-up (any date in the probed buckets). */
  sharing: Percentiles;
  /** Candidates the query returned (in the window and area, not merged/withdrawn; at most 100). */
  returned: Percentiles;
  /** The street- and community-level look-ups among `lookups`. */
  fine: Percentiles;
  /** A separate series of district- and city-level look-ups. */
  coarse: Percentiles & { lookups: number };
  loadSeconds: number;
  indexSeconds: number;
  /** Table + index sizes. */
  size: { signatures: string; keys: string; keyIndex: string };
}

/**
 * Loads `n` synthetic cases (file comment) into a migrated, seeded database: signatures, LSH keys
 * and minimal `cases` rows, the key index built after loading; then VACUUM ANALYZE.
 */
export async function loadSyntheticCases(client: pg.Client, n: number, days: number, now: Date, log: (line: string) => void) {
  await client.query(`SET maintenance_work_mem = '256MB'`);
  const { rows: [pk] } = await client.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'case_lsh_keys'::regclass AND contype = 'p'`);
  await client.query(`ALTER TABLE case_lsh_keys DROP CONSTRAINT "${pk.conname}"`);
  const make = requests(7);
  const batch = 10_000;
  let sigMs = 0;
  const loadStart = performance.now();
  for (let done = 0; done < n; done += batch) {
    const size = Math.min(batch, n - done);
    const ids: string[] = [], areas: string[] = [], ats: string[] = [], mins: string[] = [], keys: string[] = [], texts: string[] = [], tracking: string[] = [];
    const s0 = performance.now();
    for (let i = 0; i < size; i++) {
      const m = make();
      const sig = signature(m.text);
      ids.push(randomUUID());
      areas.push(m.area);
      const at = new Date(+now - ((done + i) / n) * days * 86_400_000);
      ats.push(at.toISOString());
      mins.push(`\\x${Buffer.from(packMinhash(sig.minhash)).toString('hex')}`);
      keys.push(`{${[...new Set(lshKeys(sig.bands, keyArea(m.area), bucketOf(at)))].join(',')}}`);
      texts.push(m.text);
      tracking.push(`SZ-B-${done + i}`);
    }
    sigMs += performance.now() - s0;
    await client.query(
      `INSERT INTO case_signatures (case_id, area_code, created_at, minhash)
       SELECT id, area, at, mh::bytea FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[]) AS t(id, area, at, mh)`,
      [ids, areas, ats, mins]);
    await client.query(
      `INSERT INTO case_lsh_keys (key, case_id) SELECT k, id FROM unnest($1::uuid[], $2::text[]) AS t(id, ks), unnest(ks::int8[]) AS k`,
      [ids, keys]);
    await client.query(
      `INSERT INTO cases (id, tracking_no, channel, type, content, intake_unit_code, scope_units, status, status_category, created_at, updated_at)
       SELECT id, tn, 'web', 'help', txt, area, ARRAY['4403', area], 'received', 'new', at, at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(id, tn, txt, area, at)`,
      [ids, tracking, texts, areas, ats]);
    if (process.stderr.isTTY) process.stderr.write(`\rloaded ${done + size}/${n}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const loadMs = performance.now() - loadStart;
  const i0 = performance.now();
  await client.query(`ALTER TABLE case_lsh_keys ADD CONSTRAINT "${pk.conname}" PRIMARY KEY (key, case_id)`);
  await client.query('VACUUM ANALYZE case_signatures, case_lsh_keys, cases');
  const indexMs = performance.now() - i0;
  const { rows: [size] } = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('case_signatures')) AS signatures,
    pg_size_pretty(pg_total_relation_size('case_lsh_keys')) AS keys, pg_size_pretty(pg_relation_size('${pk.conname}')) AS "keyIndex"`);
  log(`duplicates: ${n.toLocaleString('en')} synthetic cases over ${days} days loaded in ${(loadMs / 1000).toFixed(0)} s ` +
    `(signatures ${(sigMs / 1000).toFixed(1)} s = ${((n / sigMs) * 1000).toFixed(0)} texts/s), key index + vacuum ${(indexMs / 1000).toFixed(0)} s; ` +
    `case_signatures ${size.signatures}, case_lsh_keys ${size.keys} of which index ${size.keyIndex}`);
  return { loadMs, indexMs, size: size as DuplicateLatency['size'] };
}

/** Loads `cases` synthetic cases into a fresh cluster and times `lookups` look-ups (see the file comment). */
export async function duplicateLatency(opts: DuplicateLatencyOptions): Promise<DuplicateLatency> {
  const { cases: n, lookups } = opts;
  const days = opts.days ?? 365;
  const coarseLookups = opts.coarseLookups ?? Math.max(20, Math.round(lookups / 10));
  const log = opts.log ?? ((line: string) => console.log(line));
  const now = new Date('2026-11-27T02:00:00Z');
  const cluster = await startCluster();
  const db = await makeDb({ url: cluster.url, poolSize: 1 });
  const client = new pg.Client({ connectionString: cluster.url });
  try {
    await migrate(db);
    await seedOrg(db);
    await client.connect();
    const { loadMs, indexMs, size } = await loadSyntheticCases(client, n, days, now, log);
    const since = new Date(+now - DUPLICATE_WINDOW_DAYS * 86_400_000);
    if (opts.explain) {
      const m = requests(17)();
      const keys = probeKeys(signature(m.text).bands, await probeAreas(db.orm, m.area), bucketsBetween(since, now));
      const plan = await rowsOf<Record<string, string>>(db.orm, sql`explain (analyze, buffers) ${signatureCandidatesSql({ keys, since, areaCode: m.area })}`);
      log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
    // Warm up, then one look-up at a time.
    const warm = requests(11);
    for (let i = 0; i < 50; i++) { const m = warm(); await findSimilar(db.orm, m.text, m.area, now); }
    const time = async (reqs: Request[]) => {
      const times: number[] = [], fine: number[] = [];
      let hits = 0, found = 0;
      for (const m of reqs) {
        const s = performance.now();
        const r = await findSimilar(db.orm, m.text, m.area, now);
        const ms = performance.now() - s;
        times.push(ms);
        if (m.area.length > 6) fine.push(ms);
        if (r.length) hits++;
        found += r.length;
      }
      return { ...percentiles(times), fine: percentiles(fine), hits, found };
    };
    const next = requests(13);
    const main = Array.from({ length: lookups }, next);
    const t = await time(main);
    const coarse = Array.from({ length: coarseLookups }, (_, i) => { const m = next(); return { text: m.text, area: i % 2 ? '4403' : m.area.slice(0, 6) }; });
    const c = await time(coarse);
    const fmt = (p: Percentiles) => `p50 ${p.p50.toFixed(2)} ms, p95 ${p.p95.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, max ${p.max.toFixed(2)} ms`;
    log(`look-up (LSH candidates in ${DUPLICATE_WINDOW_DAYS} days → rank → top 5), ${lookups} requests, one connection: ${fmt(t)}; ` +
      `${t.hits} of ${lookups} found a similar case (${(t.found / lookups).toFixed(1)} per look-up); street- and community-level ones alone: p50 ${t.fine.p50.toFixed(2)} ms, p95 ${t.fine.p95.toFixed(2)} ms`);
    log(`district- and city-level requests (probing every street / district below), ${coarseLookups}: ${fmt(c)}`);

    // Untimed: how many candidates those look-ups met.
    const sharing: number[] = [], returned: number[] = [];
    for (const m of main) {
      const keys = probeKeys(signature(m.text).bands, await probeAreas(db.orm, m.area), bucketsBetween(since, now));
      const [r] = await rowsOf<{ n: number }>(db.orm, sql`select count(distinct case_id)::int as n from case_lsh_keys
        where key = any(${sql.raw(`'{${keys.join(',')}}'::int8[]`)})`);
      sharing.push(r!.n);
      returned.push((await signatureCandidates(db.orm, { keys, since, areaCode: m.area })).length);
    }
    const sh = percentiles(sharing), rt = percentiles(returned);
    const cnt = (p: Percentiles) => `p50 ${p.p50}, p95 ${p.p95}, max ${p.max}, mean ${p.mean.toFixed(1)}`;
    log(`candidates per look-up: sharing an LSH key ${cnt(sh)}; returned after window/area/status ${cnt(rt)}`);
    return {
      cases: n, lookups, p50: t.p50, p95: t.p95, p99: t.p99, max: t.max, mean: t.mean, hits: t.hits, foundPerLookup: t.found / lookups,
      fine: t.fine, sharing: sh, returned: rt, coarse: { ...c, lookups: coarseLookups }, loadSeconds: loadMs / 1000, indexSeconds: indexMs / 1000, size,
    };
  } finally {
    await client.end().catch(() => {});
    await db.close();
    await cluster.stop();
  }
}

export default async function run(args: string[]): Promise<void> {
  const t0 = performance.now();
  await duplicateLatency({
    cases: values(args, 'cases', 1_000_000), lookups: values(args, 'lookups', 2000), days: values(args, 'days', 365), explain: !!process.env.EXPLAIN,
  });
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
