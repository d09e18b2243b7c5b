/**
 * The one loop every background job runs in: do a step, wait the delay it asks for, repeat until
 * stopped. A failed step is logged and the loop waits `errorDelayMs` before the next one.
 */
import type { Logger } from 'pino';

export interface JobLoop {
  /** Waits for the step in progress, then stops. */
  stop(): Promise<void>;
}

/** Starts the loop at once; `step` returns how many milliseconds to wait before the next step. */
export function startLoop(log: Logger, what: string, step: () => Promise<number>, errorDelayMs: number): JobLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let delay = errorDelayMs;
      try {
        delay = await step();
      } catch (err) {
        log.error({ err }, `${what} failed`);
      }
      if (!stopped) {
        timer = setTimeout(tick, delay);
        timer.unref();
      }
    })();
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
