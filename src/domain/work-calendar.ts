/**
 * The work calendar: which China-local dates are working days, and how much working time lies
 * between two instants. Data: the statutory holidays and make-up workdays (调休上班) published in
 * `chinese-days`, plus an override table for years the package has not published yet (or for
 * corrections). Pure: no I/O, no clock, no dependence on the machine's time zone.
 *
 * We read the package's JSON table rather than calling its functions: those parse and format
 * dates in the machine's local zone (`isWorkday('2026-02-14')` answers for 02-13 under
 * America/Los_Angeles), and the table also tells which years are published.
 *
 * Time bases, each a way to measure elapsed time between instants (China time, UTC+8, no DST):
 * - `calendar`:  every millisecond counts.
 * - `workdays`:  all 24 h of each working day count; other days count nothing.
 *                n working days = n × 24 h of that time, so from a working day the due is the
 *                same time of day on the n-th working day after it (from a rest day: the end
 *                of the n-th working day after it).
 * - `workhours`: 09:00–18:00 of each working day counts (9 h a day).
 */
import cnDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { badInput } from './errors.ts';

export type TimeBasis = 'calendar' | 'workdays' | 'workhours';
export type Coverage = 'published' | 'override' | 'missing';

export interface CalendarOverride {
  /** China-local date, YYYY-MM-DD. */
  date: string;
  kind: 'holiday' | 'workday';
  name?: string;
}

export interface WorkCalendar {
  /** Whether a China-local date (YYYY-MM-DD) is a working day. Throws 'bad_input' on a malformed date. */
  isWorkday(date: string): boolean;
  /** Where the answer for this date comes from; 'missing' means weekends only, so warn the user. */
  coverage(date: string): Coverage;
  /** Years between the China-local dates of `a` and `b` (inclusive, either order) with no calendar. */
  missingYears(a: Date, b: Date): number[];
  /** `n` working days after `start` (see the `workdays` basis above). Throws on negative n. */
  addWorkingDays(start: Date, n: number): Date;
  /** `hours` of 09:00–18:00 working time after `start`. Throws on negative hours. */
  addWorkingHours(start: Date, hours: number): Date;
  /** The earliest instant at which `ms` of `basis` time has elapsed since `start`. Throws on negative ms. */
  advance(start: Date, ms: number, basis: TimeBasis): Date;
  /** `basis` time elapsed from `a` to `b`; negative when b is before a. */
  workingMsBetween(a: Date, b: Date, basis: TimeBasis): number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;
const WORK_HOURS = { from: 9 * HOUR_MS, to: 18 * HOUR_MS } as const;
/** Ten years of days: a guard against an override table that declares every day a holiday. */
const MAX_DAYS_SCANNED = 3660;

const PUBLISHED = cnDays as { holidays: Record<string, string>; workdays: Record<string, string> };
/** Years with at least one published holiday: what the installed `chinese-days` covers. */
export const PUBLISHED_YEARS: readonly number[] = [...new Set(Object.keys(PUBLISHED.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC instant at which a China-local date begins. Throws 'bad_input' on a malformed or impossible date. */
export function chinaDayStart(date: string): number {
  const m = DATE_RE.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) throw badInput('date', `not a YYYY-MM-DD date: ${date}`);
  return t - CHINA_OFFSET_MS;
}

/** The China-local date (YYYY-MM-DD) of an instant. */
export function chinaDate(at: Date | number): string {
  return new Date(+at + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Builds a calendar from `chinese-days` plus overrides. Overrides win over the package for their
 * date; any override in a year makes that year covered. `publishedYears` replaces the detected
 * list (tests use it to pretend a year is unpublished). Throws 'bad_input' on a malformed override.
 */
export function makeWorkCalendar(overrides: readonly CalendarOverride[] = [], publishedYears: readonly number[] = PUBLISHED_YEARS): WorkCalendar {
  const overrideKind = new Map<string, CalendarOverride['kind']>();
  for (const o of overrides) {
    chinaDayStart(o.date);
    if (o.kind !== 'holiday' && o.kind !== 'workday') throw badInput('kind', `must be holiday or workday: ${String(o.kind)}`);
    overrideKind.set(o.date, o.kind);
  }
  const published = new Set(publishedYears);
  const overridden = new Set([...overrideKind.keys()].map((d) => Number(d.slice(0, 4))));

  const isWorkday = (date: string): boolean => {
    const dayStart = chinaDayStart(date);
    const o = overrideKind.get(date);
    if (o) return o === 'workday';
    if (PUBLISHED.workdays[date]) return true;
    if (PUBLISHED.holidays[date]) return false;
    const weekday = new Date(dayStart + CHINA_OFFSET_MS).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  };

  const coverage = (date: string): Coverage => {
    chinaDayStart(date);
    const year = Number(date.slice(0, 4));
    if (published.has(year)) return 'published';
    return overridden.has(year) ? 'override' : 'missing';
  };

  /** The counted window of a day, as UTC instants, or null when nothing of it counts. */
  const windowOf = (dayStart: number, basis: TimeBasis): [number, number] | null => {
    if (basis === 'calendar') return [dayStart, dayStart + DAY_MS];
    if (!isWorkday(chinaDate(dayStart))) return null;
    return basis === 'workdays' ? [dayStart, dayStart + DAY_MS] : [dayStart + WORK_HOURS.from, dayStart + WORK_HOURS.to];
  };

  const workingMsBetween = (a: Date, b: Date, basis: TimeBasis): number => {
    if (+b < +a) return -workingMsBetween(b, a, basis);
    if (basis === 'calendar') return +b - +a;
    let sum = 0;
    for (let day = chinaDayStart(chinaDate(a)); day < +b; day += DAY_MS) {
      const w = windowOf(day, basis);
      if (w) sum += Math.max(0, Math.min(w[1], +b) - Math.max(w[0], +a));
    }
    return sum;
  };

  const advance = (start: Date, ms: number, basis: TimeBasis): Date => {
    if (!(ms >= 0)) throw new RangeError(`cannot advance by ${ms} ms`);
    if (ms === 0 || basis === 'calendar') return new Date(+start + ms);
    let left = ms;
    let day = chinaDayStart(chinaDate(start));
    for (let i = 0; i < MAX_DAYS_SCANNED; i++, day += DAY_MS) {
      const w = windowOf(day, basis);
      if (!w) continue;
      const from = Math.max(w[0], +start);
      const avail = w[1] - from;
      if (avail <= 0) continue;
      if (left <= avail) return new Date(from + left);
      left -= avail;
    }
    throw new RangeError(`no ${basis} time within ${MAX_DAYS_SCANNED} days of ${start.toISOString()}`);
  };

  return {
    isWorkday,
    coverage,
    missingYears(a, b) {
      const [y1, y2] = [Number(chinaDate(a).slice(0, 4)), Number(chinaDate(b).slice(0, 4))].sort((x, y) => x - y) as [number, number];
      const out: number[] = [];
      for (let y = y1; y <= y2; y++) if (coverage(`${y}-01-01`) === 'missing') out.push(y);
      return out;
    },
    addWorkingDays: (start, n) => advance(start, n * DAY_MS, 'workdays'),
    addWorkingHours: (start, hours) => advance(start, hours * HOUR_MS, 'workhours'),
    advance,
    workingMsBetween,
  };
}
