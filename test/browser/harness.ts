/**
 * The real server for browser journeys: a fresh PostgreSQL database (cloned from the test
 * cluster's template), the Shenzhen org tree, the built web app, listening on 127.0.0.1 with an
 * ephemeral port; the outbox sender runs so that notifications reach the SSE stream. And
 * Debian's Chromium through playwright-core, with screenshots to test-results/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addUser } from '../../src/app/add-user.ts';
import { openDeps, makeLogger, type Deps } from '../../src/app/deps.ts';
import { makeChannels } from '../../src/app/notify/index.ts';
import { seedOrg } from '../../src/app/seed-org.ts';
import { seedClockPolicies } from '../../src/app/clock-policies.ts';
import { PROJECT_ROOT, WEB_DIST } from '../../src/cli/web-build.ts';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/actor.ts';
import { buildApp } from '../../src/http/app.ts';
import { loadWebApp } from '../../src/http/web-app.ts';
import { startOutboxSender } from '../../src/jobs/outbox-sender.job.ts';
import { loadPii } from '../../src/store/pii.ts';
import { freshPostgres } from '../db.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots');
export const hasChromium = existsSync(CHROMIUM);

export interface Server {
  url: string;
  deps: Deps;
  /** Creates a staff account with a known password. */
  user(username: string, role: Role, unitCode: string, displayName?: string): Promise<{ username: string; password: string }>;
  close(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  const web = loadWebApp(WEB_DIST);
  if (!web) throw new Error('web/dist is missing: the global setup (test/browser/build-web.ts) builds it');
  const db = await freshPostgres();
  const deps = await openDeps(loadConfig({ PUBLIC_RATE_LIMIT: '1000', PUBLIC_PHONE_RATE_LIMIT: '1000' } as NodeJS.ProcessEnv), {
    db, pii: loadPii(), log: makeLogger('silent'),
  });
  await seedOrg(db);
  await seedClockPolicies(deps);
  const app = await buildApp(deps, { web });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const notify = makeChannels(deps);
  const sender = startOutboxSender(deps, notify.channels, { intervalMs: 200 });
  const { port } = app.server.address() as AddressInfo;
  const password = 'browser-pass-2468';
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    async user(username, role, unitCode, displayName) {
      await addUser(deps, { username, password, role, unitCode, displayName });
      return { username, password };
    },
    async close() {
      await sender.stop();
      notify.close();
      await app.close();
      await db.close();
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Saves a full-page screenshot as test-results/screenshots/NN-name.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Collects the JavaScript a page loads (URL → bytes on the wire) and page errors. */
export function watch(page: Page) {
  const js = new Map<string, number>();
  const errors: string[] = [];
  page.on('response', async (r) => {
    if (!r.url().endsWith('.js')) return;
    const size = await r.body().then((b) => b.length, () => 0);
    js.set(new URL(r.url()).pathname, size);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A failed request is asserted where it matters; a library's deprecation notice is not a fault.
    if (m.type() === 'error' && !/Failed to load resource|is deprecated/.test(m.text())) errors.push(m.text());
  });
  return { js, errors };
}
