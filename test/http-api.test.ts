/**
 * The HTTP contract beyond the happy path: errors by status code, login rules, scoping, the
 * return/transfer/merge/answer branches, reveal as an audited event, group cases and praise.
 */
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './db.ts';
import { useApp } from './app-harness.ts';

const YUTANG = '440311005', GUANGMING = '440311001', MATIAN = '440311006';
type Auth = { authorization: string };

describe.each(BACKENDS)('HTTP API on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000' });
  const submit = async (body: object = {}) => {
    const r = await h().app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '小区电梯经常停运，物业不处理', unitCode: YUTANG, citizen: { phone: '13700001111' }, ...body },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { caseId: string; trackingNo: string };
  };
  const act = (who: Auth, id: string, action: string, payload: object = {}) =>
    h().app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: who, payload });
  let op: Auth, handler: Auth, sibling: Auth, leader: Auth, admin: Auth, auditor: Auth;

  it('sets up staff', async () => {
    op = await h().staff('op', 'operator', '440311');
    handler = await h().staff('yt', 'handler', YUTANG);
    sibling = await h().staff('gm', 'handler', GUANGMING);
    leader = await h().staff('lead', 'leader', '440311');
    admin = await h().staff('root', 'admin', '4403');
    auditor = await h().staff('audit', 'auditor', '4403');
    expect((await h().app.inject({ method: 'GET', url: '/api/v1/me', headers: op })).json().role).toBe('operator');
  });

  it('answers bad input with 400 `field: message` and loses nothing', async () => {
    const { app } = h();
    const cases = [
      [{ content: '短' }, /^content: /],
      [{ content: '足够长的诉求内容', citizen: {} }, /^citizen\.phone: is required unless anonymous/],
      [{ content: '足够长的诉求内容', citizen: { phone: 'abc' } }, /^citizen\.phone: is not a phone number/],
      [{ content: '足够长的诉求内容', citizen: { phone: '13700001111' }, unitCode: '999999' }, /^unitCode: unknown unit/],
      [{ content: '足够长的诉求内容', citizen: { phone: '13700001111' }, type: 'gossip' }, /^type: /],
      [{ content: '足够长的诉求内容', citizen: { phone: '13700001111' }, groupSize: 2.5 }, /^groupSize: /],
    ] as const;
    for (const [payload, message] of cases) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/requests', payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().message).toMatch(message);
    }
    const r = await act(op, (await submit()).caseId, 'dispatch', { unitCode: '' });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/^unitCode: /);
  });

  it('401 without a session, 404 for unknown ids, 409 for a wrong status, 403 for the wrong role', async () => {
    const { app } = h();
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases/not-a-uuid', headers: op })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases/00000000-0000-4000-8000-000000000000', headers: op })).statusCode).toBe(404);
    const { caseId } = await submit();
    const sign = await act(handler, caseId, 'sign');
    expect(sign.statusCode).toBe(409);
    expect(sign.json()).toMatchObject({ error: 'invalid_transition', status: 'received', action: 'sign' });
    expect((await act(handler, caseId, 'dispatch', { unitCode: YUTANG })).statusCode).toBe(403);
    expect((await act(op, caseId, 'fly')).statusCode).toBe(400);
  });

  it('the admin and the auditor read no cases (三员分立)', async () => {
    const { app } = h();
    const { caseId } = await submit();
    for (const who of [admin, auditor]) {
      expect((await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: who })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/v1/cases', headers: who })).json().items).toEqual([]);
    }
  });

  it('return is ruled by the dispatcher: redispatch moves the lead, keep leaves it', async () => {
    const { caseId } = await submit();
    await act(op, caseId, 'dispatch', { unitCode: YUTANG });
    expect((await act(handler, caseId, 'return', {})).json().message).toMatch(/^reason: /);
    expect((await act(handler, caseId, 'return', { reason: '属于马田街道辖区' })).json().status).toBe('return_requested');
    const ruled = await act(op, caseId, 'rule_return', { decision: 'redispatch', unitCode: MATIAN });
    expect(ruled.json()).toMatchObject({ status: 'dispatched', leadUnit: { code: MATIAN, name: '马田街道' } });
    // the old street no longer leads
    expect((await act(handler, caseId, 'sign')).statusCode).toBe(403);

    const second = await submit();
    await act(op, second.caseId, 'dispatch', { unitCode: YUTANG });
    await act(handler, second.caseId, 'return', { reason: '不是我们的' });
    const kept = await act(op, second.caseId, 'rule_return', { decision: 'keep', reason: '地址在玉塘街道辖区内' });
    expect(kept.json()).toMatchObject({ status: 'dispatched', leadUnit: { code: YUTANG } });
    expect((await act(handler, second.caseId, 'sign')).statusCode).toBe(200);
  });

  it('assist adds a co-unit that may contact but not resolve; unsatisfied rating reopens', async () => {
    const { app } = h();
    const rs = await h().staff('rs', 'handler', '4403-RS');
    const { caseId, trackingNo } = await submit({ groupSize: 23, amount: 560000, content: '23名工人被拖欠工资56万元' });
    await act(op, caseId, 'dispatch', { unitCode: YUTANG });
    await act(handler, caseId, 'sign');
    expect((await act(handler, caseId, 'assist', { unitCode: '4403-RS' })).json().coUnits).toEqual([{ code: '4403-RS', name: '深圳市人力资源和社会保障局' }]);
    expect((await act(rs, caseId, 'contact', { note: '已联系工人代表' })).statusCode).toBe(200);
    expect((await act(rs, caseId, 'resolve', { reply: 'x' })).statusCode).toBe(403);
    const done = await act(handler, caseId, 'resolve', { reply: '已足额支付' });
    expect(done.json()).toMatchObject({ groupSize: 23, amount: 560000, status: 'resolved' });
    const rate = await app.inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/rate`, payload: { phone: '137 0000 1111', resolved: false, satisfied: false } });
    expect(rate.json().status).toBe('reopened');
    const again = await app.inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/rate`, payload: { phone: '13700001111', resolved: true, satisfied: true } });
    expect(again.statusCode).toBe(409);
  });

  it('answer at intake, not_accept, merge, pend/resume, reopen by a leader', async () => {
    const a = await submit({ type: 'consult', content: '办理居住证需要什么材料？' });
    expect((await act(op, a.caseId, 'answer', { reply: '身份证和租房合同' })).json().status).toBe('answered');
    const b = await submit();
    expect((await act(op, b.caseId, 'not_accept', { reason: '已进入诉讼程序' })).json().status).toBe('not_accepted');
    const root = await submit();
    const dup = await submit();
    expect((await act(op, dup.caseId, 'merge', { intoCaseId: dup.caseId })).json().message).toMatch(/^intoCaseId: /);
    const merged = await act(op, dup.caseId, 'merge', { intoTrackingNo: root.trackingNo });
    expect(merged.json()).toMatchObject({ status: 'merged', mergedInto: root.caseId });
    await act(op, root.caseId, 'dispatch', { unitCode: YUTANG });
    await act(handler, root.caseId, 'sign');
    expect((await act(handler, root.caseId, 'pend', { reason: '请补充具体楼栋' })).json().statusCategory).toBe('pending');
    expect((await act(handler, root.caseId, 'resume')).json().status).toBe('signed');
    await act(handler, root.caseId, 'resolve', { reply: '已修复' });
    expect((await act(leader, root.caseId, 'reopen', { reason: '群众反映仍未修好' })).json().status).toBe('reopened');
  });

  it('reveal returns the plain phone to a permitted role and is recorded', async () => {
    const { app } = h();
    const { caseId } = await submit({ citizen: { name: '李四', phone: '13700002222' } });
    const r = await act(op, caseId, 'reveal', { field: 'phone' });
    expect(r.json()).toEqual({ field: 'phone', value: '13700002222' });
    expect((await act(sibling, caseId, 'reveal', { field: 'phone' })).statusCode).toBe(404);
    const view = (await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: op })).json();
    expect(view.citizen).toEqual({ anonymous: false, name: '李*', phone: '137****2222' });
    expect(view.timeline.at(-1)).toMatchObject({ action: 'reveal', payload: { field: 'phone' } });
    expect(JSON.stringify(view.timeline)).not.toContain('13700002222');
  });

  it('lists with filters and a cursor; counts praise apart from complaints', async () => {
    const { app } = h();
    await submit({ type: 'praise', content: '感谢玉塘街道工作人员热心帮助' });
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = cursor ? { limit: '3', cursor } : { limit: '3' };
      const r = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: leader, query });
      expect(r.statusCode).toBe(200);
      const page = r.json() as { items: { id: string }[]; nextCursor: string | null };
      all.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    const stats = (await app.inject({ method: 'GET', url: '/api/v1/cases/stats', headers: leader })).json();
    expect(stats.total).toBe(all.length);
    expect(stats.praise).toBe(1);
    expect(stats.byType.praise).toBe(1);
    expect(stats.groupCases).toEqual({ cases: 1, people: 23, amount: 560000 });
    const praise = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: leader, query: { type: 'praise' } });
    expect(praise.json().items).toHaveLength(1);
    const dispatched = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: leader, query: { unitCode: MATIAN } });
    expect(dispatched.json().items.every((c: { leadUnit: { code: string } | null }) => c.leadUnit?.code === MATIAN)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases', headers: leader, query: { cursor: 'garbage' } })).statusCode).toBe(400);
  });

  it('locks an account for 15 minutes after 5 failed logins; sessions expire after 30 idle minutes', async () => {
    const { app, clock, staff } = h();
    const me = await staff('victim', 'handler', YUTANG);
    const login = (password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password } });
    for (let i = 0; i < 4; i++) expect((await login('wrong-password-1')).statusCode).toBe(401);
    expect((await login('wrong-password-1')).statusCode).toBe(423);
    expect((await login('test-pass-1234')).statusCode).toBe(423);
    clock.advance(15 * 60_000 + 1000);
    expect((await login('test-pass-1234')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: me })).statusCode).toBe(200);
    const fresh = await staff('fresh', 'handler', YUTANG);
    clock.advance(29 * 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: fresh })).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: fresh })).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: fresh })).statusCode).toBe(401);
  });

  it('adds a site under a community (admin only) and serves units publicly', async () => {
    const { app } = h();
    const op = await h().staff('op2', 'operator', '440311');
    const admin = await h().staff('root2', 'admin', '4403');
    const community = (await app.inject({ method: 'GET', url: '/api/v1/units', query: { parentCode: YUTANG, limit: '1' } })).json().items[0];
    const body = { name: '玉塘某花园小区', siteType: 'estate' };
    expect((await app.inject({ method: 'POST', url: `/api/v1/units/${community.code}/sites`, headers: op, payload: body })).statusCode).toBe(403);
    const r = await app.inject({ method: 'POST', url: `/api/v1/units/${community.code}/sites`, headers: admin, payload: body });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'site', parentCode: community.code, code: `${community.code}-S1` });
    expect((await app.inject({ method: 'POST', url: `/api/v1/units/${YUTANG}/sites`, headers: admin, payload: body })).statusCode).toBe(400);
    const unit = (await app.inject({ method: 'GET', url: `/api/v1/units/${YUTANG}` })).json();
    expect(unit.fullName).toBe('深圳市光明区玉塘街道');
    expect(unit.children.length).toBeGreaterThan(3);
  });
});

describe('OpenAPI and malformed bodies', () => {
  const h = useApp('postgres');
  it('serves the OpenAPI document with the contract paths', async () => {
    const r = await h().app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json().paths)).toEqual(expect.arrayContaining([
      '/healthz', '/api/v1/requests', '/api/v1/auth/login', '/api/v1/cases', '/api/v1/cases/{id}',
      '/api/v1/cases/{id}/actions/{action}', '/api/v1/track/{trackingNo}', '/api/v1/track/{trackingNo}/rate',
      '/api/v1/units', '/api/v1/units/{code}',
    ]));
  });
  it('answers broken JSON with 400', async () => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', headers: { 'content-type': 'application/json' }, payload: '{"content": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe('bad_input');
  });
});

describe('public rate limit', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '3' });
  it('answers 429 past the per-IP limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '测试限流的诉求内容', citizen: { anonymous: true } } });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([201, 201, 201, 429, 429]);
  });
});
