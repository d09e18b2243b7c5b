/**
 * Similar/duplicate look-up at intake (app/intel/intake-intel.ts findSimilar) against N synthetic
 * cases on a throwaway PostgreSQL cluster (default 1,000,000; or `DATABASE_URL`… no: always a
 * fresh cluster, so the figure is reproducible).
 *
 *   npm run bench -- duplicates [--cases 1000000] [--lookups 2000] [--days 365]
 *
 * Synthetic requests are generated from a grammar (a Shenzhen community × one of ~60 matters ×
 * details), spread evenly over `--days` days, so near-duplicates are as common as in real
 * traffic (the same matter at the same place); their MinHash signatures are computed here and
 * loaded with INSERT … SELECT FROM unnest(…) in batches, together with minimal `cases` rows.
 * Then `--lookups` new requests are looked up one at a time (one connection, as intake does):
 * the LSH candidate query over the 30-day window, ranking, and the brief of the top cases.
 * Prints p50 / p95 / p99 / max latency, candidates per look-up and hits.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { findSimilar } from '../src/app/intel/intake-intel.ts';
import { bucketOf, keyArea, lshKeys, signature } from '../src/intel/similar.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadShenzhenPlaces } from '../src/intel/segment.ts';
import { makeDb, migrate } from '../src/store/db.ts';
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

export default async function run(args: string[]): Promise<void> {
  const n = values(args, 'cases', 1_000_000);
  const lookups = values(args, 'lookups', 2000);
  const days = values(args, 'days', 365);
  const communities = loadShenzhenPlaces().filter((p) => p.kind === 'community');
  const random = rng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const make = () => {
    const c = pick(communities);
    const text = `${c.name}${pick(SPOTS)}${pick(MATTERS)}，${pick(DETAILS)}`;
    return { text, area: c.code };
  };
  const now = new Date('2026-11-27T02:00:00Z');
  const t0 = performance.now();
  const cluster = await startCluster();
  const db = await makeDb({ url: cluster.url, poolSize: 2 });
  const client = new pg.Client({ connectionString: cluster.url });
  try {
    await migrate(db);
    await seedOrg(db);
    await client.connect();
    // Load without the GIN index, then build it (as a bulk import would).
    await client.query('DROP INDEX IF EXISTS case_signatures_bands_gin');
    const batch = 10_000;
    let sigMs = 0;
    const loadStart = performance.now();
    for (let done = 0; done < n; done += batch) {
      const size = Math.min(batch, n - done);
      const ids: string[] = [], areas: string[] = [], ats: string[] = [], mins: string[] = [], bands: string[] = [], texts: string[] = [], tracking: string[] = [];
      const s0 = performance.now();
      for (let i = 0; i < size; i++) {
        const m = make();
        const sig = signature(m.text);
        ids.push(randomUUID());
        areas.push(m.area);
        const at = new Date(+now - ((done + i) / n) * days * 86_400_000);
        ats.push(at.toISOString());
        mins.push(`{${sig.minhash.join(',')}}`);
        bands.push(`{${lshKeys(sig.bands, keyArea(m.area), bucketOf(at)).join(',')}}`);
        texts.push(m.text);
        tracking.push(`SZ-B-${done + i}`);
      }
      sigMs += performance.now() - s0;
      await client.query(
        `INSERT INTO case_signatures (case_id, area_code, created_at, minhash, bands)
         SELECT id, area, at, mh::int4[], b::int4[] FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS t(id, area, at, mh, b)`,
        [ids, areas, ats, mins, bands]);
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
    await client.query('CREATE INDEX case_signatures_bands_gin ON case_signatures USING gin (bands)');
    await client.query('VACUUM ANALYZE case_signatures');
    await client.query('ANALYZE cases');
    const indexMs = performance.now() - i0;
    const { rows: [size] } = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('case_signatures')) AS total, pg_size_pretty(pg_relation_size('case_signatures_bands_gin')) AS gin`);
    console.log(`duplicates: ${n.toLocaleString('en')} synthetic cases over ${days} days loaded in ${(loadMs / 1000).toFixed(0)} s ` +
      `(signatures ${(sigMs / 1000).toFixed(1)} s = ${((n / sigMs) * 1000).toFixed(0)} texts/s), GIN index ${(indexMs / 1000).toFixed(0)} s; ` +
      `case_signatures ${size.total} of which GIN ${size.gin}`);

    if (process.env.EXPLAIN) {
      const m = make();
      const sig = signature(m.text);
      const keys = lshKeys(sig.bands, keyArea(m.area), bucketOf(now));
      const { rows } = await client.query(`EXPLAIN ANALYZE WITH h AS MATERIALIZED (SELECT case_id FROM case_signatures WHERE bands && '{${keys.join(',')}}'::int4[]) SELECT * FROM h LIMIT 300`);
      console.log(rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
    }
    // Warm up, then measure one look-up at a time.
    for (let i = 0; i < 50; i++) { const m = make(); await findSimilar(db.orm, m.text, m.area, now); }
    const times: number[] = [];
    let hits = 0, found = 0;
    for (let i = 0; i < lookups; i++) {
      const m = make();
      const s = performance.now();
      const r = await findSimilar(db.orm, m.text, m.area, now);
      times.push(performance.now() - s);
      if (r.length) hits++;
      found += r.length;
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    console.log(`look-up (LSH candidates in 30 days → rank → brief of top 5), ${lookups} requests, one connection: ` +
      `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${times.at(-1)!.toFixed(2)} ms; ` +
      `${hits} of ${lookups} found a similar case (${(found / lookups).toFixed(1)} per look-up); EXPLAIN=1 prints the plan of one branch`);
    console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await client.end().catch(() => {});
    await db.close();
    await cluster.stop();
  }
}
