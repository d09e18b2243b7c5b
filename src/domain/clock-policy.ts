/**
 * SLA clock policies as ordered data: the first policy whose `match` fits the case wins, and the
 * last one matches everything (the explicit fallback). A policy names its clocks; how a clock runs
 * over a case's events is `clocks.ts`.
 */
import type { CaseType, Channel, Urgency } from './case.ts';
import { DomainError } from './errors.ts';
import type { UnitKind } from './org.ts';
import { DAY_MS, HOUR_MS, type TimeBasis } from './work-calendar.ts';

export type ClockBasis = TimeBasis;
export const CLOCK_NAMES = ['sign', 'contact', 'first_feedback', 'resolve', 'petition_accept', 'petition_handle'] as const;
/** A clock a policy names. */
export type PolicyClockName = (typeof CLOCK_NAMES)[number];
/**
 * A policy clock, or the sign clock of a unit summoned (吹哨) to an escalated case:
 * `co_sign:<unitCode>`, derived from the policy's `sign` clock (see `coSignDef`).
 */
export type ClockName = PolicyClockName | `co_sign:${string}`;
/**
 * What starts a clock. `accepted_decision` (受理决定) is beyond the three in the issue: a petition
 * is handled within 60 days of being accepted, not of being received.
 */
export const CLOCK_STARTS = ['accepted', 'dispatched', 'signed', 'accepted_decision'] as const;
/** `summoned:<unitCode>`: a summon naming the unit (starts its co-sign clock). */
export type ClockStart = (typeof CLOCK_STARTS)[number] | `summoned:${string}`;
export const CLOCK_STOPS = ['signed', 'contacted', 'feedback', 'resolved', 'accepted_decision'] as const;
/** `co_signed:<unitCode>`: that unit co-signed (stops its co-sign clock). */
export type ClockStop = (typeof CLOCK_STOPS)[number] | `co_signed:${string}`;

export interface Duration {
  amount: number;
  unit: 'minutes' | 'hours' | 'days';
}

export interface ClockDef {
  name: ClockName;
  start: ClockStart;
  stop: ClockStop;
  target: Duration;
  basis: ClockBasis;
  /** Fractions of the target at which to warn, ascending; default [0.5, 0.8]. */
  warnAt: number[];
  /** Events after the first start that begin a fresh run: a new unit signs anew, a reopened case gets a new resolution period. */
  restartOn?: Array<'dispatched' | 'reopened' | `summoned:${string}`>;
  /** Absent: the clock cannot be extended. `times` extensions of at most `max` each. */
  maxExtension?: { max: Duration; times: number };
}

export interface PolicyMatch {
  channel?: Channel | readonly Channel[];
  /** Kind of the lead unit. */
  unitKind?: UnitKind | readonly UnitKind[];
  /** Code of the lead unit's bureau. */
  bureau?: string | readonly string[];
  category?: string | readonly string[];
  urgency?: Urgency | readonly Urgency[];
  type?: CaseType | readonly CaseType[];
  petition?: boolean;
  /** Flagged 疑难复杂 by the dispatcher. */
  complex?: boolean;
}

export interface ClockPolicy {
  id: string;
  name: string;
  match: PolicyMatch;
  clocks: ClockDef[];
}

/** What a policy is matched on; null or absent facts match only policies that do not ask for them. */
export interface CaseFacts {
  channel: Channel;
  unitKind?: UnitKind | null;
  bureau?: string | null;
  category?: string | null;
  urgency: Urgency;
  type: CaseType;
  petition?: boolean;
  complex?: boolean;
}

export const DEFAULT_WARN_AT: readonly number[] = [0.5, 0.8];

/** Utility outages (水电气): resolved within 24 h. */
export const UTILITY_CATEGORIES: readonly string[] = ['水电气', '供水', '停水', '供电', '停电', '燃气', '供气', '停气', '供暖'];

/** A day is 24 h on the calendar and working-days bases, and 9 working hours on the working-hours basis. */
export function durationMs(d: Duration, basis: ClockBasis): number {
  if (!(d.amount >= 0)) throw new RangeError(`negative duration: ${d.amount} ${d.unit}`);
  const unitMs = { minutes: 60_000, hours: HOUR_MS, days: basis === 'workhours' ? 9 * HOUR_MS : DAY_MS }[d.unit];
  return d.amount * unitMs;
}

const CO_SIGN = 'co_sign:';

/** The unit a co-sign clock belongs to (`co_sign:<unitCode>`), or null for a policy clock. */
export function coSignUnit(name: string): string | null {
  return name.startsWith(CO_SIGN) && name.length > CO_SIGN.length ? name.slice(CO_SIGN.length) : null;
}

/**
 * The sign clock of a summoned co-unit, from the policy's `sign` clock (same target, basis and
 * warnings): it starts when a summon names the unit, stops when the unit co-signs, and starts
 * anew when the unit is summoned again. It cannot be extended.
 */
export function coSignDef(sign: ClockDef, unitCode: string): ClockDef {
  return {
    name: `${CO_SIGN}${unitCode}`, start: `summoned:${unitCode}`, stop: `co_signed:${unitCode}`,
    target: sign.target, basis: sign.basis, warnAt: [...sign.warnAt], restartOn: [`summoned:${unitCode}`],
  };
}

const clock = (name: PolicyClockName, start: ClockStart, stop: ClockStop, amount: number, unit: Duration['unit'], basis: ClockBasis,
  extra: Partial<ClockDef> = {}): ClockDef => ({ name, start, stop, target: { amount, unit }, basis, warnAt: [...DEFAULT_WARN_AT], ...extra });

/** 10 min to sign (each unit dispatched to signs anew), 30 min to contact, 4 working days to first feedback. */
const handling = (): ClockDef[] => [
  clock('sign', 'dispatched', 'signed', 10, 'minutes', 'calendar', { restartOn: ['dispatched'] }),
  clock('contact', 'signed', 'contacted', 30, 'minutes', 'calendar'),
  clock('first_feedback', 'signed', 'feedback', 4, 'days', 'workdays'),
];
const resolve = (amount: number, unit: Duration['unit'], basis: ClockBasis, maxExtension?: ClockDef['maxExtension']) =>
  clock('resolve', 'accepted', 'resolved', amount, unit, basis, { restartOn: ['reopened'], ...(maxExtension && { maxExtension }) });

/** The shipped policies, most specific first; `general` is the fallback. */
export const DEFAULT_POLICIES: readonly ClockPolicy[] = [
  {
    id: 'petition', name: '信访事项：15日内决定是否受理，60日内办结，可延期一次不超过30日', match: { petition: true },
    clocks: [
      clock('petition_accept', 'accepted', 'accepted_decision', 15, 'days', 'calendar'),
      clock('petition_handle', 'accepted_decision', 'resolved', 60, 'days', 'calendar', { maxExtension: { max: { amount: 30, unit: 'days' }, times: 1 } }),
    ],
  },
  { id: 'emergency', name: '紧急诉求：2小时办结', match: { urgency: 'emergency' }, clocks: [...handling(), resolve(2, 'hours', 'calendar')] },
  { id: 'urgent', name: '急件：24小时办结', match: { urgency: 'urgent' }, clocks: [...handling(), resolve(24, 'hours', 'calendar')] },
  { id: 'utilities', name: '水电气：24小时办结', match: { category: UTILITY_CATEGORIES }, clocks: [...handling(), resolve(24, 'hours', 'calendar')] },
  {
    id: 'complex', name: '疑难复杂：15个工作日办结', match: { complex: true },
    clocks: [...handling(), resolve(15, 'days', 'workdays', { max: { amount: 15, unit: 'days' }, times: 1 })],
  },
  {
    id: 'general', name: '一般诉求：7个工作日办结', match: {},
    clocks: [...handling(), resolve(7, 'days', 'workdays', { max: { amount: 7, unit: 'days' }, times: 1 })],
  },
];

function fits<T>(want: T | readonly T[] | undefined, have: T | null | undefined): boolean {
  if (want === undefined) return true;
  if (have === null || have === undefined) return false;
  return Array.isArray(want) ? want.includes(have) : want === have;
}

export function matches(m: PolicyMatch, f: CaseFacts): boolean {
  return fits(m.channel, f.channel) && fits(m.unitKind, f.unitKind) && fits(m.bureau, f.bureau) && fits(m.category, f.category)
    && fits(m.urgency, f.urgency) && fits(m.type, f.type)
    && (m.petition === undefined || m.petition === (f.petition ?? false))
    && (m.complex === undefined || m.complex === (f.complex ?? false));
}

/**
 * The first policy that matches the case. Throws (a configuration error, not bad input) when none
 * does: the list must end with a fallback whose `match` is empty.
 */
export function selectPolicy(policies: readonly ClockPolicy[], facts: CaseFacts): ClockPolicy {
  const hit = policies.find((p) => matches(p.match, facts));
  if (!hit) throw new Error(`no clock policy matches the case: end the policy list with a fallback whose match is {}`);
  return hit;
}

/**
 * Checks a requested extension against the clock's limits before a leader approves it; the
 * approved extension then counts as recorded. `granted` are the extensions already approved
 * in the clock's current run. Throws DomainError 'bad_input' when the clock cannot be extended,
 * the amount is not positive or over the maximum, or the extensions are used up.
 */
export function checkExtension(def: ClockDef, granted: readonly Duration[], requested: Duration): void {
  const fail = (msg: string) => new DomainError('bad_input', `extension: ${msg}`, { field: 'extension', clock: def.name });
  if (!def.maxExtension) throw fail(`the ${def.name} clock cannot be extended`);
  if (!(requested.amount > 0)) throw fail('must be positive');
  if (durationMs(requested, def.basis) > durationMs(def.maxExtension.max, def.basis)) {
    throw fail(`at most ${def.maxExtension.max.amount} ${def.maxExtension.max.unit}`);
  }
  if (granted.length >= def.maxExtension.times) throw fail(`at most ${def.maxExtension.times} extension(s)`);
}
