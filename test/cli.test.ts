/**
 * The `suqiu` command line as an operator runs it: real processes (`node bin/suqiu.js …`) on an
 * embedded PGlite folder of their own. Between commands the test opens the same folder in-process
 * (after the CLI has exited and released its lock) to read tracking numbers and to tamper with
 * the event log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDb, rowsOf } from '../src/store/db.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'suqiu.js');

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

/** Runs `suqiu …` to completion with DATA_DIR set and no PostgreSQL URL or key from the outer env. */
function suqiu(dataDir: string, args: string[], timeoutMs = 60_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.SUQIU_KEY;
  delete env.PORT;
  delete env.LOG_LEVEL;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`suqiu ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Opens the PGlite folder in this process (the CLI must have exited), runs fn, always closes. */
async function withFolder<T>(dataDir: string, fn: (db: Awaited<ReturnType<typeof makeDb>>) => Promise<T>): Promise<T> {
  const db = await makeDb({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const show = (r: Run) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

describe('suqiu CLI on PGlite', { timeout: 120_000 }, () => {
  let dataDir = '';
  const logins: { username: string; password: string; role: string; unitCode: string }[] = [];
  let wage: { id: string; trackingNo: string; eventSeq: number; secondEventId: string } | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'suqiu-cli-'));
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('`--help` lists the commands; `user add --help` lists its options', async () => {
    const top = await suqiu(dataDir, ['--help']);
    expect(top.code, show(top)).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed', 'user', 'case', 'audit']) expect(top.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));

    const add = await suqiu(dataDir, ['user', 'add', '--help']);
    expect(add.code, show(add)).toBe(0);
    expect(add.stdout).toContain('Usage: suqiu user add');
    for (const opt of ['--username', '--password', '--role', '--unit', '--name']) expect(add.stdout).toContain(opt);
    expect(add.stdout).toMatch(/operator.*handler.*leader/s);
  });

  it('`seed --city shenzhen --demo` prints the org unit count and the demo logins', async () => {
    const r = await suqiu(dataDir, ['seed', '--city', 'shenzhen', '--demo']);
    expect(r.code, show(r)).toBe(0);
    const units = Number(/^org tree: (\d+) units$/m.exec(r.stdout)?.[1]);
    // 1 city + 9 districts + 79 street-level units + 788 communities, plus the bureaus.
    expect(units).toBeGreaterThanOrEqual(877);
    for (const m of r.stdout.matchAll(/^ {2}(\S+) +(\S+) {3}(\w+) @ (\S+)$/gm)) {
      logins.push({ username: m[1]!, password: m[2]!, role: m[3]!, unitCode: m[4]! });
    }
    expect(logins.map((l) => l.username)).toContain('operator');
    expect(new Set(logins.map((l) => l.role))).toEqual(new Set(['operator', 'leader', 'handler', 'admin', 'auditor']));
    for (const l of logins) expect(l.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{10,}$/);
  });

  it('`user add` rejects a weak password with a clear error and a non-zero exit', async () => {
    const r = await suqiu(dataDir, ['user', 'add', '--username', 'weak.user', '--password', 'short1', '--role', 'handler', '--unit', '440311005']);
    expect(r.code, show(r)).not.toBe(0);
    expect(r.stderr).toMatch(/^error: password: must be at least 10 characters$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(r.stdout).not.toContain('created');
  });

  it('`user add` creates an account at a unit', async () => {
    const r = await suqiu(dataDir, ['user', 'add', '--username', 'li.handler', '--password', 'Yutang2026pass', '--role', 'handler', '--unit', '440311005', '--name', '李承办']);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^created li\.handler \(handler\) at 玉塘街道 440311005$/m);
  });

  it('the database holds the account (hashed) and the demo cases', async () => {
    await withFolder(dataDir, async (db) => {
      const users = await rowsOf<{ username: string; role: string; unit_code: string; display_name: string; password_hash: string }>(
        db.orm, sql`select username, role, unit_code, display_name, password_hash from users where username in ('li.handler', 'weak.user')`);
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ username: 'li.handler', role: 'handler', unit_code: '440311005', display_name: '李承办' });
      expect(users[0]!.password_hash).toMatch(/^\$argon2id\$/);
      // The 23 workers' unpaid wages: the demo case walked furthest.
      const [row] = await rowsOf<{ id: string; tracking_no: string; event_seq: number }>(
        db.orm, sql`select id, tracking_no, event_seq from cases where group_size = 23`);
      expect(row).toBeDefined();
      const [ev] = await rowsOf<{ id: string }>(db.orm, sql`select id::text as id from case_events where case_id = ${row!.id} and seq = 2`);
      wage = { id: row!.id, trackingNo: row!.tracking_no, eventSeq: row!.event_seq, secondEventId: ev!.id };
    });
    expect(wage!.trackingNo).toMatch(/^SZ-\d{8}-\d{6}$/);
    expect(wage!.eventSeq).toBeGreaterThanOrEqual(3);
  });

  it('`case show` prints the case with a masked phone and name, and its timeline', async () => {
    const r = await suqiu(dataDir, ['case', 'show', wage!.trackingNo.toLowerCase()]);
    expect(r.code, show(r)).toBe(0);
    const out = r.stdout;
    expect(out.split('\n')[0]).toMatch(new RegExp(`^${wage!.trackingNo} `));
    expect(out).toContain('23名工人工资');
    // Demo citizens are 演示市民 with phones 1380000100x: shown as 演*** and 138****100x only.
    expect(out).toMatch(/citizen 演\*{3} 138\*{4}\d{4}/);
    expect(out).not.toContain('演示市民');
    expect(out).not.toMatch(/\d{11}/);
    expect(out).not.toMatch(/1380000/);
    const timeline = out.slice(out.indexOf('  timeline:\n'));
    const entries = timeline.split('\n').filter((l) => /^ {4}\d+\. /.test(l));
    expect(entries).toHaveLength(wage!.eventSeq);
    expect(entries[0]).toMatch(/^ {4}1\. \d{4}-\d\d-\d\dT\S+Z .*\(accept\) ∅ → received by /);
    expect(timeline).toContain('(dispatch)');
    expect(timeline).toContain('(resolve)');
  });

  it('`audit anchor` then `audit verify` passes', async () => {
    const anchor = await suqiu(dataDir, ['audit', 'anchor']);
    expect(anchor.code, show(anchor)).toBe(0);
    expect(anchor.stdout).toMatch(/^anchor \d+: 5 chain heads$/m);

    const verify = await suqiu(dataDir, ['audit', 'verify']);
    expect(verify.code, show(verify)).toBe(0);
    expect(verify.stdout).toMatch(/^5 cases, \d+ events, 1 anchors$/m);
    expect(verify.stdout).toMatch(/^audit verify: OK$/m);
    expect(verify.stdout).not.toContain('BROKEN');
  });

  it('`audit verify` exits 1 naming the one case_events row edited behind its back', async () => {
    await withFolder(dataDir, async (db) => {
      await db.orm.execute(sql`update case_events set payload = payload || '{"tampered": true}'::jsonb where id = ${wage!.secondEventId}`);
    });
    const r = await suqiu(dataDir, ['audit', 'verify']);
    expect(r.code, show(r)).toBe(1);
    expect(r.stdout).not.toContain('audit verify: OK');
    const broken = r.stdout.split('\n').filter((l) => l.startsWith('BROKEN: '));
    expect(broken, show(r)).toHaveLength(1);
    expect(broken[0]).toContain(`case_events id=${wage!.secondEventId} `);
    expect(broken[0]).toContain(`case ${wage!.id}`);
  });
});
