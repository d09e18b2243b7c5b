/** One shared second ticker for every countdown on the page (not one timer per row). */
import { useSyncExternalStore } from 'react';

const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = Date.now();

function subscribe(fn: () => void) {
  subscribers.add(fn);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      subscribers.forEach((s) => s());
    }, 1000);
  }
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in ms, re-rendering every second. */
export const useNow = () => useSyncExternalStore(subscribe, () => now);
