/**
 * Scheduled intel work (src/intel/schedule.ts decides when): the weak-signals check with the
 * leaders' notices (once per unit, category and day however often it runs), the nightly
 * retraining of the category classifier when staff corrected categories since the active model,
 * and dropping the duplicate look-up's keys older than its window.
 * Every node may run it: the night's retraining is claimed by one node (`daily_counters`); a
 * retraining that fails is logged and waits for the next night.
 */
import type { Deps } from '../app/deps.ts';
import { pruneSimilarKeys } from '../app/intel/intake-intel.ts';
import { retrainModel } from '../app/intel/models.ts';
import { runSignals } from '../app/signals.ts';
import { pastHour, retrainDue, runDay, signalsDue } from '../intel/schedule.ts';
import { claimDailyRun } from '../store/daily-runs.queries.ts';
import { retrainFacts } from '../store/intel.queries.ts';
import { startLoop, type JobLoop } from './loop.ts';

export interface IntelScheduleOptions {
  /** China-time hour after which the nightly retraining runs (0–23). */
  retrainHour: number;
  signalsEveryMs: number;
}

export interface IntelStepResult {
  signals: { day: string; alerts: number; notified: number } | null;
  retrained: { id: number; samples: number; corrections: number } | null;
  /** LSH keys of the duplicate look-up dropped once a day (older than any look-up reads); null when not run. */
  prunedKeys: number | null;
}

/** What a node remembers between steps: when it last checked the signals. */
export interface IntelScheduleState {
  lastSignalsAt: Date | null;
}

/** One step at `deps.now()`: runs what is due and updates `state`. */
export async function intelStep(deps: Deps, opts: IntelScheduleOptions, state: IntelScheduleState): Promise<IntelStepResult> {
  const now = deps.now();
  let signals: IntelStepResult['signals'] = null;
  if (signalsDue(state.lastSignalsAt, now, opts.signalsEveryMs)) {
    state.lastSignalsAt = now;
    const r = await runSignals(deps, { notify: true });
    signals = { day: r.day, alerts: r.alerts.length, notified: r.notified };
    if (signals.alerts) deps.log.info(signals, 'weak signals checked');
  }
  let retrained: IntelStepResult['retrained'] = null;
  if (pastHour(now, opts.retrainHour) && (await claimDailyRun(deps.db.orm, 'intel-retrain', runDay(now)))
    && retrainDue(await retrainFacts(deps.db.orm, 'category'))) {
    const r = await retrainModel(deps);
    retrained = { id: r.id, samples: r.samples, corrections: r.corrections };
    deps.log.info(retrained, 'retrained the category classifier');
  }
  let prunedKeys: number | null = null;
  if (pastHour(now, opts.retrainHour) && (await claimDailyRun(deps.db.orm, 'similar-keys-prune', runDay(now)))) {
    prunedKeys = await pruneSimilarKeys(deps, now);
    if (prunedKeys) deps.log.info({ prunedKeys }, 'dropped old duplicate look-up keys');
  }
  return { signals, retrained, prunedKeys };
}

/** Checks every minute: signals every `signalsEveryMs`, retraining at the first check after the hour each day, when due. */
export function startIntelSchedule(deps: Deps, opts: IntelScheduleOptions, checkEveryMs = 60_000): JobLoop {
  const state: IntelScheduleState = { lastSignalsAt: null };
  return startLoop(deps.log, 'intel schedule', async () => {
    await intelStep(deps, opts, state);
    return checkEveryMs;
  }, checkEveryMs);
}
