/**
 * The work calendar's override table: the State Council's holiday arrangement for a year the
 * `chinese-days` package has not published yet (or a correction). Adding one recomputes the open
 * cases' clocks; `calendarWarnings` lists the years open deadlines run into with no calendar.
 */
import { z } from 'zod';
import { PUBLISHED_YEARS, makeWorkCalendar, type CalendarOverride } from '../domain/work-calendar.ts';
import { badInput } from '../domain/errors.ts';
import { listOverrides, liveWorkingClockYears, upsertOverride } from '../store/clocks.queries.ts';
import { invalidateClockConfig, type ClockCtx } from './case-clocks.ts';
import type { Deps } from './deps.ts';
import { recomputeOpenCases, type Progress } from './recompute-clocks.ts';

export const OverrideBody = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1).max(40).optional(),
}).strict();

export async function listCalendarOverrides(deps: Pick<Deps, 'db'>) {
  return { overrides: await listOverrides(deps.db.orm), publishedYears: { from: PUBLISHED_YEARS[0] ?? null, to: PUBLISHED_YEARS.at(-1) ?? null } };
}

/**
 * Adds an override (or replaces the one for that date), then recomputes the open cases' clocks.
 * Throws bad_input for an impossible date or a bad kind.
 */
export async function addCalendarOverride(deps: ClockCtx, input: unknown, onProgress?: Progress) {
  const r = OverrideBody.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw badInput(issue.path.map(String).join('.') || 'body', issue.message);
  }
  const o: CalendarOverride = r.data;
  makeWorkCalendar([o]);
  await upsertOverride(deps.db.orm, o);
  invalidateClockConfig(deps.db);
  deps.log.info({ date: o.date, kind: o.kind }, 'calendar override added; recomputing open cases');
  const recomputed = await recomputeOpenCases(deps, onProgress);
  return { override: o, recomputed };
}

/**
 * Years that running working-time clocks of open cases span with no published calendar (counted
 * as weekends only until an override is loaded), with how many clocks touch each. Scans the open
 * cases' stored clocks: an administrator's check, not a hot path.
 */
export async function calendarWarnings(deps: Pick<Deps, 'db'>) {
  const cal = makeWorkCalendar(await listOverrides(deps.db.orm));
  const byYear = new Map<number, number>();
  for (const span of await liveWorkingClockYears(deps.db.orm)) {
    for (let y = span.fromYear; y <= span.toYear; y++) {
      if (cal.coverage(`${y}-01-01`) === 'missing') byYear.set(y, (byYear.get(y) ?? 0) + span.clocks);
    }
  }
  const years = [...byYear].sort(([a], [b]) => a - b).map(([year, clocks]) => ({
    year, clocks,
    message: `${clocks} running deadline(s) count working days in ${year}, which has no published holiday calendar (weekends only); add the State Council's arrangement for ${year} as calendar overrides`,
  }));
  return { years };
}
