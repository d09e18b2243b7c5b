/**
 * `suqiu intel problems [--propose]` and `suqiu intel problem show` as an operator runs them: real
 * processes on a PGlite folder of their own, holding three weeks of look-alike street-light
 * complaints in 玉塘 among complaints about other places in eight streets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDeps, makeLogger, openDeps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { submitRequest } from '../src/app/submit-request.ts';
import { loadConfig } from '../src/config.ts';
import { makeDb } from '../src/store/db.ts';
import { BACKGROUND_STREETS, OTHER_LIGHTS, plantLights, TIANLIAO } from './fixtures/problem-texts.ts';
import { runSuqiu } from './suqiu-cli.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'suqiu-problems-'));
const YUTANG = '440311005';
const STREETS = BACKGROUND_STREETS;

const suqiu = async (...args: string[]) => {
  const r = await runSuqiu(dataDir, args, { LOG_LEVEL: 'warn' });
  return { code: r.code, out: r.stdout, err: r.stderr };
};

beforeAll(async () => {
  // The commands read the real clock: the cases are placed in the weeks before now.
  const end = Date.now();
  const clock = { now: new Date(end) };
  const db = await makeDb({ dataDir });
  const deps = await openDeps(loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv), { db, now: () => clock.now, log: makeLogger('silent') });
  try {
    await seedOrg(db);
    let n = 0;
    const submit = (content: string, unitCode: string) =>
      submitRequest(deps, null, { content, type: 'complaint', category: 'streetlight', unitCode, channel: 'web', urgency: 'normal', citizen: { phone: `137${String(10_000_000 + ++n).slice(-8)}`, anonymous: false } });
    await plantLights(submit, (t) => { clock.now = t; }, end);
  } finally {
    await closeDeps(deps);
  }
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('suqiu intel problems', { timeout: 240_000 }, () => {
  let id = '';

  it('--propose clusters the window, stores the proposal and reports it, with progress on stderr', async () => {
    const r = await suqiu('intel', 'problems', '--propose');
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    const proposed = lines.filter((l) => l.startsWith('proposed\t'));
    expect(proposed).toHaveLength(1);
    const [, pid, count, name] = proposed[0]!.split('\t');
    id = pid!;
    expect(count).toBe('12 cases');
    expect(name).toMatch(/^玉塘街道 · 路灯故障 · .*田寮/);
    expect(lines.at(-1)).toMatch(new RegExp(`^${STREETS.length * OTHER_LIGHTS.length + TIANLIAO.length} cases from \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d: 1 new problem\\(s\\), 0 case\\(s\\) linked`));
    expect(r.err).toContain('clustering');

    const again = await suqiu('intel', 'problems', '--propose', '--json');
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ proposed: [], grown: [] });
  });

  it('lists the problems and shows one with its figures and cases', async () => {
    const list = await suqiu('intel', 'problems', '--status', 'proposed');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain(`${id}\t待确认(proposed)\t12 cases\t`);
    expect(list.out.trim().split('\n').at(-1)).toBe('1 of 1 problem(s)');
    expect((await suqiu('intel', 'problems', '--status', 'fixed')).out.trim()).toBe('0 of 0 problem(s)');

    const show = await suqiu('intel', 'problem', 'show', id);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(/^玉塘街道 · 路灯故障 · /);
    expect(show.out).toContain('待确认 (proposed) · 玉塘街道 440311005 · 路灯故障 · 12 cases');
    expect(show.out).toMatch(/last 8 weeks: 12 cases, 1\.5\/week \[/);
    expect(show.out.split('\n').filter((l) => l.includes('\tproposal\t'))).toHaveLength(12);

    const json = JSON.parse((await suqiu('intel', 'problem', 'show', id, '--json', '--weeks', '4')).out);
    expect(json).toMatchObject({ id, status: 'proposed', caseCount: 12, figures: { weeks: 4, before: { count: 12 } } });

    const missing = await suqiu('intel', 'problem', 'show', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('problem not found');
  });
});
