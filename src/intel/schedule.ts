/**
 * When the scheduled intel work runs (src/jobs/intel.job.ts, src/jobs/problems.job.ts). Daily
 * work runs at the first check after its hour (China time) each day, on the one node that claims
 * the day; the classifier is retrained then only when staff set or corrected a category after the
 * active model was made. Weak signals are checked every `signalsEveryMs` through the day, so a
 * spike is reported while it grows (the leaders' notice still goes out once per day).
 */
import { chinaDate } from '../domain/work-calendar.ts';

/** Whether `now` is at or past `hour`:00 China time on its China day. */
export function pastHour(now: Date, hour: number): boolean {
  return new Date(+now + 8 * 3_600_000).getUTCHours() >= hour;
}

/** The China day a daily run at `now` counts for. */
export const runDay = (now: Date): string => chinaDate(now);

export interface RetrainFacts {
  /** When the active model was made; null when there is none (train one from a CSV first). */
  modelAt: Date | null;
  /** The latest category correction or confirmation by staff; null when none. */
  lastCorrectionAt: Date | null;
}

/** Whether retraining would learn anything: there is a model and a correction newer than it. */
export function retrainDue(f: RetrainFacts): boolean {
  return !!f.modelAt && !!f.lastCorrectionAt && f.lastCorrectionAt > f.modelAt;
}

/** Whether the signals check is due: never run, or the last run is `everyMs` old. */
export function signalsDue(lastRunAt: Date | null, now: Date, everyMs: number): boolean {
  return !lastRunAt || +now - +lastRunAt >= everyMs;
}
