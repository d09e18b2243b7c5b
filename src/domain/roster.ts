/**
 * Duty rosters (专班 / 轮班): who is on duty for a unit, shift by shift. The pure rules: what a
 * valid shift is, which shifts collide, the two shift templates, the times operators type, and
 * who may read or change a unit's roster. No I/O; China time is UTC+8 with no daylight saving.
 */
import type { Actor, Role } from './actor.ts';
import { badInput } from './errors.ts';
import { HOUR_MS, chinaDayStart } from './work-calendar.ts';

/** A shift lasts at most 24 hours (one 24-hour duty). */
export const MAX_SHIFT_MS = 24 * HOUR_MS;
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Roles that may stand duty: the ones that handle cases (the admin and the auditor read none). */
export const DUTY_ROLES: readonly Role[] = ['operator', 'handler', 'leader'];

export interface ShiftSlot {
  startsAt: Date;
  endsAt: Date;
  label: string | null;
}

export interface Shift extends ShiftSlot {
  userId: string;
  /** Present for stored shifts. */
  id?: string;
  unitCode?: string;
}

/** One problem with the shift at `index` of a batch being added. */
export interface ShiftIssue {
  index: number;
  field: 'startsAt' | 'endsAt' | 'userId';
  message: string;
}

/** Half-open intervals: a shift ending at 08:00 and one starting at 08:00 do not overlap. */
export const overlaps = (a: Pick<ShiftSlot, 'startsAt' | 'endsAt'>, b: Pick<ShiftSlot, 'startsAt' | 'endsAt'>): boolean =>
  +a.startsAt < +b.endsAt && +b.startsAt < +a.endsAt;

/** Whether the shift covers the instant (start inclusive, end exclusive). */
export const covers = (s: Pick<ShiftSlot, 'startsAt' | 'endsAt'>, at: Date): boolean => +s.startsAt <= +at && +at < +s.endsAt;

/** What is wrong with one shift on its own, or null: it must end after it starts, within 24 hours. */
export function shiftProblem(s: Pick<ShiftSlot, 'startsAt' | 'endsAt'>): Omit<ShiftIssue, 'index'> | null {
  if (Number.isNaN(+s.startsAt)) return { field: 'startsAt', message: 'is not a time' };
  if (Number.isNaN(+s.endsAt)) return { field: 'endsAt', message: 'is not a time' };
  if (+s.endsAt <= +s.startsAt) return { field: 'endsAt', message: 'must be after startsAt' };
  if (+s.endsAt - +s.startsAt > MAX_SHIFT_MS) return { field: 'endsAt', message: 'a shift lasts at most 24 hours' };
  return null;
}

/**
 * Checks a batch of new shifts: each on its own, against each other, and against the same users'
 * `existing` shifts at any unit (a person stands one duty at a time). Returns every problem, in
 * batch order; empty means the batch may be saved as a whole.
 */
export function checkShifts(added: readonly Shift[], existing: readonly Shift[]): ShiftIssue[] {
  const issues: ShiftIssue[] = [];
  added.forEach((s, index) => {
    const p = shiftProblem(s);
    if (p) {
      issues.push({ index, ...p });
      return;
    }
    const earlier = added.findIndex((o, j) => j < index && o.userId === s.userId && !shiftProblem(o) && overlaps(o, s));
    if (earlier >= 0) {
      issues.push({ index, field: 'startsAt', message: `overlaps shift #${earlier + 1} of the same person in this batch` });
      return;
    }
    const clash = existing.find((o) => o.userId === s.userId && overlaps(o, s));
    if (clash) {
      issues.push({
        index, field: 'startsAt',
        message: `overlaps the same person's shift ${formatChinaTime(clash.startsAt)}–${formatChinaTime(clash.endsAt)}${clash.unitCode ? ` at ${clash.unitCode}` : ''}`,
      });
    }
  });
  return issues;
}

/** The shift templates: three 8-hour shifts, or one 24-hour shift, from a local start time. */
export const SHIFT_TEMPLATES = {
  three_8h: [{ offsetH: 0, hours: 8, label: '一班' }, { offsetH: 8, hours: 8, label: '二班' }, { offsetH: 16, hours: 8, label: '三班' }],
  one_24h: [{ offsetH: 0, hours: 24, label: '全天' }],
} as const;
export type ShiftTemplate = keyof typeof SHIFT_TEMPLATES;
export const SHIFT_TEMPLATE_NAMES = Object.keys(SHIFT_TEMPLATES) as ShiftTemplate[];

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The slots of a template over `days` consecutive China-local days, the first starting on `date`
 * (YYYY-MM-DD) at `start` (HH:mm, China time). Throws bad_input (`date` or `start`) when malformed.
 */
export function templateSlots(template: ShiftTemplate, date: string, start: string, days = 1): ShiftSlot[] {
  const m = HHMM.exec(start);
  if (!m) throw badInput('start', `not an HH:mm time: ${start}`);
  const first = chinaDayStart(date) + Number(m[1]) * HOUR_MS + Number(m[2]) * 60_000;
  const out: ShiftSlot[] = [];
  for (let d = 0; d < days; d++) {
    for (const t of SHIFT_TEMPLATES[template]) {
      const s = first + d * 24 * HOUR_MS + t.offsetH * HOUR_MS;
      out.push({ startsAt: new Date(s), endsAt: new Date(s + t.hours * HOUR_MS), label: t.label });
    }
  }
  return out;
}

/** Assigns people to slots in turn: slot i goes to `userIds[i % n]` (four people rotate through three shifts). Throws bad_input without anyone. */
export function assignInTurn(slots: readonly ShiftSlot[], userIds: readonly string[]): Shift[] {
  if (userIds.length === 0) throw badInput('usernames', 'at least one person is needed');
  return slots.map((s, i) => ({ ...s, userId: userIds[i % userIds.length]! }));
}

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a time as operators type it: an ISO datetime with a zone (`2026-11-27T08:00:00+08:00`,
 * `…Z`), or a China-local `YYYY-MM-DD HH:mm` (also with `T` or seconds). Null when it is neither.
 */
export function parseShiftTime(text: string): Date | null {
  const s = text.trim();
  if (ZONED_ISO.test(s)) {
    const d = new Date(s);
    return Number.isNaN(+d) ? null : d;
  }
  const m = LOCAL_TIME.exec(s);
  if (!m) return null;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return null;
  try {
    return new Date(chinaDayStart(m[1]!) + h * HOUR_MS + min * 60_000 + sec * 1000);
  } catch {
    return null;
  }
}

/** An instant as China-local `YYYY-MM-DD HH:mm`, for messages and the CLI. */
export function formatChinaTime(at: Date): string {
  return new Date(+at + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Who may change a unit's roster: operators and leaders of the unit or a unit above it, and the admin. */
export function canManageRoster(actor: Actor, unit: { ancestors: readonly string[] }): boolean {
  if (actor.kind !== 'staff') return false;
  if (actor.role === 'admin') return true;
  return (actor.role === 'operator' || actor.role === 'leader') && unit.ancestors.includes(actor.unitCode);
}

/** Who may read a unit's roster and who is on duty: case-handling staff of the unit or above, and the admin. */
export function canReadRoster(actor: Actor, unit: { ancestors: readonly string[] }): boolean {
  if (actor.kind !== 'staff') return false;
  return actor.role === 'admin' || (DUTY_ROLES.includes(actor.role) && unit.ancestors.includes(actor.unitCode));
}
