/**
 * Weak signals (弱信号, issue 6 item 8): each district's and street's daily volume per category,
 * read from the KPI mix rollups, compared with its own last 28 days (src/intel/signals.ts).
 * Reads are restricted to the actor's visible scope (leaders and operators see their subtree;
 * the admin and the auditor nothing); `notifySignals` queues an in-app notice (e-mail too when
 * SMTP is configured) to the leaders of each alerted unit, once per unit, category and day.
 */
import { z } from 'zod';
import type { StaffActor } from '../domain/actor.ts';
import { categoryByCode } from '../domain/categories.ts';
import { badInput, notFound } from '../domain/errors.ts';
import { addDays, isDay } from '../domain/kpi.ts';
import { visibleScope } from '../domain/policy.ts';
import { chinaDate } from '../domain/work-calendar.ts';
import { detectSignals, type SignalAlert, type SignalOptions } from '../intel/signals.ts';
import type { Tx } from '../store/db.ts';
import { leadersOf } from '../store/intel.queries.ts';
import { areaCategoryDays } from '../store/signals.queries.ts';
import { getUnit, getUnits, rootUnit } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';
import { dutyMessages } from './notify/on-duty.ts';
import { enqueue } from './outbox.ts';

/** Days of history each day is compared with. */
export const SIGNAL_WINDOW_DAYS = 28;

export const SignalsQuery = z.object({
  /** The day examined, China time, YYYY-MM-DD; default today. */
  day: z.string().trim().max(10).optional(),
  /** Restrict to a unit's subtree (inside the actor's scope). */
  unitCode: z.string().trim().min(1).max(40).optional(),
});

export interface PresentedSignal extends SignalAlert {
  unit: { code: string; name: string; kind: string };
  categoryName: string;
}

const categoryName = (c: string) => categoryByCode(c)?.name ?? c;

function dayOf(deps: Deps, day: string | undefined): string {
  const d = day ?? chinaDate(deps.now());
  if (!isDay(d)) throw badInput('day', 'must be a date YYYY-MM-DD');
  return d;
}

/** Alerts of `day` for the districts and streets under `roots` (no scope check: the caller's). */
export async function signalsUnder(tx: Tx, roots: readonly string[], day: string, opts: SignalOptions = {}): Promise<PresentedSignal[]> {
  const from = addDays(day, -SIGNAL_WINDOW_DAYS);
  const rows = await areaCategoryDays(tx, roots, from, day);
  const series = new Map<string, { unitCode: string; category: string; history: number[]; count: number }>();
  for (const r of rows) {
    const key = `${r.unitCode}\u0000${r.category}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { unitCode: r.unitCode, category: r.category, history: new Array<number>(SIGNAL_WINDOW_DAYS).fill(0), count: 0 }));
    if (r.day === day) s.count += r.count;
    else {
      const i = SIGNAL_WINDOW_DAYS - Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${r.day}T00:00:00Z`)) / 86_400_000);
      if (i >= 0 && i < SIGNAL_WINDOW_DAYS) s.history[i]! += r.count;
    }
  }
  const alerts = detectSignals([...series.values()], day, { label: categoryName, ...opts });
  const units = new Map((await getUnits(tx, [...new Set(alerts.map((a) => a.unitCode))])).map((u) => [u.code, u]));
  return alerts.map((a) => {
    const u = units.get(a.unitCode);
    return { ...a, unit: { code: a.unitCode, name: u?.name ?? a.unitCode, kind: u?.kind ?? 'unknown' }, categoryName: categoryName(a.category) };
  });
}

/** The weak signals of a day inside the actor's scope (or a unit inside it: 404 otherwise). */
export async function readSignals(deps: Deps, actor: StaffActor, q: z.infer<typeof SignalsQuery>) {
  const day = dayOf(deps, q.day);
  const scope = visibleScope(actor).units;
  let roots = scope;
  if (q.unitCode !== undefined) {
    const unit = await getUnit(deps.db.orm, q.unitCode);
    if (!unit || !unit.ancestors.some((a) => scope.includes(a))) throw notFound('unit');
    roots = [unit.code];
  }
  const alerts = await signalsUnder(deps.db.orm, roots, day);
  return { day, windowDays: SIGNAL_WINDOW_DAYS, from: addDays(day, -SIGNAL_WINDOW_DAYS), to: addDays(day, -1), alerts };
}

/**
 * Queues a notice to the leaders of each alerted unit; the dedupe key (unit, category, day) makes
 * it fire once however often it runs. Returns how many messages were new.
 */
export async function notifySignals(deps: Deps, alerts: readonly PresentedSignal[]): Promise<number> {
  if (alerts.length === 0) return 0;
  const now = deps.now();
  return deps.db.orm.transaction(async (tx) => {
    let n = 0;
    for (const a of alerts) {
      const leaders = await leadersOf(tx, [a.unitCode]);
      const people = [...new Map(leaders.map((l) => [l.userId, l])).values()];
      n += await enqueue(tx, now, dutyMessages(people, {
        key: `signal:${a.unitCode}:${a.category}:${a.day}`, kind: 'weak_signal',
        title: `弱信号：${a.unit.name} ${a.categoryName} ${a.day}`, body: a.explanation,
      }, !!deps.config.smtpUrl));
    }
    return n;
  });
}

/** City-wide run for a day (the CLI and jobs): alerts of every district and street, leaders notified when asked. */
export async function runSignals(deps: Deps, opts: { day?: string; notify?: boolean } = {}) {
  const day = dayOf(deps, opts.day);
  const root = await rootUnit(deps.db.orm);
  const alerts = root ? await signalsUnder(deps.db.orm, [root.code], day) : [];
  const notified = opts.notify ? await notifySignals(deps, alerts) : 0;
  return { day, alerts, notified };
}
