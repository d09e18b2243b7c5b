/**
 * `suqiu serve` as a real process: on a PGlite folder (demo logins, health, a public submission,
 * a login, no personal data in the logs, the folder lock, a clean SIGTERM) and on PostgreSQL
 * (a database cloned from the test cluster's migrated template).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, TEMPLATE_DB } from './pg-cluster.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'suqiu.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A spawned `suqiu` process with everything it wrote (stdout and stderr interleaved as they came). */
class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: Record<string, string>) {
    const full: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', ...env };
    if (!env.DATABASE_URL) delete full.DATABASE_URL;
    if (!env.SUQIU_KEY) delete full.SUQIU_KEY;
    if (!env.LOG_LEVEL) delete full.LOG_LEVEL;
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => { this.stdout += s; });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr += s; });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get output(): string {
    return `${this.stdout}${this.stderr}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once stdout has a line matching `re`; rejects if the process exits first or on timeout. */
  async waitFor(re: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!re.test(this.stdout)) {
      if (!this.running) throw new Error(`exited (${this.child.exitCode ?? this.child.signalCode}) before ${re}\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${re} within ${timeoutMs} ms\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills a process still running (cleanup after a failed test). */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

async function postJson(url: string, payload: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: r.status, body: await r.json() };
}

describe('suqiu serve on a PGlite folder', { timeout: 90_000 }, () => {
  // Personal data the citizen submits; none of it may reach the logs in any form.
  const PHONE = '13912340987';
  const PHONE_TYPED = '139-1234-0987';
  const NAME = '欧阳晓燕';
  let dataDir = '';
  let port = 0;
  let server: Proc | undefined;
  let second: Proc | undefined;
  const logins: { username: string; password: string }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'suqiu-serve-'));
    port = await freePort();
  });
  afterAll(() => {
    server?.kill();
    second?.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('`serve --demo` starts, prints the demo logins and says it is running', async () => {
    server = new Proc(['serve', '--demo'], { DATA_DIR: dataDir, PORT: String(port) });
    await server.waitFor(/^suqiu is running \(pglite in .+\)$/m);
    for (const m of server.stdout.matchAll(/^ {2}(\S+) +(\S+) {3}\w+ @ \S+$/gm)) logins.push({ username: m[1]!, password: m[2]! });
    expect(logins.length).toBeGreaterThanOrEqual(5);
    expect(server.stdout).toContain(`health   http://localhost:${port}/healthz`);
    expect(existsSync(join(dataDir, 'suqiu.lock'))).toBe(true);
  });

  it('GET /healthz says ok on pglite', async () => {
    const r = await getJson(`http://127.0.0.1:${port}/healthz`);
    expect(r).toEqual({ status: 200, body: { status: 'ok', db: 'pglite' } });
  });

  it('a citizen submits and tracks a request; a bad submission is refused', async () => {
    const base = `http://127.0.0.1:${port}/api/v1`;
    const ok = await postJson(`${base}/requests`, {
      content: '玉塘街道田寮社区的垃圾站三天没有清运，气味很大。', type: 'complaint', unitCode: '440311005',
      citizen: { name: NAME, phone: PHONE_TYPED },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.trackingNo).toMatch(/^SZ-\d{8}-\d{6}$/);
    expect(ok.body.caseId).toMatch(/^[0-9a-f-]{36}$/);

    // The phone travels in the query string here: the request log must keep the path only.
    const tracked = await getJson(`${base}/track/${ok.body.trackingNo}?phone=${PHONE}`);
    expect(tracked.status, JSON.stringify(tracked.body)).toBe(200);
    expect(tracked.body.trackingNo).toBe(ok.body.trackingNo);
    expect(JSON.stringify(tracked.body)).not.toContain(PHONE);

    const bad = await postJson(`${base}/requests`, { content: '短', citizen: { name: NAME, phone: PHONE } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_input', field: 'content' });
  });

  it('a printed demo login works', async () => {
    const { username, password } = logins.find((l) => l.username === 'operator') ?? logins[0]!;
    const r = await postJson(`http://127.0.0.1:${port}/api/v1/auth/login`, { username, password });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.token).toEqual(expect.any(String));
    expect(r.body.user.role).toBe('operator');
    const wrong = await postJson(`http://127.0.0.1:${port}/api/v1/auth/login`, { username, password: `${password}x` });
    expect(wrong.status).toBe(401);
  });

  it('a second `serve` on the same folder fails fast naming the process that holds it', async () => {
    const started = Date.now();
    second = new Proc(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    const { code } = await second.exited;
    expect(code, second.output).not.toBe(0);
    expect(second.output).toContain(`data folder is in use by process ${server!.child.pid}`);
    expect(second.stdout).not.toContain('suqiu is running');
    expect(Date.now() - started).toBeLessThan(20_000);
    // The loser did not take or drop the winner's lock.
    expect(existsSync(join(dataDir, 'suqiu.lock'))).toBe(true);
    expect((await getJson(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('SIGTERM stops it with exit code 0 and removes the lock file', async () => {
    server!.child.kill('SIGTERM');
    const { code, signal } = await server!.exited;
    expect({ code, signal }, server!.output).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dataDir, 'suqiu.lock'))).toBe(false);
  });

  it('the logs (stdout and stderr) hold request lines but no phone number or citizen name', () => {
    const logs = server!.output + second!.output;
    expect(logs).toContain('/api/v1/requests'); // the request log is on, so the check below means something
    expect(logs).toContain('shutting down');
    for (const secret of [PHONE, PHONE_TYPED, '1234-0987', '12340987', NAME, '晓燕']) expect(logs).not.toContain(secret);
  });
});

describe('suqiu serve on PostgreSQL', { timeout: 90_000 }, () => {
  const dbName = `serve_${process.pid}_${randomBytes(4).toString('hex')}`;
  let keyDir = '';
  let server: Proc | undefined;

  async function admin(query: string): Promise<void> {
    const c = new pg.Client({ connectionString: inject('pgUrl') });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'suqiu-serve-pg-'));
    await admin(`CREATE DATABASE ${dbName} TEMPLATE ${TEMPLATE_DB}`);
  });
  afterAll(async () => {
    server?.kill();
    await server?.exited;
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  it('starts with DATABASE_URL, reports postgres, takes a request and stops on SIGTERM', async () => {
    const port = await freePort();
    server = new Proc(['serve'], { DATABASE_URL: databaseUrl(inject('pgUrl'), dbName), DATA_DIR: keyDir, PORT: String(port) });
    await server.waitFor(/^suqiu is running \(postgres\)$/m);
    expect(await getJson(`http://127.0.0.1:${port}/healthz`)).toEqual({ status: 200, body: { status: 'ok', db: 'postgres' } });

    const r = await postJson(`http://127.0.0.1:${port}/api/v1/requests`, {
      content: '光明街道某小区电梯经常停运，老人上下楼困难。', citizen: { name: '王五', phone: '13700001111' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.trackingNo).toMatch(/^SZ-\d{8}-000001$/);
    // No PGlite folder is opened (and so no lock is taken) when PostgreSQL is configured.
    expect(existsSync(join(keyDir, 'suqiu.lock'))).toBe(false);
    expect(existsSync(join(keyDir, 'pg'))).toBe(false);

    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    expect({ code, signal }, server.output).toEqual({ code: 0, signal: null });
    expect(server.output).not.toContain('13700001111');
  });
});
