/** Login rules: lockout after repeated failures, idle session expiry. Pure; `now` is passed in. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;

export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export const isLocked = (s: LoginState, now: Date): boolean => s.lockedUntil !== null && s.lockedUntil > now;

/** The state after a failed attempt: the fifth failure locks the account for 15 minutes. */
export function afterFailure(s: LoginState, now: Date): LoginState {
  const failed = s.failedLogins + 1;
  return failed >= MAX_FAILED_LOGINS
    ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MS) }
    : { failedLogins: failed, lockedUntil: null };
}

export const isIdleExpired = (lastSeenAt: Date, now: Date, idleMinutes: number): boolean =>
  now.getTime() - lastSeenAt.getTime() > idleMinutes * 60_000;

/** Password rule for staff accounts. Returns a message, or null when acceptable. */
export function passwordProblem(p: string): string | null {
  if (p.length < 10) return 'must be at least 10 characters';
  if (p.length > 200) return 'must be at most 200 characters';
  if (!/[A-Za-z]/.test(p) || !/[0-9]/.test(p)) return 'must contain letters and digits';
  return null;
}
