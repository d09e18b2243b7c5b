/**
 * Staff login and sessions. Passwords are argon2id hashes; five failures lock the account for
 * 15 minutes; a session expires after the configured idle time. Tokens are stored only as hashes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { StaffActor, Role } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { afterFailure, isIdleExpired, isLocked } from '../domain/login.ts';
import {
  deleteSession, getSession, getUser, getUserByUsername, insertSession, setLoginState, touchSession,
} from '../store/users.queries.ts';
import type { Deps } from './deps.ts';

const tokenHash = (token: string) => createHash('sm3').update(token).digest('hex');
const invalid = () => new DomainError('unauthenticated', 'wrong username or password');
/** Compared against when the username is unknown, so timing does not tell which names exist. */
let decoy: Promise<string> | undefined;

export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* argon2id */ });

/** Checks credentials and opens a session. Throws unauthenticated or locked. */
export async function login(deps: Deps, username: string, password: string): Promise<{ token: string; user: StaffActor }> {
  const now = deps.now();
  const user = await getUserByUsername(deps.db.orm, username);
  if (!user || user.disabled) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await decoy, password).catch(() => false);
    throw invalid();
  }
  if (isLocked(user, now)) throw new DomainError('locked', 'too many failed logins; try again later', { until: user.lockedUntil });
  if (!(await verify(user.passwordHash, password).catch(() => false))) {
    const next = afterFailure(user, now);
    await setLoginState(deps.db.orm, user.id, next.failedLogins, next.lockedUntil);
    if (next.lockedUntil) throw new DomainError('locked', 'too many failed logins; try again later', { until: next.lockedUntil });
    throw invalid();
  }
  const token = randomBytes(32).toString('base64url');
  await deps.db.orm.transaction(async (tx) => {
    await setLoginState(tx, user.id, 0, null);
    await insertSession(tx, tokenHash(token), user.id, now);
  });
  deps.log.info({ userId: user.id, role: user.role }, 'login');
  return { token, user: toActor(user) };
}

/** The staff actor behind a bearer token. Throws unauthenticated when unknown or idle too long. */
export async function authenticate(deps: Deps, token: string): Promise<StaffActor & { username: string; displayName: string }> {
  const now = deps.now();
  const h = tokenHash(token);
  const session = await getSession(deps.db.orm, h);
  if (!session) throw new DomainError('unauthenticated', 'not logged in');
  if (isIdleExpired(session.lastSeenAt, now, deps.config.sessionIdleMinutes)) {
    await deleteSession(deps.db.orm, h);
    throw new DomainError('unauthenticated', 'session expired; log in again');
  }
  const user = await getUser(deps.db.orm, session.userId);
  if (!user || user.disabled) throw new DomainError('unauthenticated', 'not logged in');
  if (now.getTime() - session.lastSeenAt.getTime() > 15_000) await touchSession(deps.db.orm, h, now);
  return { ...toActor(user), username: user.username, displayName: user.displayName };
}

export async function logout(deps: Deps, token: string): Promise<void> {
  await deleteSession(deps.db.orm, tokenHash(token));
}

const toActor = (u: { id: string; role: string; unitCode: string }): StaffActor =>
  ({ kind: 'staff', id: u.id, role: u.role as Role, unitCode: u.unitCode });
