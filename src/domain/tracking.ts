/** Tracking numbers a citizen can read aloud over the phone: SZ-20261127-000123. */

/** The calendar day in China (UTC+8, no daylight saving) as YYYYMMDD. */
export function chinaDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatTrackingNo(prefix: string, day: string, n: number): string {
  return `${prefix}-${day}-${String(n).padStart(6, '0')}`;
}

export const TRACKING_NO = /^[A-Z]{2,4}-\d{8}-\d{6,}$/;
