/**
 * Common problems (共性问题) over a city window: how long the clustering of N cases takes, and the
 * whole proposal run against PostgreSQL.
 *
 *   npm run bench -- problems [--cases 50000] [--planted 60] [--db postgres|pglite|none]
 *
 * Cases are generated over eight weeks from a grammar: a Shenzhen street and one of its
 * communities, a category, one of its matters, a place (a road or an estate with a made-up name)
 * and a detail — so the same matter recurs in a street at different places, as in real traffic.
 * On top, `--planted` recurring problems: one place and matter in one street, 6–30 cases written
 * in different ways over two to six weeks. The pure clustering (src/intel/problems.ts) is timed on
 * its own, and the planted problems found are counted (a proposal holding at least 80 % of a
 * planted problem's cases, and no more than 20 % other cases). Then (unless `--db none`) the cases
 * are loaded into a throwaway database and `proposeProblems` runs twice: the first run stores the
 * proposals, the second — what the daily job does — finds nothing new.
 */
import { randomUUID } from 'node:crypto';
import { makeLogger, openDeps } from '../src/app/deps.ts';
import { proposeProblems } from '../src/app/problems/propose-problems.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadConfig } from '../src/config.ts';
import { clusterProblems, type ClusterCase } from '../src/intel/problems.ts';
import { defaultSegmenter, loadShenzhenPlaces } from '../src/intel/segment.ts';
import { makeDb, migrate, rowsOf, type Db } from '../src/store/db.ts';
import { loadPii } from '../src/store/pii.ts';
import { sql } from 'drizzle-orm';
import { startCluster } from '../test/pg-cluster.ts';

const MATTERS: Record<string, string[]> = {
  streetlight: ['路灯不亮', '路灯白天一直亮着', '路灯一闪一闪的', '灯杆歪了快倒了', '一排路灯都坏了'],
  road_damage: ['路面有个大坑', '人行道地砖松动', '路面塌陷了', '井盖旁边的路面开裂'],
  drainage: ['下雨就积水', '下水道堵了污水冒出来', '雨水井被垃圾堵住'],
  garbage: ['垃圾好几天没人清运', '垃圾桶满了溢出来', '建筑垃圾乱堆'],
  noise: ['工地夜间施工噪音很大', '广场舞音响太吵', '酒吧音乐太吵到凌晨', '装修电钻声从早到晚'],
  illegal_parking: ['车辆乱停堵住消防通道', '电动车乱停在人行道', '货车长期占道停放'],
  street_vendor: ['摊贩占道经营', '夜市摊位堵住路口', '水果摊摆到马路上'],
  property_management: ['物业不作为', '物业乱收停车费', '小区门禁坏了没人修'],
  elevator: ['电梯经常坏', '电梯困人', '电梯异响很吓人'],
  water_supply: ['水压太低', '突然停水没有通知', '自来水发黄'],
  air_pollution: ['工厂排放刺鼻气味', '餐馆油烟直排', '工地扬尘很大'],
  wage_arrears: ['公司拖欠工资两个月', '工地老板欠薪跑路', '工资一直拖着不发'],
};
const DETAILS = ['', '，已经一个多月了', '，反映多次没有结果', '，希望尽快处理', '，晚上尤其严重', '，老人小孩出行不便', '，周边居民意见很大', '，请相关部门过来看看', '，影响正常生活', '，最近一周特别明显'];
const OPENERS = ['', '您好，', '你好，我想反映一下，', '投诉：', '市民反映：'];
const SYLLABLES = '安宝城东方丰福富光广和河华环嘉建江金锦景康乐丽龙美明南鹏平齐桥泉荣瑞沙山上盛石松泰塘天田湾万旺文西祥新星兴阳怡裕园悦云振中洲竹'.split('');
const KINDS = ['路', '街', '大道', '花园', '小区', '工业园', '市场', '广场'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1] ?? fallback;
}

function count(args: string[], name: string, fallback: number): number {
  const n = Number(arg(args, name, String(fallback)));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number`);
  return n;
}

interface Generated {
  cases: ClusterCase[];
  planted: string[][];
}

function generate(n: number, plantedCount: number, now: number): Generated {
  const random = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const places = loadShenzhenPlaces();
  const communities = places.filter((p) => p.kind === 'community');
  const categories = Object.keys(MATTERS);
  const placeName = () => pick(SYLLABLES) + pick(SYLLABLES) + pick(KINDS);
  const DAY = 86_400_000;
  const cases: ClusterCase[] = [];
  const planted: string[][] = [];
  for (let p = 0; p < plantedCount; p++) {
    const community = pick(communities);
    const category = pick(categories);
    const matter = pick(MATTERS[category]!);
    const place = placeName();
    const size = 6 + Math.floor(random() * 25);
    const weeks = 2 + Math.floor(random() * 5);
    const ids: string[] = [];
    for (let i = 0; i < size; i++) {
      const id = randomUUID();
      ids.push(id);
      const text = pick([
        () => `${pick(OPENERS)}${place}${matter}${pick(DETAILS)}`,
        () => `${place}那边${matter}，${pick(['又', '还是', '一直'])}没解决${pick(DETAILS)}`,
        () => `${pick(OPENERS)}${community.name.replace(/社区.*$/, '')}${place}${pick(['附近', '门口', '旁边'])}${matter}`,
      ])();
      cases.push({ id, category, areaCode: community.code, createdAt: new Date(now - random() * weeks * 7 * DAY), text });
    }
    planted.push(ids);
  }
  while (cases.length < n) {
    const community = pick(communities);
    const category = pick(categories);
    cases.push({
      id: randomUUID(), category, areaCode: community.code, createdAt: new Date(now - random() * 56 * DAY),
      text: `${pick(OPENERS)}${placeName()}${pick(['', '附近', '门口', '旁边'])}${pick(MATTERS[category]!)}${pick(DETAILS)}`,
    });
  }
  return { cases, planted };
}

async function load(db: Db, cases: readonly ClusterCase[]) {
  const batch = 5000;
  for (let i = 0; i < cases.length; i += batch) {
    const rows = cases.slice(i, i + batch).map((c, j) => ({ id: c.id, tn: `SZ-P-${i + j}`, cat: c.category, txt: c.text, area: c.areaCode, at: c.createdAt.toISOString() }));
    await db.orm.execute(sql`
      insert into cases (id, tracking_no, channel, type, category, content, intake_unit_code, scope_units, status, status_category, created_at, updated_at)
      select id, tn, 'web', 'complaint', cat, txt, area, array['4403', left(area, 6), left(area, 9), area], 'received', 'new', at, at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(id uuid, tn text, cat text, txt text, area text, at timestamptz)`);
  }
}

export default async function run(args: string[]): Promise<void> {
  const n = count(args, 'cases', 50_000);
  const plantedCount = count(args, 'planted', 60);
  const dbKind = arg(args, 'db', 'postgres');
  const now = Date.parse('2026-11-27T02:00:00Z');
  const { cases, planted } = generate(n, plantedCount, now);

  let t = performance.now();
  defaultSegmenter();
  const segInit = performance.now() - t;
  t = performance.now();
  let read = 0;
  const result = clusterProblems(cases, { onProgress: (phase, done, total) => { if (phase === 'reading' && done === total) read = performance.now() - t; } });
  const total = performance.now() - t;
  const proposals = result.proposals;
  const owner = new Map<string, number>();
  planted.forEach((ids, p) => ids.forEach((id) => owner.set(id, p)));
  let found = 0;
  const matched = new Set<number>();
  for (const p of proposals) {
    const counts = new Map<number, number>();
    for (const id of p.caseIds) if (owner.has(id)) counts.set(owner.get(id)!, (counts.get(owner.get(id)!) ?? 0) + 1);
    for (const [k, m] of counts) {
      if (m >= 0.8 * planted[k]!.length && m >= 0.8 * p.caseIds.length && !matched.has(k)) {
        matched.add(k);
        found++;
      }
    }
  }
  const inProposals = proposals.reduce((a, p) => a + p.caseCount, 0);
  console.log(`problems: ${n.toLocaleString('en')} cases over 8 weeks (${plantedCount} planted problems of ${planted.reduce((a, p) => a + p.length, 0)} cases)`);
  console.log(`  clustering ${(total / 1000).toFixed(2)} s (bigrams and frequencies ${(read / 1000).toFixed(2)} s, groups, clusters and descriptions ${((total - read) / 1000).toFixed(2)} s; jieba dictionary ${(segInit / 1000).toFixed(2)} s once per process)`);
  console.log(`  ${proposals.length} proposals holding ${inProposals} cases; planted problems found: ${found} of ${plantedCount}`);
  for (const p of proposals.slice(0, 5)) console.log(`    ${p.caseCount}\t${p.name}`);
  if (dbKind === 'none') return;

  const cluster = dbKind === 'postgres' ? await startCluster() : null;
  const db = await makeDb(cluster ? { url: cluster.url, poolSize: 2 } : {});
  try {
    await migrate(db);
    await seedOrg(db);
    t = performance.now();
    await load(db, cases);
    await rowsOf(db.orm, sql`analyze cases`);
    const loadMs = performance.now() - t;
    const deps = await openDeps(loadConfig({} as NodeJS.ProcessEnv), { db, pii: loadPii({ key: '0'.repeat(64) }), now: () => new Date(now), log: makeLogger('silent') });
    t = performance.now();
    const first = await proposeProblems(deps, 'all');
    const firstMs = performance.now() - t;
    t = performance.now();
    const second = await proposeProblems(deps, 'all');
    const secondMs = performance.now() - t;
    console.log(`  ${db.kind}: loaded in ${(loadMs / 1000).toFixed(1)} s; first run ${(firstMs / 1000).toFixed(2)} s (read ${first.ms.read} ms, cluster ${first.ms.cluster} ms, store ${first.ms.write} ms): ` +
      `${first.proposed.length} proposed`);
    console.log(`  second run ${(secondMs / 1000).toFixed(2)} s (read ${second.ms.read} ms, cluster ${second.ms.cluster} ms, store ${second.ms.write} ms): ` +
      `${second.proposed.length} proposed, ${second.grown.length} grown, ${second.skipped} skipped`);
  } finally {
    await db.close();
    await cluster?.stop();
  }
}
