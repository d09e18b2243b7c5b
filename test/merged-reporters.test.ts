/**
 * Merged reporters (合并办理): a duplicate merged into a root case keeps its tracking number; its
 * reporter is texted when it is merged and when the root gets feedback or its answer, follows the
 * root's status and answer on the tracking page, and rates that answer once there is one. An
 * unsatisfied rating keeps the case merged and tells the root's unit on duty.
 */
import { and, eq, like } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { outbox } from '../src/store/schema.ts';
import { BACKENDS } from './db.ts';
import { useApp } from './app-harness.ts';

const YUTANG = '440311005';
type Auth = { authorization: string; id: string };

describe.each(BACKENDS)('merged reporters on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '10000', PUBLIC_PHONE_RATE_LIMIT: '10000' });
  const inject = (opts: InjectOptions) => h().app.inject(opts);
  const submit = async (phone: string, content: string) => {
    const r = await inject({ method: 'POST', url: '/api/v1/requests', payload: { content, unitCode: YUTANG, citizen: { phone } } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { caseId: string; trackingNo: string };
  };
  const act = async (who: Auth, id: string, action: string, payload: object = {}) =>
    inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: { authorization: who.authorization }, payload });
  const track = async (no: string, phone: string) => {
    const r = await inject({ method: 'GET', url: `/api/v1/track/${no}?phone=${phone}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const smsFor = async (caseTracking: string) => {
    const rows = await h().deps.db.orm.select().from(outbox).where(and(eq(outbox.channel, 'sms'), like(outbox.dedupeKey, 'case:%')));
    return rows
      .filter((r) => (r.payload as { trackingNo: string }).trackingNo === caseTracking)
      .map((r) => ({ template: (r.payload as { template: string }).template, phone: h().deps.pii.decrypt(r.recipient) }));
  };
  let op: Auth, handler: Auth;

  it('keeps the number, texts, follows and rates the root answer', async () => {
    op = await h().staff('op', 'operator', '440311');
    handler = await h().staff('yt', 'handler', YUTANG);
    const roster = await inject({
      method: 'POST', url: `/api/v1/units/${YUTANG}/roster`, headers: { authorization: op.authorization },
      payload: { template: { kind: 'one_24h', date: '2026-11-27', start: '08:00', usernames: ['yt'] } },
    });
    expect(roster.statusCode, roster.body).toBe(201);

    const root = await submit('13900001111', '田寮社区路灯坏了一个月，晚上很黑');
    const dup = await submit('13900002222', '田寮社区的路灯不亮已经很久了');
    const third = await submit('13900003333', '田寮路灯一直不亮');
    expect((await act(op, dup.caseId, 'merge', { intoTrackingNo: root.trackingNo })).statusCode).toBe(200);
    expect((await act(op, third.caseId, 'merge', { intoCaseId: root.caseId })).statusCode).toBe(200);
    // Each merged reporter is told, on their own number and tracking number.
    expect(await smsFor(dup.trackingNo)).toContainEqual({ template: 'merged', phone: '13900002222' });
    expect(await smsFor(third.trackingNo)).toContainEqual({ template: 'merged', phone: '13900003333' });

    // Staff see which cases were merged into the root.
    const rootView = (await inject({ method: 'GET', url: `/api/v1/cases/${root.caseId}`, headers: { authorization: op.authorization } })).json();
    expect(rootView.mergedCases.map((m: { trackingNo: string }) => m.trackingNo).sort()).toEqual([dup.trackingNo, third.trackingNo].sort());

    // Before the root has an answer the merged reporter follows it but cannot rate.
    let view = await track(dup.trackingNo, '13900002222');
    expect(view).toMatchObject({ trackingNo: dup.trackingNo, status: 'merged', mergedInto: { trackingNo: root.trackingNo, status: 'received', reply: null } });
    expect(view.content).toBe('田寮社区的路灯不亮已经很久了');
    expect(JSON.stringify(view)).not.toContain('晚上很黑'); // never the other reporter's words
    expect(view.allowedActions).not.toContain('rate');
    const early = await inject({ method: 'POST', url: `/api/v1/track/${dup.trackingNo}/rate`, payload: { phone: '13900002222', resolved: true, satisfied: true } });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/no answer yet/);

    expect((await act(op, root.caseId, 'dispatch', { unitCode: YUTANG })).statusCode).toBe(200);
    expect((await act(handler, root.caseId, 'sign')).statusCode).toBe(200);
    expect((await act(handler, root.caseId, 'feedback', { message: '已联系供电部门排查线路' })).statusCode).toBe(200);
    expect((await act(handler, root.caseId, 'resolve', { reply: '田寮社区路灯线路已更换，恢复照明。' })).statusCode).toBe(200);
    for (const [c, phone] of [[dup, '13900002222'], [third, '13900003333']] as const) {
      const sms = await smsFor(c.trackingNo);
      expect(sms).toContainEqual({ template: 'feedback', phone });
      expect(sms).toContainEqual({ template: 'resolved', phone });
    }

    view = await track(dup.trackingNo, '13900002222');
    expect(view.mergedInto).toMatchObject({ status: 'resolved', reply: '田寮社区路灯线路已更换，恢复照明。', handlingUnit: expect.stringContaining('玉塘') });
    expect(view.allowedActions).toContain('rate');

    // Satisfied: recorded on the reporter's own case, which stays merged.
    const ok = await inject({ method: 'POST', url: `/api/v1/track/${third.trackingNo}/rate`, payload: { phone: '13900003333', resolved: true, satisfied: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'merged' });
    expect(await track(third.trackingNo, '13900003333')).toMatchObject({ status: 'merged', rating: { resolved: true, satisfied: true, by: 'citizen' } });

    // Unsatisfied: the root stays as it is, its unit on duty is told.
    const bad = await inject({ method: 'POST', url: `/api/v1/track/${dup.trackingNo}/rate`, payload: { phone: '13900002222', resolved: false, satisfied: false, comment: '我家门口那盏还是不亮' } });
    expect(bad.statusCode, bad.body).toBe(200);
    expect(bad.json()).toMatchObject({ status: 'merged' });
    expect((await track(dup.trackingNo, '13900002222')).rating).toMatchObject({ resolved: false, satisfied: false });
    // One rating per answer: asking again changes nothing and tells nobody.
    const again = await inject({ method: 'POST', url: `/api/v1/track/${dup.trackingNo}/rate`, payload: { phone: '13900002222', resolved: false, satisfied: false } });
    expect(again.statusCode).toBe(409);
    expect((await track(dup.trackingNo, '13900002222')).allowedActions).not.toContain('rate');
    const notices = (await h().deps.db.orm.select().from(outbox).where(and(eq(outbox.channel, 'inapp'), eq(outbox.recipient, handler.id))))
      .map((r) => r.payload as { kind: string; title: string; body: string; caseId: string })
      .filter((p) => p.kind === 'merged_rating');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ caseId: root.caseId, title: `合并件评价不满意 ${root.trackingNo}` });
    expect(notices[0]!.body).toContain(dup.trackingNo);
    expect((await track(root.trackingNo, '13900001111')).status).toBe('resolved');

    // The root's own reporter still closes it with their rating.
    const closing = await inject({ method: 'POST', url: `/api/v1/track/${root.trackingNo}/rate`, payload: { phone: '13900001111', resolved: true, satisfied: true } });
    expect(closing.json()).toMatchObject({ status: 'closed' });
  });
});
