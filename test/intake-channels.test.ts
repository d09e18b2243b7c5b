/**
 * Intake channels over HTTP: each request carries its channel and the right intake unit (the QR
 * code's unit, the mailbox's bureau, the operator's choice); mailboxes; the operator's intake with
 * `then`; the QR images and the page a QR code opens.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/store/db.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';
import { decodeQr, hasZbar } from './zbar.ts';

const CITY = '4403', GUANGMING_DISTRICT = '440311', YUTANG = '440311005', TIANLIAO = '440311005001', LUOHU = '440303';
const RS = '4403-RS', JT = '4403-JT';
const BASE = 'https://suqiu.example.cn';
type Auth = { authorization: string };

describe.each(BACKENDS)('intake channels on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000', PUBLIC_BASE_URL: `${BASE}/` });
  const tmp = mkdtempSync(join(tmpdir(), 'suqiu-qr-http-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let op: Auth, cityOp: Auth, handler: Auth, rsOp: Auth, rsHandler: Auth, jtHandler: Auth, admin: Auth;

  const submit = (body: object) => h().app.inject({
    method: 'POST', url: '/api/v1/requests',
    payload: { content: '小区门口的路灯坏了一个多月', citizen: { phone: '13700001111' }, ...body },
  });
  const intake = (who: Partial<Auth>, body: object) => h().app.inject({
    method: 'POST', url: '/api/v1/intake', headers: who,
    payload: { content: '来访群众反映小区噪音扰民', citizen: { name: '王五', phone: '13900002222' }, ...body },
  });
  const view = async (who: Auth, caseId: string) => {
    const r = await h().app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: who });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const setMailbox = (who: Auth, code: string, body: object) =>
    h().app.inject({ method: 'PUT', url: `/api/v1/units/${code}/mailbox`, headers: who, payload: body });
  const caseCount = async () => Number((await rowsOf<{ n: string }>(h().deps.db.orm, sql`select count(*)::text as n from cases`))[0]!.n);

  it('sets up staff', async () => {
    op = await h().staff('gm.op', 'operator', GUANGMING_DISTRICT);
    cityOp = await h().staff('city.op', 'operator', CITY);
    handler = await h().staff('yt.handler', 'handler', YUTANG);
    rsOp = await h().staff('rs.op', 'operator', RS);
    rsHandler = await h().staff('rs.handler', 'handler', RS);
    jtHandler = await h().staff('jt.handler', 'handler', JT);
    admin = await h().staff('root', 'admin', CITY);
  });

  it('qr: the case is taken in at the QR code\'s unit; a bureau, a city or no unit is 400', async () => {
    const r = await submit({ channel: 'qr', unitCode: TIANLIAO });
    expect(r.statusCode, r.body).toBe(201);
    const c = await view(op, r.json().caseId);
    expect(c).toMatchObject({ channel: 'qr', intakeUnit: { code: TIANLIAO, name: '田寮社区' }, status: 'received' });
    expect(c.timeline[0]).toMatchObject({ action: 'accept', payload: { channel: 'qr', intakeUnitCode: TIANLIAO } });
    for (const unitCode of [RS, CITY, undefined]) {
      const bad = await submit({ channel: 'qr', unitCode });
      expect(bad.statusCode, String(unitCode)).toBe(400);
      expect(bad.json().message).toMatch(/^unitCode: /);
    }
  });

  it('mailboxes: the admin opens one on a bureau only; the public lists the open ones', async () => {
    const body = { title: '市人社局局长信箱', intro: '局长亲自阅处来信' };
    expect((await setMailbox(rsOp, RS, body)).statusCode).toBe(403);
    expect((await setMailbox(admin, YUTANG, body)).statusCode).toBe(400);
    expect((await setMailbox(admin, 'NOPE-1', body)).statusCode).toBe(404);
    expect((await setMailbox(admin, RS, { title: '' })).statusCode).toBe(400);
    const ok = await setMailbox(admin, RS, body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ unitCode: RS, title: body.title, intro: body.intro, open: true });
    expect((await setMailbox(admin, JT, { title: '交通局局长信箱', open: false })).statusCode).toBe(200);
    const list = await h().app.inject({ method: 'GET', url: '/api/v1/mailboxes' });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([{ unitCode: RS, unitName: '深圳市人力资源和社会保障局', title: body.title, intro: body.intro }]);
  });

  it('mailbox: a letter lands at the bureau\'s desk, seen by its staff only; a closed or missing mailbox is 400', async () => {
    const r = await submit({ channel: 'mailbox', unitCode: RS, content: '局长您好，我想咨询社保转移的办理流程' });
    expect(r.statusCode, r.body).toBe(201);
    const { caseId } = r.json();
    const c = await view(rsOp, caseId);
    expect(c).toMatchObject({ channel: 'mailbox', intakeUnit: { code: RS }, status: 'received' });
    expect(c.allowedActions).toContain('dispatch');
    await view(rsHandler, caseId);
    const listed = await h().app.inject({ method: 'GET', url: '/api/v1/cases?channel=mailbox', headers: rsOp });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(caseId);
    expect((await h().app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: jtHandler })).statusCode).toBe(404);
    expect((await h().app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: op })).statusCode).toBe(404);
    for (const unitCode of [JT, '4403-SW', YUTANG, undefined]) {
      const bad = await submit({ channel: 'mailbox', unitCode });
      expect(bad.statusCode, String(unitCode)).toBe(400);
      expect(bad.json().message).toMatch(/^unitCode: /);
    }
  });

  it('web: without a unit the case is taken in at the city center', async () => {
    const r = await submit({});
    expect(r.statusCode).toBe(201);
    expect(await view(cityOp, r.json().caseId)).toMatchObject({ channel: 'web', intakeUnit: { code: CITY } });
  });

  it('walk_in and hotline are for operators: 401 without login, 403 otherwise', async () => {
    const before = await caseCount();
    expect((await intake({}, { channel: 'walk_in' })).statusCode).toBe(401);
    expect((await submit({ channel: 'walk_in' })).statusCode).toBe(403);
    expect((await submit({ channel: 'hotline' })).statusCode).toBe(403);
    expect((await intake(handler, { channel: 'walk_in' })).statusCode).toBe(403);
    expect((await intake(admin, { channel: 'hotline' })).statusCode).toBe(403);
    expect((await intake(op, { channel: 'web' })).statusCode).toBe(400);
    expect(await caseCount()).toBe(before);
  });

  it('walk_in: the operator\'s desk by default, or a unit of the operator\'s choice below it', async () => {
    const own = await intake(op, { channel: 'walk_in' });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ channel: 'walk_in', intakeUnit: { code: GUANGMING_DISTRICT }, status: 'received', citizen: { name: '王*', phone: '139****2222' } });
    const chosen = await intake(op, { channel: 'walk_in', unitCode: YUTANG });
    expect(chosen.json()).toMatchObject({ channel: 'walk_in', intakeUnit: { code: YUTANG } });
    const outside = await intake(op, { channel: 'walk_in', unitCode: LUOHU });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/^unitCode: must be your own unit/);
  });

  it('hotline with then.answer: registered and answered in one call, the caller ID as the phone', async () => {
    const r = await intake(op, {
      channel: 'hotline', callerNumber: '13811112222', citizen: { name: '赵六' }, type: 'consult',
      content: '请问办理居住证需要什么材料', then: { answer: { reply: '请携带身份证和租房合同到社区工作站办理。' } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    expect(c).toMatchObject({
      channel: 'hotline', status: 'answered', statusCategory: 'closed', intakeUnit: { code: GUANGMING_DISTRICT },
      reply: '请携带身份证和租房合同到社区工作站办理。', citizen: { phone: '138****2222' },
    });
    expect(c.timeline.map((e: { action: string }) => e.action)).toEqual(['accept', 'answer']);
    const revealed = await h().app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/actions/reveal`, headers: op, payload: { field: 'phone' } });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ field: 'phone', value: '13811112222' });
  });

  it('walk_in with then.dispatch: registered and dispatched; an unknown target writes nothing', async () => {
    const r = await intake(op, { channel: 'walk_in', then: { dispatch: { unitCode: YUTANG, note: '请尽快处理' } } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ channel: 'walk_in', status: 'dispatched', leadUnit: { code: YUTANG } });
    expect((await view(handler, r.json().id)).allowedActions).toContain('sign');
    const before = await caseCount();
    const bad = await intake(op, { channel: 'walk_in', then: { dispatch: { unitCode: '999999' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^then\.dispatch\.unitCode: unknown unit/);
    expect((await intake(op, { channel: 'walk_in', then: { answer: {} } })).statusCode).toBe(400);
    expect(await caseCount()).toBe(before);
  });

  it('QR images: PNG and SVG of a QR unit encode its page; a bureau has none', async () => {
    const png = await h().app.inject({ method: 'GET', url: `/api/v1/units/${YUTANG}/qr.png` });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toMatch(/public, max-age=\d+/);
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    if (hasZbar) {
      const file = join(tmp, `${kind}.png`);
      writeFileSync(file, png.rawPayload);
      expect(decodeQr(file)).toBe(`${BASE}/r/${YUTANG}`);
    }
    const svg = await h().app.inject({ method: 'GET', url: `/api/v1/units/${TIANLIAO}/qr.svg` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg /);
    expect((await h().app.inject({ method: 'GET', url: `/api/v1/units/${RS}/qr.png` })).statusCode).toBe(404);
    expect((await h().app.inject({ method: 'GET', url: '/api/v1/units/NOPE-1/qr.svg' })).statusCode).toBe(404);
  });

  it('/r/{unit}: a form bound to the unit, its name escaped, its script admitted by the CSP', async () => {
    const page = await h().app.inject({ method: 'GET', url: `/r/${YUTANG}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('书记在线 · 玉塘街道');
    expect(page.body).toContain('深圳市光明区玉塘街道');
    expect(page.body).toContain(`data-unit="${YUTANG}"`);
    expect(page.body).toContain("channel: 'qr'");
    expect(page.body).toContain("fetch('/api/v1/requests'");
    const script = /<script>([\s\S]*)<\/script>/.exec(page.body)![1]!;
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");

    const site = await h().app.inject({
      method: 'POST', url: `/api/v1/units/${TIANLIAO}/sites`, headers: admin,
      payload: { name: '<img src=x onerror=alert(1)>"花园"&\'小区\'', siteType: 'estate' },
    });
    expect(site.statusCode, site.body).toBe(201);
    const nasty = await h().app.inject({ method: 'GET', url: `/r/${site.json().code}` });
    expect(nasty.statusCode).toBe(200);
    expect(nasty.body).not.toContain('<img src=x');
    expect(nasty.body).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;花园&quot;&amp;&#39;小区&#39;');

    const missing = await h().app.inject({ method: 'GET', url: `/r/${RS}` });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('二维码无效');
    expect((await h().app.inject({ method: 'GET', url: '/r/%3Cscript%3E' })).body).not.toContain('<script>');
  });
});
