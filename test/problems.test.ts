/**
 * Common problems over HTTP, on PGlite and PostgreSQL. Over three weeks 玉塘 and 光明 each receive
 * twelve complaints about the street lights of 田寮路, among street-light complaints about other
 * places in eight streets over eight weeks; a run proposes one problem per street and tells each street's leaders once; a re-run
 * proposes nothing. The 玉塘 leader confirms and names it, marks it fixed; cases that look like
 * it after the fix are linked by the daily job and counted "after". A sibling street's leader,
 * a handler and the admin are refused as they should be; bad transitions are 409.
 */
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { problemsStep } from '../src/jobs/problems.job.ts';
import { outbox } from '../src/store/schema.ts';
import { OTHER_LIGHTS, plantLights, TIANLIAO } from './fixtures/problem-texts.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';

const DISTRICT = '440311', YUTANG = '440311005', GUANGMING = '440311001';
/** Streets with street-light complaints about other places. */
const STREETS = [YUTANG, GUANGMING, '440311002', '440311003', '440311004', '440306017', '440306018', '440304001'];
const DAY = 86_400_000;
type Auth = { authorization: string; id: string };

describe.each(BACKENDS)('common problems on %s', (kind) => {
  // Sessions outlive the weeks the clock jumps.
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '100000', PUBLIC_PHONE_RATE_LIMIT: '100000', SESSION_IDLE_MINUTES: '1000000' });
  let n = 0;
  let yutang: Auth, guangmingSt: Auth, district: Auth, handler: Auth, admin: Auth;
  let problemId = '';
  const submit = async (content: string, unitCode: string, category = 'streetlight') => {
    n++;
    const r = await h().app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content, type: 'complaint', category, unitCode, citizen: { phone: `139${String(10_000_000 + n).slice(-8)}` } },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().caseId as string;
  };
  const call = (who: Auth, method: 'GET' | 'POST', url: string, payload?: object) =>
    h().app.inject({ method, url, headers: { authorization: who.authorization }, ...(payload ? { payload } : {}) });
  const ok = async (who: Auth, method: 'GET' | 'POST', url: string, payload?: object) => {
    const r = await call(who, method, url, payload);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('a run proposes one problem per street from three weeks of look-alike cases, and tells the leaders once', async () => {
    const end = h().clock.now.getTime();
    // Other places' complaints over the whole window, in eight streets.
    // The planted problem in two streets: one case every ~1.7 days over the last three weeks.
    await plantLights(submit, (t) => { h().clock.now = t; }, end, STREETS, [YUTANG, GUANGMING]);
    h().clock.now = new Date(end);

    yutang = await h().staff('leader.yutang', 'leader', YUTANG);
    guangmingSt = await h().staff('leader.guangmingst', 'leader', GUANGMING);
    district = await h().staff('leader.guangming', 'leader', DISTRICT);
    handler = await h().staff('handler.yutang', 'handler', YUTANG);
    admin = await h().staff('admin.problems', 'admin', '4403');

    expect((await call(handler, 'POST', '/api/v1/problems/run', {})).statusCode).toBe(403);
    const run = await ok(admin, 'POST', '/api/v1/problems/run', {});
    expect(run.cases).toBe(STREETS.length * OTHER_LIGHTS.length + 2 * TIANLIAO.length);
    expect(run.proposed.map((p: { unitCode: string; caseCount: number }) => [p.unitCode, p.caseCount]).sort()).toEqual([[GUANGMING, 12], [YUTANG, 12]]);
    // The admin reads no case text: no names.
    expect(run.proposed[0].name).toBeUndefined();

    // Each street's leader is told once, in-app.
    const notices = await h().deps.db.orm.select().from(outbox).where(like(outbox.dedupeKey, 'problem:%'));
    expect(notices.map((m) => m.recipient).sort()).toEqual([yutang.id, guangmingSt.id].sort());
    expect(notices.every((m) => m.channel === 'inapp' && (m.payload as { kind: string }).kind === 'common_problem')).toBe(true);

    const again = await ok(admin, 'POST', '/api/v1/problems/run', {});
    expect(again.proposed).toEqual([]);
    expect(again.grown).toEqual([]);
    expect(await h().deps.db.orm.select().from(outbox).where(like(outbox.dedupeKey, 'problem:%'))).toHaveLength(2);
  });

  it('leaders see the problems of their subtree only', async () => {
    const mine = await ok(yutang, 'GET', '/api/v1/problems');
    expect(mine.total).toBe(1);
    const [p] = mine.items;
    problemId = p.id;
    expect(p).toMatchObject({ status: 'proposed', statusLabel: '待确认', category: 'streetlight', categoryName: '路灯故障', unit: { code: YUTANG, name: '玉塘街道' }, caseCount: 12 });
    expect(p.name).toMatch(/^玉塘街道 · 路灯故障 · .*田寮/);
    expect(p.allowedActions).toEqual(['confirm', 'rename', 'dismiss']);
    expect(new Date(p.firstSeenAt).getTime()).toBe(h().clock.now.getTime() - 21 * DAY);
    expect(new Date(p.lastSeenAt).getTime()).toBeCloseTo(h().clock.now.getTime() - (21 - 11 * 1.7) * DAY, -3);

    const theirs = await ok(guangmingSt, 'GET', '/api/v1/problems');
    expect(theirs.items.map((x: { unit: { code: string } }) => x.unit.code)).toEqual([GUANGMING]);
    expect((await ok(district, 'GET', '/api/v1/problems?status=proposed')).total).toBe(2);
    expect((await ok(district, 'GET', '/api/v1/problems?status=confirmed,fixed')).total).toBe(0);
    expect((await ok(district, `GET`, `/api/v1/problems?unitCode=${GUANGMING}`)).items).toHaveLength(1);
    expect((await ok(admin, 'GET', '/api/v1/problems')).total).toBe(0);
    // The handler reads, but decides nothing.
    expect((await ok(handler, 'GET', '/api/v1/problems')).items[0].allowedActions).toEqual([]);

    // Outside the scope, unknown or malformed: 404. A bad filter: 400.
    expect((await call(guangmingSt, 'GET', `/api/v1/problems/${problemId}`)).statusCode).toBe(404);
    expect((await call(guangmingSt, 'GET', `/api/v1/problems?unitCode=${YUTANG}`)).statusCode).toBe(404);
    expect((await call(yutang, 'GET', '/api/v1/problems/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(yutang, 'GET', '/api/v1/problems/not-an-id')).statusCode).toBe(404);
    expect((await call(yutang, 'GET', '/api/v1/problems?status=open')).statusCode).toBe(400);

    const detail = await ok(yutang, 'GET', `/api/v1/problems/${problemId}`);
    expect(detail.cases).toHaveLength(12);
    expect(detail.casesNotListed).toBe(0);
    expect(detail.cases.filter((c: { representative: boolean }) => c.representative)).toHaveLength(5);
    expect(detail.cases.every((c: { content: string; via: string }) => c.content.includes('田寮') && c.via === 'proposal')).toBe(true);
    expect(detail.figures).toMatchObject({ weeks: 8, fixedAt: null, after: null, before: { count: 12 } });
    expect(detail.history).toEqual([expect.objectContaining({ action: 'propose', by: admin.id, to: 'proposed', cases: 12 })]);
  });

  it('refuses what the status, the role or the scope does not allow', async () => {
    const act = (who: Auth, action: string, body: object = {}) => call(who, 'POST', `/api/v1/problems/${problemId}/actions/${action}`, body);
    const fix = await act(yutang, 'fix', { note: '更换了线路' });
    expect(fix.statusCode).toBe(409);
    expect(fix.json().message).toBe('problem is proposed: fix is allowed only when confirmed');
    expect((await act(yutang, 'reopen', { note: '再看看' })).statusCode).toBe(409);
    expect((await act(yutang, 'close')).statusCode).toBe(404);
    expect((await act(handler, 'confirm')).statusCode).toBe(403);
    expect((await act(guangmingSt, 'confirm')).statusCode).toBe(404);
    expect((await act(admin, 'confirm')).statusCode).toBe(404);
    const noReason = await act(yutang, 'dismiss', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/^reason: /);
    expect((await act(yutang, 'rename', { name: 'x' })).statusCode).toBe(400);
    expect((await act(yutang, 'confirm', { name: '田寮路路灯', extra: 1 })).statusCode).toBe(400);
  });

  it('confirm and name, fix; cases that look like it after the fix are linked by the daily job and counted after', async () => {
    const act = (action: string, body: object = {}) => ok(yutang, 'POST', `/api/v1/problems/${problemId}/actions/${action}`, body);
    const confirmed = await act('confirm', { name: '田寮路路灯反复不亮' });
    expect(confirmed).toMatchObject({ status: 'confirmed', name: '田寮路路灯反复不亮', allowedActions: ['rename', 'fix', 'dismiss'] });
    expect(confirmed.suggestedName).toMatch(/田寮/);
    expect((await call(yutang, 'POST', `/api/v1/problems/${problemId}/actions/confirm`, {})).statusCode).toBe(409);

    h().clock.advance(2 * DAY);
    const future = new Date(h().clock.now.getTime() + DAY).toISOString();
    expect((await call(yutang, 'POST', `/api/v1/problems/${problemId}/actions/fix`, { note: '更换整条路的线路', fixedAt: future })).statusCode).toBe(400);
    const fixedAt = new Date(h().clock.now.getTime() - 3_600_000);
    const fixed = await act('fix', { note: '更换整条路的线路', fixedAt: fixedAt.toISOString() });
    expect(fixed).toMatchObject({ status: 'fixed', fixNote: '更换整条路的线路', fixedAt: fixedAt.toISOString(), allowedActions: ['rename', 'reopen'] });
    expect(fixed.figures.before.count).toBe(12);
    expect(fixed.figures.after.count).toBe(0);

    // Two weeks on: two look-alikes in 玉塘, one about another road, one in 光明.
    h().clock.advance(3 * DAY);
    const a = await submit('田寮路的路灯晚上又不亮了', YUTANG);
    h().clock.advance(5 * DAY);
    const b = await submit('田寮路有两盏路灯坏了，晚上很黑', YUTANG);
    await submit('光侨路的路灯晚上不亮', YUTANG);
    await submit('田寮路的路灯晚上又不亮了', GUANGMING);
    h().clock.advance(6 * DAY);

    const step = await problemsStep(h().deps, h().clock.now);
    expect(step).not.toBeNull();
    expect(step!.proposed).toEqual([]);
    const grown = Object.fromEntries(step!.grown.map((g) => [g.id, g.added]));
    expect(grown[problemId]).toBe(2);
    // Once a day, whichever node asks.
    expect(await problemsStep(h().deps, h().clock.now)).toBeNull();

    const after = await ok(yutang, 'GET', `/api/v1/problems/${problemId}?weeks=4`);
    expect(after.caseCount).toBe(14);
    expect(after.cases.filter((c: { via: string }) => c.via === 'match').map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
    const f = after.figures;
    expect(f.before).toMatchObject({ count: 12 });
    expect(f.before.weekly).toHaveLength(4);
    expect(f.after.count).toBe(2);
    expect(f.after.perWeek).toBeCloseTo(2 / ((h().clock.now.getTime() - fixedAt.getTime()) / (7 * DAY)), 1);
    expect(f.change).toBeLessThan(-0.5);
  });

  it('reopen, rename, dismiss — every change in the history; nothing after dismissal', async () => {
    const act = (action: string, body: object = {}) => ok(yutang, 'POST', `/api/v1/problems/${problemId}/actions/${action}`, body);
    expect(await act('reopen', { note: '又有人反映' })).toMatchObject({ status: 'confirmed', fixedAt: null, figures: { fixedAt: null, after: null } });
    expect((await act('rename', { name: '田寮路路灯线路老化' })).name).toBe('田寮路路灯线路老化');
    const dismissed = await act('dismiss', { reason: '并入全区路灯改造计划' });
    expect(dismissed).toMatchObject({ status: 'dismissed', statusLabel: '已排除', dismissReason: '并入全区路灯改造计划', allowedActions: [] });
    expect(dismissed.history.map((e: { action: string }) => e.action)).toEqual(['propose', 'confirm', 'fix', 'reopen', 'rename', 'dismiss']);
    expect(dismissed.history.at(-1)).toMatchObject({ by: yutang.id, from: 'confirmed', to: 'dismissed', reason: '并入全区路灯改造计划' });
    const rename = await call(yutang, 'POST', `/api/v1/problems/${problemId}/actions/rename`, { name: '再改个名' });
    expect(rename.statusCode).toBe(409);

    // A leader's own run covers the street: the dismissed problem is not proposed again.
    const mine = await ok(yutang, 'POST', '/api/v1/problems/run', {});
    expect(mine.proposed).toEqual([]);
    const rows = await h().deps.db.orm.select().from(outbox).where(and(like(outbox.dedupeKey, 'problem:%'), eq(outbox.recipient, yutang.id)));
    expect(rows).toHaveLength(1);
  });
});
