/**
 * The scanner survives a crash: a child process scans a PostgreSQL database with a fast fake clock,
 * is killed (SIGKILL) while points fall due, and a new one is started after a pause. Every point
 * is raised exactly once (one clock_points row, one event), never before it was due, the points
 * that fell due while no scanner ran are marked late, and `suqiu clocks verify` finds the stored
 * clocks equal to what the events say — until one is edited by hand.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ACTION_USE_CASES } from '../src/app/actions/index.ts';
import { addUser } from '../src/app/add-user.ts';
import { verifyAudit } from '../src/app/audit.ts';
import { closeDeps, makeLogger, openDeps, type Deps } from '../src/app/deps.ts';
import { verifyClocks } from '../src/app/recompute-clocks.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { submitRequest } from '../src/app/submit-request.ts';
import { loadConfig } from '../src/config.ts';
import type { StaffActor } from '../src/domain/actor.ts';
import { LATE_TOLERANCE_MS } from '../src/domain/clock-points.ts';
import { DEFAULT_POLICIES } from '../src/domain/clock-policy.ts';
import { makeDb, rowsOf } from '../src/store/db.ts';
import { loadPii } from '../src/store/pii.ts';
import { databaseUrl, TEMPLATE_DB } from './pg-cluster.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = join(ROOT, 'test', 'clock-scanner-child.ts');
const YUTANG = '440311005';
const MIN = 60_000;
const SPEED = 120;
const CASES = 40;
/** Monday 2026-03-09 10:00 China time: where the fake timeline starts. */
const F0 = Date.parse('2026-03-09T02:00:00Z');
const KEY = randomBytes(32).toString('hex');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(url: string, statement: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('clock scanner crash and restart on postgres', { timeout: 120_000 }, () => {
  const name = `t_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  let url = '';
  let deps: Deps;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  /** Starts a scanner process; resolves once it scans. */
  const startScanner = () => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { if (s.includes('ready')) resolve(child); });
    child.on('exit', (code, signal) => reject(new Error(`scanner exited early (${code ?? signal})\n${err}`)));
  });
  const fired = async () => Number((await rowsOf<{ n: number }>(deps.db.orm, sql`select count(*)::int as n from clock_points`))[0]!.n);
  const fakeNow = (realMs: number) => F0 + (realMs - Number(env.FAKE_R0)) * SPEED;

  beforeAll(async () => {
    const base = inject('pgUrl');
    await admin(base, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    url = databaseUrl(base, name);
    const clock = { now: new Date(F0 - 9 * MIN) };
    const db = await makeDb({ url, poolSize: 4 });
    deps = await openDeps(loadConfig({ DATABASE_URL: url, SUQIU_KEY: KEY }), { db, pii: loadPii({ key: KEY }), now: () => clock.now, log: makeLogger('silent') });
    await seedOrg(db);
    const op = await addUser(deps, { username: 'op', password: 'test-pass-1234', role: 'operator', unitCode: '4403' });
    await addUser(deps, { username: 'h.yutang', password: 'test-pass-1234', role: 'handler', unitCode: YUTANG });
    const actor: StaffActor = { kind: 'staff', id: op.id, role: 'operator', unitCode: '4403' };
    // Dispatched 30 s apart from F0 − 9 min: their sign points (5, 8, 10 min on) fall due from before the start to F0 + 20.5 min.
    for (let i = 0; i < CASES; i++) {
      const { caseId } = await submitRequest(deps, null, { content: `第${i}件：小区路灯坏了`, type: 'complaint', channel: 'web', urgency: 'normal', unitCode: YUTANG, citizen: { anonymous: true } });
      await ACTION_USE_CASES.dispatch.run(deps, actor, caseId, { unitCode: YUTANG });
      clock.now = new Date(+clock.now + 30_000);
    }
    const { DATABASE_URL: _u, PORT: _p, ...outer } = process.env;
    env = { ...outer, DATABASE_URL: url, SUQIU_KEY: KEY, LOG_LEVEL: 'warn', FAKE_F0: String(F0), FAKE_SPEED: String(SPEED) };
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await closeDeps(deps).catch(() => {});
    // pool.end() resolves before the server has seen every client go: don't kill one mid-goodbye.
    const c = new pg.Client({ connectionString: inject('pgUrl') });
    await c.connect();
    try {
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await sleep(20);
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });

  it('raises every point exactly once across a SIGKILL and a restart, late for the downtime, never early', async () => {
    const total = CASES * 3;
    env.FAKE_R0 = String(Date.now());
    const first = await startScanner();
    while ((await fired()) < total * 0.4) await sleep(20);
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => first.once('exit', r));
    const beforeRestart = await fired();
    expect(beforeRestart).toBeLessThan(total);
    await sleep(2000); // 4 fake minutes with no scanner
    const restartedAt = Date.now();
    const second = await startScanner();
    const deadline = Date.now() + 60_000;
    while ((await fired()) < total && Date.now() < deadline) await sleep(50);
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const rows = await rowsOf<{ case_id: string; point: string; due_at: string | Date; fired_at: string | Date; late: boolean }>(deps.db.orm,
      sql`select case_id, point, due_at, fired_at, late from clock_points order by case_id, point`);
    expect(rows).toHaveLength(total);
    for (const r of rows) {
      const [due, at] = [+new Date(r.due_at), +new Date(r.fired_at)];
      expect(at).toBeGreaterThanOrEqual(due);
      expect(r.late).toBe(at - due > LATE_TOLERANCE_MS);
    }
    // Points due while no scanner ran (after the kill, before the restart could sweep) were raised late.
    const downtime = rows.filter((r) => +new Date(r.due_at) > fakeNow(killedAt) && +new Date(r.due_at) < fakeNow(restartedAt));
    expect(downtime.length).toBeGreaterThan(0);
    expect(downtime.every((r) => r.late)).toBe(true);

    const events = await rowsOf<{ case_id: string; action: string; at: string | Date; payload: { point: string; dueAt: string; late: boolean } }>(deps.db.orm,
      sql`select case_id, action, at, payload from case_events where action like 'clock_%' order by case_id, seq`);
    expect(events).toHaveLength(total);
    const key = (c: string, p: string) => `${c} ${p}`;
    expect(new Set(events.map((e) => key(e.case_id, e.payload.point))).size).toBe(total);
    const byKey = new Map(rows.map((r) => [key(r.case_id, r.point), r]));
    for (const e of events) {
      const row = byKey.get(key(e.case_id, e.payload.point))!;
      expect(e.action).toBe(e.payload.point === 'breach' ? 'clock_breach' : 'clock_warning');
      expect(+new Date(e.at)).toBe(+new Date(row.fired_at));
      expect(+new Date(e.at)).toBeGreaterThanOrEqual(Date.parse(e.payload.dueAt));
      expect(e.payload.late).toBe(row.late);
    }
    expect((await verifyClocks(deps)).mismatches).toEqual([]);
    expect((await verifyAudit(deps.db, deps.pii)).problems).toEqual([]);
  });

  it('`suqiu clocks verify` finds no mismatch, then names a hand-edited clock', async () => {
    const bin = join(ROOT, 'bin', 'suqiu.js');
    const ok = await run([bin, 'clocks', 'verify'], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`clocks verify: ${CASES} open cases, 0 mismatches`);
    expect(ok.stderr).toMatch(/verifying \d+\/\d+ cases/);
    const [c] = await rowsOf<{ id: string }>(deps.db.orm, sql`select id from cases order by id limit 1`);
    await deps.db.orm.execute(sql`update cases set clocks = jsonb_set(clocks, '{0,dueAt}', '"2026-03-09T02:30:00.000Z"') where id = ${c!.id}`);
    const bad = await run([bin, 'clocks', 'verify'], env);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toContain(`MISMATCH case ${c!.id} clocks`);
    expect(bad.stdout).toContain('1 mismatches');
  });

  it('`suqiu clocks policies list|set` and `suqiu calendar override add|list` manage the configuration', async () => {
    const bin = join(ROOT, 'bin', 'suqiu.js');
    const list = await run([bin, 'clocks', 'policies', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    const policies = JSON.parse(list.stdout) as { id: string; clocks: { name: string; target: { amount: number } }[] }[];
    expect(policies.map((p) => p.id)).toEqual(DEFAULT_POLICIES.map((p) => p.id));
    policies.find((p) => p.id === 'general')!.clocks.find((c) => c.name === 'resolve')!.target.amount = 5;
    const dir = mkdtempSync(join(tmpdir(), 'suqiu-policies-'));
    try {
      writeFileSync(join(dir, 'policies.json'), JSON.stringify({ policies }));
      writeFileSync(join(dir, 'broken.json'), '[{');
      const set = await run([bin, 'clocks', 'policies', 'set', '--file', join(dir, 'policies.json')], env);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain(`6 policies stored (${DEFAULT_POLICIES.map((p) => p.id).join(', ')}); recomputed ${CASES} open cases`);
      const broken = await run([bin, 'clocks', 'policies', 'set', '--file', join(dir, 'broken.json')], env);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toMatch(/^error: POLICIES_FILE: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const add = await run([bin, 'calendar', 'override', 'add', '--date', '2027-01-01', '--kind', 'holiday', '--name', '元旦'], env);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('2027-01-01 is a holiday (元旦)');
    const overrides = await run([bin, 'calendar', 'override', 'list'], env);
    expect(overrides.stdout).toMatch(/2027-01-01\s+holiday\s+元旦/);
    expect((await verifyClocks(deps)).mismatches).toEqual([]);
  });
});
