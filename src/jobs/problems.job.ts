/**
 * The daily proposal run of common problems (共性问题): once a day, from PROBLEMS_RUN_HOUR (03:00
 * China time by default), the city's last eight weeks are clustered, new problems proposed (their
 * streets' leaders told) and later cases linked to the problems they match
 * (src/app/problems/propose-problems.ts). Any number of nodes may run the loop: the day's run is
 * claimed by one row (`daily_counters`), so it runs once per day — at start-up when the day's has
 * not run yet. A run that fails after the claim is logged and waits for the next day.
 */
import type { Deps } from '../app/deps.ts';
import { proposeProblems, type ProposeResult } from '../app/problems/propose-problems.ts';
import { pastHour, runDay } from '../intel/schedule.ts';
import { claimDailyRun } from '../store/daily-runs.queries.ts';
import { startLoop, type JobLoop } from './loop.ts';

const CHECK_EVERY_MS = 10 * 60_000;

/**
 * One check at `now`: runs the day's proposals if it is past `config.problemsRunHour` (China
 * time) and no node has run them today.
 */
export async function problemsStep(deps: Deps, now: Date): Promise<ProposeResult | null> {
  if (!pastHour(now, deps.config.problemsRunHour)) return null;
  if (!(await claimDailyRun(deps.db.orm, 'problems-run', runDay(now)))) return null;
  const r = await proposeProblems(deps, 'all', { now });
  deps.log.info({ cases: r.cases, proposed: r.proposed.length, grown: r.grown.length, ms: r.ms }, 'common problems: daily run');
  return r;
}

/** Checks every ten minutes until stopped. */
export function startProblemProposer(deps: Deps, opts: { intervalMs?: number } = {}): JobLoop {
  const intervalMs = opts.intervalMs ?? CHECK_EVERY_MS;
  return startLoop(deps.log, 'common problems run', async () => {
    await problemsStep(deps, deps.now());
    return intervalMs;
  }, intervalMs);
}
