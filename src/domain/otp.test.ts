import { describe, expect, it } from 'vitest';
import { judgeCode, maySendCode, OTP_TTL_MS } from './otp.ts';

const t0 = new Date('2026-11-27T02:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const code = (over: Partial<{ attempts: number; usedAt: Date | null; expiresAt: Date }> = {}) =>
  ({ createdAt: t0, expiresAt: at(OTP_TTL_MS), attempts: 0, usedAt: null, ...over });

describe('judgeCode', () => {
  it.each([
    ['no code sent', null, true, 0, 'wrong'],
    ['right', code(), true, 1000, 'ok'],
    ['wrong', code(), false, 1000, 'wrong'],
    ['fifth wrong try locks', code({ attempts: 4 }), false, 1000, 'locked'],
    ['right after five wrong tries is still locked', code({ attempts: 5 }), true, 1000, 'locked'],
    ['right but used', code({ usedAt: t0 }), true, 1000, 'wrong'],
    ['right at expiry', code(), true, OTP_TTL_MS, 'wrong'],
    ['right a moment before expiry', code(), true, OTP_TTL_MS - 1, 'ok'],
  ] as const)('%s → %s', (_name, c, matches, ms, want) => {
    expect(judgeCode(c, matches, at(ms))).toBe(want);
  });
});

describe('maySendCode', () => {
  it.each([
    ['none yet', [], 0, true],
    ['one 30 s ago', [-30_000], 0, false],
    ['one a minute ago', [-60_000], 0, true],
    ['five within the hour', [-3_000_000, -2_000_000, -1_000_000, -500_000, -100_000], 0, false],
    ['five, the oldest just over an hour ago', [-3_600_001, -2_000_000, -1_000_000, -500_000, -100_000], 0, true],
  ] as const)('%s → %s', (_name, ago, now, want) => {
    expect(maySendCode(ago.map((ms) => ({ createdAt: at(ms) })), at(now))).toBe(want);
  });
});
