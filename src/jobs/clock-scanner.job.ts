/**
 * The clock scanner: raises every warning and breach point once it is due, exactly once, on any
 * number of nodes. Timers are rows (`cases.next_due_at`), so points that fell due while every
 * node was down are raised, marked late, by the first sweep after a restart; none fires early.
 */
import { raiseDueBatch } from '../app/raise-clock-points.ts';
import type { Deps } from '../app/deps.ts';
import { earliestDue } from '../store/clocks.queries.ts';
import { startLoop, type JobLoop } from './loop.ts';

export interface SweepResult {
  cases: number;
  raised: number;
  late: number;
  breaches: number;
  batches: number;
}

/**
 * Raises every point due by `now`: claims due cases `batch` at a time, each batch in its own short
 * transaction (raise-clock-points.ts), until a batch comes back short. Cases other scanners hold
 * are skipped and left to them. Throws database errors; what earlier batches raised stays raised.
 */
export async function sweep(deps: Deps, now: Date, opts: { batch?: number } = {}): Promise<SweepResult> {
  const batch = opts.batch ?? 100;
  const out: SweepResult = { cases: 0, raised: 0, late: 0, breaches: 0, batches: 0 };
  const stuck: string[] = [];
  for (;;) {
    const r = await raiseDueBatch(deps, now, batch, stuck);
    out.batches++;
    out.cases += r.claimed;
    out.raised += r.raised;
    out.late += r.late;
    out.breaches += r.breaches;
    stuck.push(...r.stuck);
    if (r.claimed < batch) return out;
  }
}

export type ClockScanner = JobLoop;

/**
 * Sweeps in a loop until stopped: after each sweep it sleeps until the earliest next point (an
 * index lookup), at most `intervalMs` (which bounds how late a point made on another node is
 * seen). Errors are logged and the loop goes on. `onSweep` observes each sweep (benchmarks, metrics).
 */
export function startClockScanner(
  deps: Deps,
  opts: { intervalMs?: number; batch?: number; onSweep?: (r: SweepResult, ms: number) => void } = {},
): ClockScanner {
  const intervalMs = opts.intervalMs ?? 1000;
  return startLoop(deps.log, 'clock sweep', async () => {
    const t0 = performance.now();
    const r = await sweep(deps, deps.now(), { batch: opts.batch });
    opts.onSweep?.(r, performance.now() - t0);
    if (r.raised > 0) deps.log.info({ raised: r.raised, late: r.late, breaches: r.breaches }, 'clock points raised');
    const next = await earliestDue(deps.db.orm);
    const until = next ? +next - +deps.now() : intervalMs;
    // Already due: fell due during the sweep (go again), or stuck in a case it claimed and could not raise (don't spin).
    return until > 0 ? Math.min(intervalMs, until) : r.cases === 0 || r.raised > 0 ? 0 : intervalMs;
  }, intervalMs);
}
