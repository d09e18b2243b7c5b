/**
 * Open311 GeoReport v2 rules that do not depend on HTTP: how our statuses read as open/closed,
 * which cases the public API may show, the date window of a search, the date format, and the
 * scrubbing of text that leaves the platform. Pure; `now` is passed in.
 */
import { STATUSES, type Channel, type Status, type StatusCategory } from './case.ts';
import { badInput } from './errors.ts';

export type Open311Status = 'open' | 'closed';

/** Status category → Open311 status: still being handled is `open`, finished is `closed`. */
export const OPEN311_STATUS: Record<StatusCategory, Open311Status> = {
  new: 'open', open: 'open', pending: 'open', resolved: 'closed', closed: 'closed',
};

/** The status categories an Open311 status filter stands for. */
export function categoriesFor(s: Open311Status): StatusCategory[] {
  return (Object.keys(OPEN311_STATUS) as StatusCategory[]).filter((c) => OPEN311_STATUS[c] === s);
}

/**
 * Status → the status word of FixMyStreet's `servicerequestupdates` extension (its clients know
 * these); our own status goes alongside as `external_status_code`. A status not listed reads as
 * plain `open` or `closed` by its category.
 */
const UPDATE_WORDS: Partial<Record<Status, string>> = {
  dispatched: 'in_progress', signed: 'in_progress', return_requested: 'in_progress', escalated: 'in_progress',
  reopened: 'reopen', pending: 'investigating', resolved: 'fixed', merged: 'duplicate', not_accepted: 'no_further_action',
};

export const updateStatus = (s: Status): string => UPDATE_WORDS[s] ?? OPEN311_STATUS[STATUSES[s]];

/**
 * Channels whose cases the public API shows. Only requests sent through Open311 itself: their
 * text was written for an open API. Cases from the hotline, walk-ins, letters to a director or
 * our own forms were told to the government, not published, and often name the caller.
 */
export const PUBLISHED_CHANNELS: readonly Channel[] = ['open311'];

export const isPublished = (c: { channel: string }): boolean => (PUBLISHED_CHANNELS as readonly string[]).includes(c.channel);

/** A search spans at most 90 days (the spec's limit). */
export const MAX_WINDOW_MS = 90 * 24 * 3600_000;

/**
 * The `requested_datetime` window of a search: both ends given → checked; one end → 90 days from
 * it; none → the last 90 days up to `now`.
 * @throws bad_input when the end is before the start or the span exceeds 90 days
 */
export function searchWindow(now: Date, start?: Date, end?: Date): { from: Date; to: Date } {
  const from = start ?? new Date((end ?? now).getTime() - MAX_WINDOW_MS);
  const to = end ?? (start ? new Date(start.getTime() + MAX_WINDOW_MS) : now);
  if (to < from) throw badInput('end_date', 'must not be before start_date');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badInput('end_date', 'must be at most 90 days after start_date');
  return { from, to };
}

/** China has one time zone and no daylight saving: every date goes out at +08:00. */
const OFFSET_MS = 8 * 3600_000;

/** W3C/ISO 8601 date-time with the +08:00 offset and whole seconds: `2026-11-27T10:00:00+08:00`. */
export function w3cDateTime(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 19) + '+08:00';
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a W3C date-time (`2026-11-01T00:00:00Z`, `2026-11-01T08:00:00+08:00`) or a bare date,
 * which means midnight at +08:00. A time without a time zone is refused (the spec requires one).
 * Returns null for anything else.
 */
export function parseW3cDate(s: string): Date | null {
  const m = W3C.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, tz] = m;
  // Date would roll 2026-02-30 over into March and accept 24:00: check the fields first.
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > daysInMonth || Number(h ?? 0) > 23) return null;
  const date = new Date(h ? `${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${frac ?? ''}${tz}` : `${y}-${mo}-${d}T00:00:00+08:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const MOBILE = /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g;
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Masks what looks like personal data in free text going out of the platform: mobile and
 * landline numbers, 18-digit ID numbers, e-mail addresses. Defence in depth: the API never puts
 * a citizen's stored name or phone in a response; this catches what someone typed into a text.
 */
export function scrubText(s: string): string {
  return s.replace(EMAIL, '[邮箱]').replace(ID_NUMBER, '[证件号]').replace(MOBILE, '[电话]').replace(LANDLINE, '[电话]');
}

