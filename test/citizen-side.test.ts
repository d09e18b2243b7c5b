/**
 * The citizen after submitting: tracking by one-time code (lock after five wrong tries, expiry,
 * single use, resend throttle), access tokens, supplementing (resumes a pending case), withdrawing
 * and thanking (a new praise case for the unit that handled it). The public view never carries
 * staff names or internal notes.
 */
import { desc, eq, like } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { cases, otpCodes, outbox } from '../src/store/schema.ts';
import { BACKENDS } from './db.ts';
import { useApp } from './app-harness.ts';

const YUTANG = '440311005';
const PHONE = '13900002222';
type Auth = { authorization: string };

describe.each(BACKENDS)('the citizen after submitting, on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '10000', PUBLIC_PHONE_RATE_LIMIT: '10000', SESSION_IDLE_MINUTES: '100000' });
  const inject = (opts: InjectOptions) => h().app.inject(opts);
  const submit = async (body: object = {}) => {
    const r = await inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '路灯坏了一个月没人修', unitCode: YUTANG, citizen: { phone: PHONE }, ...body } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { caseId: string; trackingNo: string; accessToken: string };
  };
  const act = async (who: Auth, id: string, action: string, payload: object = {}) => {
    const r = await inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: who, payload });
    expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
    return r.json();
  };
  const track = (no: string, query: string) => inject({ method: 'GET', url: `/api/v1/track/${no}?${query}` });
  const citizen = (no: string, what: string, payload: object) => inject({ method: 'POST', url: `/api/v1/track/${no}/${what}`, payload });
  /** Asks for a code and reads it back the way only the SMS sender can: from the sealed outbox payload. */
  const requestCode = async (no: string): Promise<string | null> => {
    const before = await lastOtpMessage();
    const r = await citizen(no, 'code', {});
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ sent: true, expiresInSeconds: 600 });
    const after = await lastOtpMessage();
    if (!after || after.id === before?.id) return null;
    return h().deps.pii.decrypt((after.payload as { sealedCode: string }).sealedCode);
  };
  const lastOtpMessage = async () =>
    (await h().deps.db.orm.select().from(outbox).where(like(outbox.dedupeKey, 'otp:%')).orderBy(desc(outbox.id)).limit(1))[0] ?? null;
  let op: Auth, handler: Auth;

  it('sets up staff', async () => {
    op = await h().staff('op', 'operator', '440311');
    handler = await h().staff('yt', 'handler', YUTANG);
  });

  it('tracks with a one-time code: used once, the SMS goes out sealed, only a hash is stored', async () => {
    const { caseId, trackingNo } = await submit();
    const code = await requestCode(trackingNo);
    expect(code).toMatch(/^\d{6}$/);
    const msg = await lastOtpMessage();
    expect(msg).toMatchObject({ channel: 'sms', payload: { template: 'tracking_code', trackingNo } });
    expect(JSON.stringify(msg)).not.toContain(code!);
    expect(h().deps.pii.decrypt(msg!.recipient)).toBe(PHONE);
    const [stored] = await h().deps.db.orm.select().from(otpCodes).where(eq(otpCodes.caseId, caseId));
    expect(JSON.stringify(stored)).not.toContain(code!);

    const r = await track(trackingNo, `code=${code}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ trackingNo, status: 'received', accessToken: expect.stringMatching(/^a1\./) });
    expect((await track(trackingNo, `code=${code}`)).statusCode).toBe(404); // single use
    // The access token serves for the rest of the visit, then expires.
    const token = r.json().accessToken as string;
    const byToken = await track(trackingNo, `token=${encodeURIComponent(token)}`);
    expect(byToken.statusCode).toBe(200);
    expect(byToken.json().accessToken).toBeUndefined(); // a token does not renew itself
    expect((await track(trackingNo, `token=${encodeURIComponent(token.slice(0, -2) + '00')}`)).statusCode).toBe(404);
    const other = await submit();
    expect((await track(other.trackingNo, `token=${encodeURIComponent(token)}`)).statusCode).toBe(404);
    h().clock.advance(31 * 60_000);
    expect((await track(trackingNo, `token=${encodeURIComponent(token)}`)).statusCode).toBe(404);
  });

  it('five wrong codes lock the code; a new one (not before a minute) works', async () => {
    const { trackingNo } = await submit();
    const code = (await requestCode(trackingNo))!;
    expect(await requestCode(trackingNo)).toBeNull(); // resend within a minute: nothing sent, same answer
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 4; i++) expect((await track(trackingNo, `code=${wrong}`)).statusCode).toBe(404);
    const fifth = await track(trackingNo, `code=${wrong}`);
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().message).toMatch(/new code/);
    expect((await track(trackingNo, `code=${code}`)).statusCode).toBe(423);
    h().clock.advance(61_000);
    const fresh = (await requestCode(trackingNo))!;
    expect((await track(trackingNo, `code=${fresh}`)).statusCode).toBe(200);
  });

  it('a code expires after ten minutes', async () => {
    const { trackingNo } = await submit();
    const code = (await requestCode(trackingNo))!;
    h().clock.advance(10 * 60_000);
    expect((await track(trackingNo, `code=${code}`)).statusCode).toBe(404);
  });

  it('asking for a code tells a stranger nothing and texts no anonymous case', async () => {
    expect(await requestCode('SZ-20991231-999999')).toBeNull();
    const anon = await submit({ citizen: { anonymous: true } });
    expect(await requestCode(anon.trackingNo)).toBeNull();
    expect((await citizen(anon.trackingNo, 'code', {})).json()).toEqual({ sent: true, expiresInSeconds: 600 });
  });

  it('a proof is exactly one of phone, code, token', async () => {
    const { trackingNo } = await submit();
    const both = await track(trackingNo, `phone=${PHONE}&code=123456`);
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/exactly one of phone, code or token/);
    expect((await track(trackingNo, '')).statusCode).toBe(400);
    expect((await track(trackingNo, 'code=12ab56')).statusCode).toBe(400);
    expect((await track(trackingNo, 'phone=13900002223')).statusCode).toBe(404);
  });

  it('a supplement adds information while the case is open and resumes it while it waits', async () => {
    const { caseId, trackingNo } = await submit();
    const early = await citizen(trackingNo, 'supplement', { phone: PHONE, content: '灯杆编号是 YT-0231' });
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json()).toEqual({ trackingNo, status: 'received', statusLabel: '已受理' });

    await act(op, caseId, 'dispatch', { unitCode: YUTANG, note: '内部：请街道照明所处理' });
    await act(handler, caseId, 'sign');
    await act(handler, caseId, 'pend', { reason: '请补充具体位置' });
    const view = (await track(trackingNo, `phone=${PHONE}`)).json();
    expect(view).toMatchObject({ status: 'pending', allowedActions: ['resume', 'supplement', 'withdraw', 'attach'] });

    const r = await citizen(trackingNo, 'supplement', { phone: PHONE, content: '在光侨路与华夏路交叉口北侧' });
    expect(r.json()).toMatchObject({ status: 'signed' });
    const after = (await track(trackingNo, `phone=${PHONE}`)).json();
    const entries = after.timeline.map((e: { action: string; text: string | null }) => [e.action, e.text]);
    expect(entries).toEqual([
      ['accept', null], ['supplement', '灯杆编号是 YT-0231'], ['dispatch', null], ['sign', null],
      ['pend', '请补充具体位置'], ['supplement', '在光侨路与华夏路交叉口北侧'],
    ]);
    // Only the public fields: no staff, no internal note.
    for (const e of after.timeline) expect(Object.keys(e).sort()).toEqual(['action', 'at', 'label', 'status', 'text']);
    expect(JSON.stringify(after)).not.toContain('内部');
    // Staff see the supplement in their timeline, by the citizen.
    const staffView = (await inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: handler })).json();
    expect(staffView.timeline.at(-1)).toMatchObject({ action: 'supplement', from: 'pending', to: 'signed', actor: { role: 'citizen' } });
    // After the answer there is nothing to supplement: rate instead.
    await act(handler, caseId, 'resolve', { reply: '已更换灯泡' });
    expect((await citizen(trackingNo, 'supplement', { phone: PHONE, content: '还有一盏' })).statusCode).toBe(409);
    expect((await citizen(trackingNo, 'supplement', { phone: PHONE, content: '' })).statusCode).toBe(400);
  });

  it('withdraw closes an unresolved request as 已撤回; nothing further happens to it', async () => {
    const { caseId, trackingNo } = await submit();
    await act(op, caseId, 'dispatch', { unitCode: YUTANG });
    const r = await citizen(trackingNo, 'withdraw', { phone: PHONE, reason: '已自行解决' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ trackingNo, status: 'withdrawn', statusLabel: '已撤回' });
    const view = (await track(trackingNo, `phone=${PHONE}`)).json();
    expect(view).toMatchObject({ statusCategory: 'closed', allowedActions: [] });
    expect(view.timeline.at(-1)).toMatchObject({ action: 'withdraw', label: '撤回诉求', text: '已自行解决' });
    expect((await citizen(trackingNo, 'withdraw', { phone: PHONE })).statusCode).toBe(409);
    expect((await inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/sign`, headers: handler, payload: {} })).statusCode).toBe(409);
    const [row] = await h().deps.db.orm.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ status: 'withdrawn', statusCategory: 'closed' });
    expect(row!.closedAt).not.toBeNull();
    // A resolved request can no longer be withdrawn.
    const done = await submit();
    await act(op, done.caseId, 'dispatch', { unitCode: YUTANG });
    await act(handler, done.caseId, 'sign');
    await act(handler, done.caseId, 'resolve', { reply: '已处理' });
    expect((await citizen(done.trackingNo, 'withdraw', { phone: PHONE })).statusCode).toBe(409);
  });

  it('a thank-you letter becomes a praise case for the unit that handled the request, once', async () => {
    const { caseId, trackingNo } = await submit();
    expect((await citizen(trackingNo, 'thank', { phone: PHONE, content: '感谢玉塘街道及时处理！' })).statusCode).toBe(409);
    await act(op, caseId, 'dispatch', { unitCode: YUTANG });
    await act(handler, caseId, 'sign');
    await act(handler, caseId, 'resolve', { reply: '已修复' });
    const r = await citizen(trackingNo, 'thank', { phone: PHONE, content: '感谢玉塘街道及时处理！' });
    expect(r.statusCode, r.body).toBe(201);
    const { praiseTrackingNo } = r.json();
    expect(praiseTrackingNo).toMatch(/^SZ-\d{8}-\d{6}$/);
    expect(r.json()).toMatchObject({ trackingNo, status: 'resolved' });

    const original = (await track(trackingNo, `phone=${PHONE}`)).json();
    expect(original.timeline.at(-1)).toMatchObject({ action: 'thank', label: '表扬信', text: praiseTrackingNo });
    // The citizen follows the praise case with the same phone; the handling street sees it.
    const praise = (await track(praiseTrackingNo, `phone=${PHONE}`)).json();
    expect(praise).toMatchObject({ type: 'praise', typeLabel: '表扬', status: 'received', content: '感谢玉塘街道及时处理！' });
    const list = (await inject({ method: 'GET', url: '/api/v1/cases?type=praise', headers: handler })).json();
    const item = list.items.find((c: { trackingNo: string }) => c.trackingNo === praiseTrackingNo);
    expect(item).toMatchObject({ channel: 'web', intakeUnit: { code: YUTANG } });
    const staffView = (await inject({ method: 'GET', url: `/api/v1/cases/${item.id}`, headers: handler })).json();
    expect(staffView.timeline[0].payload.thanksFor).toEqual({ caseId, trackingNo });

    expect((await citizen(trackingNo, 'thank', { phone: PHONE, content: '再次感谢各位工作人员' })).statusCode).toBe(409);
    // Rating still works after the letter (resolved → closed), and the staff route refuses thank.
    expect((await citizen(trackingNo, 'rate', { phone: PHONE, resolved: true, satisfied: true })).json().status).toBe('closed');
    expect((await inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/thank`, headers: op, payload: { content: '员工代写表扬信' } })).statusCode).toBe(403);
  });

  it('the code works for actions too, and is used up by them', async () => {
    const { trackingNo } = await submit();
    h().clock.advance(61_000);
    const code = (await requestCode(trackingNo))!;
    const r = await citizen(trackingNo, 'withdraw', { code });
    expect(r.json()).toMatchObject({ status: 'withdrawn' });
    expect((await track(trackingNo, `code=${code}`)).statusCode).toBe(404);
  });
});
