import { describe, expect, it } from 'vitest';
import { latestSlot, retrainDue, signalsDue } from './schedule.ts';

const at = (s: string) => new Date(s);

describe('the nightly slot', () => {
  it('is today at the hour China time once it has passed, else yesterday', () => {
    // 2026-11-27 01:30 China time is 2026-11-26 17:30 UTC: before 02:00, so the slot is the 26th's.
    expect(latestSlot(at('2026-11-26T17:30:00Z'), 2)).toEqual(at('2026-11-25T18:00:00Z'));
    expect(latestSlot(at('2026-11-26T18:00:00Z'), 2)).toEqual(at('2026-11-26T18:00:00Z'));
    expect(latestSlot(at('2026-11-27T10:00:00Z'), 2)).toEqual(at('2026-11-26T18:00:00Z'));
    expect(latestSlot(at('2026-11-27T10:00:00Z'), 0)).toEqual(at('2026-11-26T16:00:00Z'));
  });
});

describe('retraining', () => {
  const now = at('2026-11-27T03:00:00Z'); // 11:00 China time; the 02:00 slot was 2026-11-26T18:00Z
  it.each([
    ['no model yet', { modelAt: null, lastCorrectionAt: at('2026-11-27T01:00:00Z') }, false],
    ['no correction', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: null }, false],
    ['corrections older than the model', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: at('2026-11-19T00:00:00Z') }, false],
    ['a correction since the model, model before the slot', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: at('2026-11-27T01:00:00Z') }, true],
    ['already retrained after tonight\'s slot', { modelAt: at('2026-11-26T18:05:00Z'), lastCorrectionAt: at('2026-11-27T01:00:00Z') }, false],
  ] as const)('%s → %s', (_name, facts, want) => {
    expect(retrainDue(facts, now, 2)).toBe(want);
  });
});

describe('signals', () => {
  it('run first at once, then every interval', () => {
    const now = at('2026-11-27T03:00:00Z');
    expect(signalsDue(null, now, 3_600_000)).toBe(true);
    expect(signalsDue(at('2026-11-27T02:10:00Z'), now, 3_600_000)).toBe(false);
    expect(signalsDue(at('2026-11-27T02:00:00Z'), now, 3_600_000)).toBe(true);
  });
});
