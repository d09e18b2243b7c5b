import { describe, expect, it } from 'vitest';
import { pastHour, retrainDue, runDay, signalsDue } from './schedule.ts';

const at = (s: string) => new Date(s);

describe('daily runs', () => {
  it('start at the hour China time and count for the China day', () => {
    // 2026-11-27 01:30 China time is 2026-11-26 17:30 UTC.
    expect(pastHour(at('2026-11-26T17:30:00Z'), 2)).toBe(false);
    expect(pastHour(at('2026-11-26T18:00:00Z'), 2)).toBe(true);
    expect(pastHour(at('2026-11-27T15:59:00Z'), 0)).toBe(true);
    expect(runDay(at('2026-11-26T17:30:00Z'))).toBe('2026-11-27');
  });
});

describe('retraining', () => {
  it.each([
    ['no model yet', { modelAt: null, lastCorrectionAt: at('2026-11-27T01:00:00Z') }, false],
    ['no correction', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: null }, false],
    ['corrections older than the model', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: at('2026-11-19T00:00:00Z') }, false],
    ['a correction since the model', { modelAt: at('2026-11-20T00:00:00Z'), lastCorrectionAt: at('2026-11-27T01:00:00Z') }, true],
  ] as const)('%s → %s', (_name, facts, want) => {
    expect(retrainDue(facts)).toBe(want);
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
