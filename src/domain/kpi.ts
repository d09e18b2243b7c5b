/**
 * KPI formulas (化解率 · 响应率 · 解决率 · 满意率 and the on-time rates) and how one case counts
 * towards them. Pure: no I/O, no clock.
 *
 * Every figure describes a **cohort**: the requests accepted (registered) in the period, by their
 * China-time acceptance day, as they stand now. A case counts for one unit — its lead unit, or the
 * unit that took it in while it has none — and moves with it (transfer, escalation). So every
 * numerator is a subset of its denominator (no rate exceeds 100 %), and a case's contribution is
 * a function of its current state alone: the rollups are kept by adding `after − before` of that
 * contribution at each event, and a rebuild sums the contributions of all cases.
 *
 * Duplicates merged into another case (合并) and requests withdrawn by the citizen (撤回) count
 * only as `received`, `merged` / `withdrawn`: they are left out of every other counter.
 *
 * A rate whose denominator is 0 is `null` ("no data"), never NaN and never 0 %.
 * docs/kpi.md is the same text for people.
 */
import { CASE_TYPES, CHANNELS, STATUSES, type CaseType, type Channel, type Status } from './case.ts';
import type { ClockName } from './clock-policy.ts';
import type { ClockState } from './clocks.ts';
import { chinaDate } from './work-calendar.ts';

/** The counters a rollup row keeps; each case adds 0 or 1 to each. */
export const KPI_COUNTERS = [
  'received', 'merged', 'withdrawn', 'accepted', 'dispatched', 'resolved', 'closed', 'answered', 'notAccepted', 'complaints', 'praise',
  'signedOnTime', 'signedTotal', 'contactOnTime', 'contactTotal', 'feedbackOnTime', 'feedbackTotal', 'resolveOnTime', 'resolveTotal',
  'rated', 'ratedResolved', 'ratedSatisfied',
] as const;
export type KpiCounter = (typeof KPI_COUNTERS)[number];
/** The counters kept per channel, type and category: volume, resolution and ratings. */
export const MIX_COUNTERS = ['accepted', 'resolved', 'closed', 'rated', 'ratedResolved', 'ratedSatisfied'] as const satisfies readonly KpiCounter[];
export type Counters = Record<KpiCounter, number>;

export const zeroCounters = (): Counters => Object.fromEntries(KPI_COUNTERS.map((c) => [c, 0])) as Counters;

/** Sums counters (missing fields count as 0). */
export function addCounters(...all: readonly Partial<Counters>[]): Counters {
  const out = zeroCounters();
  for (const c of all) for (const k of KPI_COUNTERS) out[k] += c[k] ?? 0;
  return out;
}

/** The rollup key of a case: acceptance day (China time), responsible unit, channel, type, category ('' when none). */
export interface KpiKey {
  day: string;
  unitCode: string;
  channel: string;
  type: string;
  category: string;
}

export const sameKey = (a: KpiKey, b: KpiKey) =>
  a.day === b.day && a.unitCode === b.unitCode && a.channel === b.channel && a.type === b.type && a.category === b.category;

/** Orders keys so that every writer touches rollup rows in the same order. */
export const compareKeys = (a: KpiKey, b: KpiKey): number => {
  for (const k of ['day', 'unitCode', 'channel', 'type', 'category'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
};

/** What the KPIs read of a case. */
export interface KpiCaseFacts {
  createdAt: Date;
  intakeUnitCode: string;
  leadUnitCode: string | null;
  channel: string;
  type: string;
  category: string | null;
  status: Status;
  dispatchedAt: Date | null;
  rating: { resolved: boolean; satisfied: boolean } | null;
  /** The stored clock states (cases.clocks); only name, state and onTime are read. */
  clocks: readonly Pick<ClockState, 'name' | 'state' | 'onTime'>[];
}

export interface Contribution {
  key: KpiKey;
  counters: Counters;
}

/** The clocks behind the on-time counters; a petition's handling period counts as its resolution clock. */
const ON_TIME: readonly [ClockName, KpiCounter, KpiCounter][] = [
  ['sign', 'signedOnTime', 'signedTotal'],
  ['contact', 'contactOnTime', 'contactTotal'],
  ['first_feedback', 'feedbackOnTime', 'feedbackTotal'],
  ['resolve', 'resolveOnTime', 'resolveTotal'],
  ['petition_handle', 'resolveOnTime', 'resolveTotal'],
];

/**
 * The outcome of a clock once it is known: on time when it stopped by its due time; late when it
 * stopped after it, when it is still running past it (breached), or when the case ended after it.
 * Unknown (null) while it can still be met, and when the case ended before it was due.
 */
export function clockOutcome(c: Pick<ClockState, 'state' | 'onTime'>): 'on_time' | 'late' | null {
  if (c.onTime === true) return 'on_time';
  if (c.onTime === false || c.state === 'breached') return 'late';
  return null;
}

/** How one case counts: its rollup key and a 0/1 per counter. */
export function caseContribution(f: KpiCaseFacts): Contribution {
  const key: KpiKey = {
    day: chinaDate(f.createdAt), unitCode: f.leadUnitCode ?? f.intakeUnitCode, channel: f.channel, type: f.type, category: f.category ?? '',
  };
  const n = zeroCounters();
  n.received = 1;
  if (f.status === 'merged' || f.status === 'withdrawn') {
    n[f.status] = 1;
    return { key, counters: n };
  }
  n.accepted = 1;
  const category = STATUSES[f.status];
  if (f.dispatchedAt !== null) n.dispatched = 1;
  if (category === 'resolved') n.resolved = 1;
  if (category === 'closed') n.closed = 1;
  if (f.status === 'answered') n.answered = 1;
  if (f.status === 'not_accepted') n.notAccepted = 1;
  if ((COMPLAINT_TYPES as readonly string[]).includes(f.type)) n.complaints = 1;
  if (f.type === 'praise') n.praise = 1;
  for (const [name, onTime, total] of ON_TIME) {
    const clock = f.clocks.find((c) => c.name === name);
    const outcome = clock ? clockOutcome(clock) : null;
    if (outcome === null) continue;
    n[total] = 1;
    if (outcome === 'on_time') n[onTime] = 1;
  }
  if (f.rating) {
    n.rated = 1;
    if (f.rating.resolved) n.ratedResolved = 1;
    if (f.rating.satisfied) n.ratedSatisfied = 1;
  }
  return { key, counters: n };
}

/**
 * What to add to the rollups when a case's contribution goes from `before` to `after` (null: the
 * case did not count / no longer counts): nothing when equal; one row of differences under the
 * same key; otherwise minus `before` under its key and plus `after` under its own. Rows come in
 * key order.
 */
export function contributionDelta(before: Contribution | null, after: Contribution | null): Contribution[] {
  const minus = (c: Counters) => Object.fromEntries(KPI_COUNTERS.map((k) => [k, 0 - c[k]])) as Counters;
  const nonZero = (c: Counters) => KPI_COUNTERS.some((k) => c[k] !== 0);
  let out: Contribution[];
  if (before && after && sameKey(before.key, after.key)) {
    out = [{ key: after.key, counters: addCounters(after.counters, minus(before.counters)) }];
  } else {
    out = [
      ...(before ? [{ key: before.key, counters: minus(before.counters) }] : []),
      ...(after ? [{ key: after.key, counters: { ...after.counters } }] : []),
    ];
  }
  return out.filter((d) => nonZero(d.counters)).sort((a, b) => compareKeys(a.key, b.key));
}

// ---------------------------------------------------------------------------------------------
// Figures

export interface Text {
  zh: string;
  en: string;
}

export interface FigureDef {
  label: Text;
  /** The formula, for the dashboard's hover text. */
  formula: Text;
  kind: 'rate' | 'count';
}

export type RateFigure = { kind: 'rate'; value: number | null; numerator: number; denominator: number };
export type CountFigure = { kind: 'count'; value: number };

/** n ÷ d, or null when there is nothing to divide by. */
export const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

const RATES = {
  resolutionRate: ['resolved+closed', 'accepted'],
  responseRate: ['signedOnTime', 'dispatched'],
  solvedRate: ['ratedResolved', 'rated'],
  satisfactionRate: ['ratedSatisfied', 'rated'],
  signOnTimeRate: ['signedOnTime', 'signedTotal'],
  contactOnTimeRate: ['contactOnTime', 'contactTotal'],
  feedbackOnTimeRate: ['feedbackOnTime', 'feedbackTotal'],
  resolveOnTimeRate: ['resolveOnTime', 'resolveTotal'],
} as const;
export type RateKey = keyof typeof RATES;
export const RATE_KEYS = Object.keys(RATES) as RateKey[];

const COUNTS = ['volume', 'received', 'duplicates', 'complaints', 'praise'] as const;
export type CountKey = (typeof COUNTS)[number];
export type FigureKey = RateKey | CountKey;
export const FIGURE_KEYS: readonly FigureKey[] = [...COUNTS, ...RATE_KEYS];

/** Label and formula of every figure, in Chinese and English. */
export const FIGURES: Readonly<Record<FigureKey, FigureDef>> = {
  volume: {
    kind: 'count', label: { zh: '诉求量', en: 'Volume' },
    formula: {
      zh: '诉求量 = 期内受理登记的诉求件数 − 被合并的重复件 − 诉求人撤回件',
      en: 'Volume = requests registered in the period − duplicates merged into another case − requests withdrawn by the citizen',
    },
  },
  received: {
    kind: 'count', label: { zh: '登记量', en: 'Registered' },
    formula: { zh: '登记量 = 期内受理登记的全部诉求件数（含重复件、撤回件）', en: 'Registered = every request registered in the period, duplicates and withdrawn ones included' },
  },
  duplicates: {
    kind: 'count', label: { zh: '重复件', en: 'Duplicates' },
    formula: { zh: '重复件 = 期内登记、已合并到其他工单的诉求件数', en: 'Duplicates = requests registered in the period and merged into another case' },
  },
  complaints: {
    kind: 'count', label: { zh: '投诉举报', en: 'Complaints' },
    formula: { zh: '投诉举报 = 诉求量中类型为投诉或举报的件数', en: 'Complaints = requests in the volume of type complaint or report' },
  },
  praise: {
    kind: 'count', label: { zh: '表扬', en: 'Praise' },
    formula: { zh: '表扬 = 诉求量中类型为表扬的件数（不计入投诉）', en: 'Praise = requests in the volume of type praise (never counted as complaints)' },
  },
  resolutionRate: {
    kind: 'rate', label: { zh: '化解率', en: 'Resolution rate' },
    formula: {
      zh: '化解率 = 期内受理的诉求中，现已办结或已关闭（含即时答复、不予受理告知）的件数 ÷ 期内诉求量（不含合并、撤回件）',
      en: 'Resolution rate = of the requests accepted in the period, those now resolved or closed (answered at intake and formally declined included) ÷ volume of the period (merged and withdrawn requests excluded)',
    },
  },
  responseRate: {
    kind: 'rate', label: { zh: '响应率', en: 'Response rate' },
    formula: {
      zh: '响应率 = 期内受理且已派单的诉求中，承办单位在签收时限内签收的件数 ÷ 已派单件数（尚未签收的计为未响应）',
      en: 'Response rate = of the requests accepted in the period and dispatched, those the handling unit signed for within the sign deadline ÷ requests dispatched (not yet signed counts as not responded)',
    },
  },
  solvedRate: {
    kind: 'rate', label: { zh: '解决率', en: 'Solved rate' },
    formula: {
      zh: '解决率 = 期内受理并已回访评价的诉求中，诉求人评价“已解决”的件数 ÷ 已评价件数（以最近一次评价为准）',
      en: 'Solved rate = of the requests accepted in the period and rated, those the citizen rated as resolved ÷ requests rated (latest rating of each)',
    },
  },
  satisfactionRate: {
    kind: 'rate', label: { zh: '满意率', en: 'Satisfaction rate' },
    formula: {
      zh: '满意率 = 期内受理并已回访评价的诉求中，诉求人评价“满意”的件数 ÷ 已评价件数（以最近一次评价为准）',
      en: 'Satisfaction rate = of the requests accepted in the period and rated, those rated satisfied ÷ requests rated (latest rating of each)',
    },
  },
  signOnTimeRate: {
    kind: 'rate', label: { zh: '按时签收率', en: 'Signed on time' },
    formula: {
      zh: '按时签收率 = 签收时限内签收的件数 ÷ 签收时限已有结果的件数（已签收，或已超时）',
      en: 'Signed on time = requests signed for by the deadline ÷ requests whose sign clock has an outcome (signed, or past its deadline)',
    },
  },
  contactOnTimeRate: {
    kind: 'rate', label: { zh: '按时联系率', en: 'Contacted on time' },
    formula: {
      zh: '按时联系率 = 联系时限内联系诉求人的件数 ÷ 联系时限已有结果的件数（已联系，或已超时）',
      en: 'Contacted on time = requests whose citizen was contacted by the deadline ÷ requests whose contact clock has an outcome (contacted, or past its deadline)',
    },
  },
  feedbackOnTimeRate: {
    kind: 'rate', label: { zh: '按时首次反馈率', en: 'First feedback on time' },
    formula: {
      zh: '按时首次反馈率 = 首次反馈时限内反馈的件数 ÷ 首次反馈时限已有结果的件数（已反馈，或已超时）',
      en: 'First feedback on time = requests given a first feedback by the deadline ÷ requests whose first-feedback clock has an outcome (fed back, or past its deadline)',
    },
  },
  resolveOnTimeRate: {
    kind: 'rate', label: { zh: '按时办结率', en: 'Resolved on time' },
    formula: {
      zh: '按时办结率 = 办结时限内办结的件数 ÷ 办结时限已有结果的件数（已办结，或已超时）；信访事项以办理时限计',
      en: 'Resolved on time = requests resolved by the deadline ÷ requests whose resolution clock has an outcome (resolved, or past its deadline); petitions by their handling period',
    },
  },
};

/** The clock outcome rule, shown once beside the on-time rates. */
export const CLOCK_NOTE: Text = {
  zh: '时限以各工单最近一次计时为准（转办后由新承办单位重新计时）；时限未到即结案的不计入分母；时限统计以工单最后一次事件时的状态为准',
  en: 'Each clock counts its latest run (a transfer restarts the sign clock for the new unit); a case closed before a clock was due does not count; clocks are as of the case\'s latest event',
};

export type Figures = { [K in RateKey]: RateFigure } & { [K in CountKey]: CountFigure };

/** Every figure from summed counters. */
export function figuresOf(c: Counters): Figures {
  const part = (k: string) => k.split('+').reduce((s, x) => s + c[x as KpiCounter], 0);
  const rates = Object.fromEntries(RATE_KEYS.map((k) => {
    const [n, d] = RATES[k];
    const numerator = part(n), denominator = part(d);
    return [k, { kind: 'rate', value: rate(numerator, denominator), numerator, denominator }];
  })) as { [K in RateKey]: RateFigure };
  return {
    volume: { kind: 'count', value: c.accepted },
    received: { kind: 'count', value: c.received },
    duplicates: { kind: 'count', value: c.merged },
    complaints: { kind: 'count', value: c.complaints },
    praise: { kind: 'count', value: c.praise },
    ...rates,
  };
}

// ---------------------------------------------------------------------------------------------
// Mix

export const CHANNEL_LABELS: Readonly<Record<Channel, Text>> = {
  qr: { zh: '扫码（书记在线）', en: 'QR code' },
  mailbox: { zh: '局长信箱', en: "Director's mailbox" },
  web: { zh: '网上提交', en: 'Web' },
  walk_in: { zh: '来访', en: 'Walk-in' },
  hotline: { zh: '来电', en: 'Hotline' },
  open311: { zh: 'Open311 接口', en: 'Open311' },
};

export const TYPE_LABELS_EN: Readonly<Record<CaseType, string>> = {
  consult: 'Consultation', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion', praise: 'Praise',
};

/** 投诉 and 举报 count as complaints; 表扬 stands apart. */
export const COMPLAINT_TYPES: readonly CaseType[] = ['complaint', 'report'];

export interface Share<K extends string> {
  key: K;
  count: number;
  /** count ÷ the total; null when the total is 0. */
  share: number | null;
}

/** Counts per known value (zeros included, in the given order) with their shares of the total. */
export function sharesOf<K extends string>(keys: readonly K[], counts: ReadonlyMap<string, number>): Share<K>[] {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return keys.map((key) => ({ key, count: counts.get(key) ?? 0, share: rate(counts.get(key) ?? 0, total) }));
}

export const channelMix = (counts: ReadonlyMap<string, number>) => sharesOf(CHANNELS, counts);

export function typeMix(counts: ReadonlyMap<string, number>) {
  const types = sharesOf(CASE_TYPES, counts);
  const total = types.reduce((s, t) => s + t.count, 0);
  const complaints = COMPLAINT_TYPES.reduce((s, t) => s + (counts.get(t) ?? 0), 0);
  const praise = counts.get('praise') ?? 0;
  return {
    types,
    complaints: { count: complaints, share: rate(complaints, total) },
    praise: { count: praise, share: rate(praise, total) },
  };
}

/**
 * The `limit` categories with the most volume (ties by code), each with its share of the total
 * volume and its own figures. '' is "no category".
 */
export function topCategories(rows: readonly { category: string; counters: Counters }[], limit: number) {
  const total = rows.reduce((s, r) => s + r.counters.accepted, 0);
  return rows
    .filter((r) => r.counters.accepted > 0)
    .sort((a, b) => b.counters.accepted - a.counters.accepted || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .slice(0, limit)
    .map((r) => {
      const f = figuresOf(r.counters);
      return {
        category: r.category === '' ? null : r.category, count: r.counters.accepted, share: rate(r.counters.accepted, total),
        resolutionRate: f.resolutionRate, satisfactionRate: f.satisfactionRate,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Periods and trend buckets (China-time calendar days, 'YYYY-MM-DD', both ends included)

const DAY_MS = 86_400_000;
const toUtc = (d: string) => Date.parse(`${d}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => fromUtc(toUtc(d) + n * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((toUtc(to) - toUtc(from)) / DAY_MS);

export const DEFAULT_PERIOD_DAYS = 30;
/** The longest period a query may span (about three years): bounds the rows one query reads. */
export const MAX_PERIOD_DAYS = 1096;

/** Whether `d` is a real calendar date written YYYY-MM-DD. */
export const isDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(toUtc(d)) && fromUtc(toUtc(d)) === d;

/**
 * The period asked for, defaults filled in: `to` is today (China time), `from` 29 days before
 * `to` (30 days in all). Returns a message naming the field when the period is invalid.
 */
export function periodOf(now: Date, from?: string, to?: string): { from: string; to: string } | { field: 'from' | 'to'; message: string } {
  const end = to ?? chinaDate(now);
  const start = from ?? addDays(end, -(DEFAULT_PERIOD_DAYS - 1));
  if (!isDay(start)) return { field: 'from', message: 'must be a date YYYY-MM-DD' };
  if (!isDay(end)) return { field: 'to', message: 'must be a date YYYY-MM-DD' };
  if (end < start) return { field: 'to', message: 'must not be before from' };
  if (daysBetween(start, end) + 1 > MAX_PERIOD_DAYS) return { field: 'from', message: `the period may span at most ${MAX_PERIOD_DAYS} days` };
  return { from: start, to: end };
}

/** Monday of the ISO week of a day. */
export const weekStart = (d: string) => addDays(d, -((new Date(toUtc(d)).getUTCDay() + 6) % 7));

export interface TrendBucket {
  /** First and last day of the bucket inside the period. */
  start: string;
  end: string;
  counters: Counters;
}

/**
 * Daily rows summed into buckets covering the whole period, empty buckets included: one per day,
 * or one per ISO week (Monday to Sunday; the first and last may be partial).
 */
export function trendBuckets(rows: readonly { day: string; counters: Counters }[], from: string, to: string, interval: 'day' | 'week'): TrendBucket[] {
  const buckets: TrendBucket[] = [];
  const index = new Map<string, TrendBucket>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const id = interval === 'day' ? d : weekStart(d);
    let b = index.get(id);
    if (!b) {
      b = { start: d, end: d, counters: zeroCounters() };
      index.set(id, b);
      buckets.push(b);
    }
    b.end = d;
  }
  for (const r of rows) {
    if (r.day < from || r.day > to) continue;
    const b = index.get(interval === 'day' ? r.day : weekStart(r.day))!;
    b.counters = addCounters(b.counters, r.counters);
  }
  return buckets;
}
