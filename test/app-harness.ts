/**
 * An app on a fresh database for HTTP tests: migrated, org tree seeded, a clock the test moves,
 * and a helper to create staff and log them in.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { addUser } from '../src/app/add-user.ts';
import { openDeps, makeLogger, type Deps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadPii } from '../src/store/pii.ts';
import { loadConfig } from '../src/config.ts';
import type { Role } from '../src/domain/actor.ts';
import { buildApp } from '../src/http/app.ts';
import { openBackend, type Backend } from './db.ts';

export interface Harness {
  app: FastifyInstance;
  deps: Deps;
  /** The test's clock: move it instead of sleeping. */
  clock: { now: Date; advance(ms: number): void };
  /** Creates an account and returns its bearer header. */
  staff(username: string, role: Role, unitCode: string): Promise<{ authorization: string; id: string }>;
}

export function useApp(kind: Backend, env: Record<string, string> = {}): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    const db = await openBackend(kind);
    const clock = { now: new Date('2026-11-27T02:00:00Z'), advance(ms: number) { this.now = new Date(this.now.getTime() + ms); } };
    const config = loadConfig(env as NodeJS.ProcessEnv);
    const deps = await openDeps(config, { db, pii: loadPii(), now: () => clock.now, log: makeLogger('silent') });
    await seedOrg(db);
    const app = await buildApp(deps);
    const password = 'test-pass-1234';
    h = {
      app, deps, clock,
      async staff(username, role, unitCode) {
        const u = await addUser(deps, { username, password, role, unitCode });
        const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
        if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.body}`);
        return { authorization: `Bearer ${r.json().token}`, id: u.id };
      },
    };
  });
  afterAll(async () => {
    await h?.app.close();
    await h?.deps.db.close();
  });
  return () => {
    if (!h) throw new Error('useApp(): only inside tests');
    return h;
  };
}
