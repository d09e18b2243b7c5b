/**
 * When the scheduled intel work runs (src/jobs/intel.job.ts): the classifier is retrained once a
 * night, after the slot hour (China time), and only when staff set or corrected a category after
 * the active model was made; weak signals are checked every `signalsEveryMs` through the day, so
 * a spike is reported while it grows, and the leaders' notice still goes out once per day.
 */
import { chinaDate, chinaDayStart } from '../domain/work-calendar.ts';

const HOUR_MS = 3_600_000;

/** The latest nightly slot at or before `now`: `hour`:00 China time today, else the day before. */
export function latestSlot(now: Date, hour: number): Date {
  const today = chinaDayStart(chinaDate(now)) + hour * HOUR_MS;
  return new Date(today <= +now ? today : today - 24 * HOUR_MS);
}

export interface RetrainFacts {
  /** When the active model was made; null when there is none (train one from a CSV first). */
  modelAt: Date | null;
  /** The latest category correction or confirmation by staff; null when none. */
  lastCorrectionAt: Date | null;
}

/** Whether to retrain now: there is a model, a correction newer than it, and the model predates the latest slot. */
export function retrainDue(f: RetrainFacts, now: Date, hour: number): boolean {
  if (!f.modelAt || !f.lastCorrectionAt) return false;
  return f.lastCorrectionAt > f.modelAt && f.modelAt < latestSlot(now, hour);
}

/** Whether the signals check is due: never run, or the last run is `everyMs` old. */
export function signalsDue(lastRunAt: Date | null, now: Date, everyMs: number): boolean {
  return !lastRunAt || +now - +lastRunAt >= everyMs;
}
