/**
 * Scheduled intel work (src/intel/schedule.ts decides when): the weak-signals check with the
 * leaders' notices (once per unit, category and day however often it runs) and the nightly
 * retraining of the category classifier when staff corrected categories since the active model.
 * Every node may run it; two nodes retraining in the same slot store two equivalent models and
 * the newer one is active.
 */
import type { Deps } from '../app/deps.ts';
import { retrainModel } from '../app/intel/models.ts';
import { runSignals } from '../app/signals.ts';
import { latestSlot, retrainDue, signalsDue } from '../intel/schedule.ts';
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
}

/** What a node remembers between steps: the last signals check, and the nightly slot retraining was last tried in. */
export interface IntelScheduleState {
  lastSignalsAt: Date | null;
  retrainTriedSlot: number | null;
}

/**
 * One step at `deps.now()`: runs what is due and updates `state`. Retraining is tried once per
 * slot: a failure is logged and waits for the next night instead of retrying every minute.
 */
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
  const slot = +latestSlot(now, opts.retrainHour);
  if (state.retrainTriedSlot !== slot && retrainDue(await retrainFacts(deps.db.orm, 'category'), now, opts.retrainHour)) {
    state.retrainTriedSlot = slot;
    const r = await retrainModel(deps);
    retrained = { id: r.id, samples: r.samples, corrections: r.corrections };
    deps.log.info(retrained, 'retrained the category classifier');
  }
  return { signals, retrained };
}

/** Checks every minute: signals every `signalsEveryMs`, retraining once a night when due. */
export function startIntelSchedule(deps: Deps, opts: IntelScheduleOptions, checkEveryMs = 60_000): JobLoop {
  const state: IntelScheduleState = { lastSignalsAt: null, retrainTriedSlot: null };
  return startLoop(deps.log, 'intel schedule', async () => {
    await intelStep(deps, opts, state);
    return checkEveryMs;
  }, checkEveryMs);
}
