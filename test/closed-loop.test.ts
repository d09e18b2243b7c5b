/**
 * The closed loop over HTTP on both backends: a citizen submits to 光明区玉塘街道, the center
 * dispatches, the street signs, contacts, feeds back and resolves, the citizen tracks and rates,
 * the case closes; a sibling street sees nothing; personal data is sealed; the audit log holds.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyAudit, anchorAudit } from '../src/app/audit.ts';
import { rowsOf } from '../src/store/db.ts';
import { BACKENDS } from './db.ts';
import { useApp } from './app-harness.ts';

const PHONE = '13812345678';
const YUTANG = '440311005', GUANGMING = '440311001';

describe.each(BACKENDS)('closed loop on %s', (kind) => {
  const h = useApp(kind);
  let caseId = '', trackingNo = '';
  let op: { authorization: string }, handler: { authorization: string }, sibling: { authorization: string };

  it('a citizen submits to 玉塘街道 without logging in', async () => {
    const { app, staff } = h();
    op = await staff('op.city', 'operator', '4403');
    handler = await staff('h.yutang', 'handler', YUTANG);
    sibling = await staff('h.guangming', 'handler', GUANGMING);
    const r = await app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '田寮社区路灯坏了一个月，晚上出行不安全', type: 'complaint', unitCode: YUTANG, citizen: { name: '张三', phone: PHONE } },
    });
    expect(r.statusCode).toBe(201);
    ({ caseId, trackingNo } = r.json());
    expect(trackingNo).toMatch(/^SZ-20261127-\d{6}$/);
  });

  it('walks dispatch → sign → contact → feedback → resolve → rate → closed', async () => {
    const { app, clock } = h();
    const act = async (who: { authorization: string }, action: string, payload: object = {}) => {
      clock.advance(60_000);
      const r = await app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: who, payload });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    expect((await act(op, 'dispatch', { unitCode: YUTANG })).status).toBe('dispatched');
    const signed = await act(handler, 'sign');
    expect(signed.status).toBe('signed');
    expect(signed.allowedActions).toContain('resolve');
    await act(handler, 'contact', { method: 'phone', note: '已电话联系诉求人' });
    await act(handler, 'feedback', { message: '已安排维修' });
    const resolved = await act(handler, 'resolve', { reply: '路灯已修复' });
    expect(resolved.status).toBe('resolved');
    expect(resolved.citizen.phone).toBe('138****5678');
    expect(resolved.citizen.name).toBe('张*');

    const track = await app.inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?phone=${PHONE}` });
    expect(track.statusCode).toBe(200);
    expect(track.json().reply).toBe('路灯已修复');
    expect(track.json().allowedActions).toEqual(['rate', 'thank', 'attach']);
    expect(JSON.stringify(track.json())).not.toMatch(/h\.yutang|已电话联系/);

    const wrongPhone = await app.inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?phone=13900000000` });
    expect(wrongPhone.statusCode).toBe(404);

    clock.advance(20 * 60_000);
    const rate = await app.inject({
      method: 'POST', url: `/api/v1/track/${trackingNo}/rate`, payload: { phone: PHONE, resolved: true, satisfied: true, comment: '很满意' },
    });
    expect(rate.statusCode, rate.body).toBe(200);
    expect(rate.json().status).toBe('closed');
  });

  it('shows every step on the timeline with actor and time', async () => {
    const { app } = h();
    const r = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: op });
    expect(r.statusCode).toBe(200);
    const tl = r.json().timeline as { action: string; at: string; actor: { name: string | null; role: string } }[];
    expect(tl.map((e) => e.action)).toEqual(['accept', 'dispatch', 'sign', 'contact', 'feedback', 'resolve', 'rate']);
    expect(tl.map((e) => e.actor.role)).toEqual(['citizen', 'operator', 'handler', 'handler', 'handler', 'handler', 'citizen']);
    expect(tl[2]!.actor.name).toBe('h.yutang');
    expect(new Set(tl.map((e) => e.at)).size).toBe(7);
    const clocks = r.json().clocks as { name: string; state: string; onTime: boolean }[];
    expect(clocks.map((c) => [c.name, c.state, c.onTime])).toEqual([
      ['sign', 'met', true], ['contact', 'met', true], ['first_feedback', 'met', true], ['resolve', 'met', true],
    ]);
  });

  it('a handler of the sibling street gets 404 and an empty list', async () => {
    const { app } = h();
    expect((await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: sibling })).statusCode).toBe(404);
    const act = await app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/reopen`, headers: sibling, payload: { reason: 'x' } });
    expect(act.statusCode).toBe(404);
    const list = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: sibling });
    expect(list.json().items).toEqual([]);
    const mine = await app.inject({ method: 'GET', url: '/api/v1/cases', headers: handler });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toEqual([caseId]);
  });

  it('no plaintext phone or name anywhere in the database', async () => {
    const db = h().deps.db;
    const dump = await rowsOf<{ t: string }>(db.orm, sql`
      select string_agg(t, ' ') as t from (
        select row_to_json(c)::text as t from cases c union all select row_to_json(e)::text from case_events e
        union all select row_to_json(s)::text from sessions s union all select row_to_json(u)::text from users u) x`);
    expect(dump[0]!.t).toContain(caseId);
    expect(dump[0]!.t).not.toContain(PHONE);
    expect(dump[0]!.t).not.toContain('张三');
  });

  it('audit verify passes, then names an event edited by hand', async () => {
    const { deps } = h();
    await anchorAudit(deps.db, deps.pii, deps.now());
    const ok = await verifyAudit(deps.db, deps.pii);
    expect(ok.problems).toEqual([]);
    expect(ok.ok).toBe(true);
    const [ev] = await rowsOf<{ id: number }>(deps.db.orm, sql`select id from case_events where case_id = ${caseId} and seq = 6`);
    await deps.db.orm.execute(sql`update case_events set payload = '{"reply":"已修复（改）"}' where id = ${ev!.id}`);
    const bad = await verifyAudit(deps.db, deps.pii);
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]).toContain(`case_events id=${ev!.id}`);
  });
});
