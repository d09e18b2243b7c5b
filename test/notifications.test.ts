/**
 * Dispatch tells whoever is on duty at the unit: the roster through the API, the outbox row in
 * the dispatch transaction, the sender's sweep, the in-app list and a live SSE stream read by a
 * real HTTP client (LISTEN/NOTIFY on PostgreSQL, the in-process feed on PGlite).
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { makeChannels } from '../src/app/notify/index.ts';
import { rowsOf } from '../src/store/db.ts';
import { sweepOutbox } from '../src/jobs/outbox-sender.job.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';
import { openSse, type SseStream } from './sse-client.ts';

const YUTANG = '440311005';
type Auth = { authorization: string };

describe.each(BACKENDS)('notifications on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000' });
  let op: Auth, alice: Auth & { id: string }, bob: Auth & { id: string };
  let base = '';
  const streams: SseStream[] = [];
  afterAll(() => streams.forEach((s) => s.close()));
  const sweep = () => sweepOutbox(h().deps, makeChannels(h().deps).channels);
  const inject = (method: 'GET' | 'POST', url: string, who: Auth, payload?: object) => h().app.inject({ method, url, headers: who, payload });
  const newCase = async () => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '路灯不亮，晚上很危险', unitCode: YUTANG, citizen: { phone: '13700001111' } } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { caseId: string; trackingNo: string };
  };

  it('sets up a roster through the API', async () => {
    op = await h().staff('op', 'operator', '440311');
    alice = await h().staff('alice', 'handler', YUTANG);
    bob = await h().staff('bob', 'handler', YUTANG);
    base = await h().app.listen({ port: 0, host: '127.0.0.1' });
    // The harness clock reads 2026-11-27 10:00 China time: alice's 24-hour shift from 08:00 covers it.
    const r = await inject('POST', `/api/v1/units/${YUTANG}/roster`, op, { template: { kind: 'one_24h', date: '2026-11-27', start: '08:00', usernames: ['alice'] } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().shifts).toMatchObject([{ label: '全天', user: { username: 'alice' }, startsAt: '2026-11-27T00:00:00.000Z', endsAt: '2026-11-28T00:00:00.000Z' }]);
    const duty = await inject('GET', `/api/v1/units/${YUTANG}/on-duty`, bob);
    expect(duty.json().onDuty.map((s: { user: { username: string } }) => s.user.username)).toEqual(['alice']);
    const bad = await inject('POST', `/api/v1/units/${YUTANG}/roster`, op, { shifts: [{ username: 'bob', startsAt: '2026-11-27 08:00', endsAt: '2026-11-27 07:00' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe('shifts.0.endsAt: must be after startsAt');
    expect((await inject('POST', `/api/v1/units/${YUTANG}/roster`, bob, { shifts: [{ username: 'bob', startsAt: '2026-11-27 08:00', endsAt: '2026-11-27 09:00' }] })).statusCode).toBe(403);
    expect((await inject('GET', `/api/v1/units/${YUTANG}/roster?from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z`, op)).json().shifts).toHaveLength(1);
  });

  it('the stream refuses a missing or wrong token', async () => {
    expect((await openSse(`${base}/api/v1/notifications/stream`)).status).toBe(401);
    expect((await openSse(`${base}/api/v1/notifications/stream?token=nope`)).status).toBe(401);
  });

  it('dispatch → the on-duty member gets an in-app notification and an SSE message', async () => {
    const token = alice.authorization.slice('Bearer '.length);
    const stream = await openSse(`${base}/api/v1/notifications/stream?token=${encodeURIComponent(token)}`);
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);

    const { caseId, trackingNo } = await newCase();
    const d = await inject('POST', `/api/v1/cases/${caseId}/actions/dispatch`, op, { unitCode: YUTANG });
    expect(d.statusCode, d.body).toBe(200);
    // Queued in the dispatch transaction: alice (on duty) only; bob is not on duty.
    const rows = await rowsOf<{ channel: string; recipient: string }>(h().deps.db.orm,
      sql`select channel, recipient from outbox where dedupe_key like ${`case:${caseId}:%`} and delivered_at is null order by id`);
    expect(rows).toEqual([{ channel: 'sms', recipient: expect.stringMatching(/^v1:/) }, { channel: 'inapp', recipient: alice.id }]);

    expect((await sweep()).delivered).toBeGreaterThanOrEqual(2);
    const e = await stream.next();
    expect(e.event).toBe('notification');
    const n = JSON.parse(e.data);
    expect(n).toMatchObject({ userId: alice.id, caseId, kind: 'dispatch', title: `新派单 ${trackingNo}` });
    expect(e.id).toBe(String(n.id));

    const list = await inject('GET', '/api/v1/notifications', alice);
    expect(list.json()).toMatchObject({ unread: 1, items: [{ id: n.id, caseId, kind: 'dispatch', readAt: null }] });
    expect((await inject('GET', '/api/v1/notifications', bob)).json()).toMatchObject({ unread: 0, items: [] });
    // A second sweep finds nothing left: delivered once.
    expect((await sweep()).claimed).toBe(0);
    expect((await inject('GET', '/api/v1/notifications', alice)).json().items).toHaveLength(1);
  });

  it('marks read: one, then all; nobody else can touch them', async () => {
    const first = (await inject('GET', '/api/v1/notifications', alice)).json().items[0];
    expect((await inject('POST', `/api/v1/notifications/${first.id}/read`, bob)).statusCode).toBe(404);
    const r = await inject('POST', `/api/v1/notifications/${first.id}/read`, alice);
    expect(r.json()).toEqual({ unread: 0 });
    const { caseId } = await newCase();
    await inject('POST', `/api/v1/cases/${caseId}/actions/dispatch`, op, { unitCode: YUTANG });
    await sweep();
    expect((await inject('GET', '/api/v1/notifications?unread=true', alice)).json()).toMatchObject({ unread: 1, items: [{ caseId }] });
    expect((await inject('POST', '/api/v1/notifications/read-all', alice)).json()).toEqual({ marked: 1, unread: 0 });
    expect((await inject('GET', '/api/v1/notifications', alice)).json().unread).toBe(0);
  });

  it('a reconnecting stream replays what it missed after Last-Event-ID', async () => {
    const items = (await inject('GET', '/api/v1/notifications', alice)).json().items as { id: number }[];
    const oldest = Math.min(...items.map((i) => i.id));
    const stream = await openSse(`${base}/api/v1/notifications/stream`, { authorization: alice.authorization, 'last-event-id': String(oldest) });
    streams.push(stream);
    const e = await stream.next();
    expect(Number(e.id)).toBe(Math.max(...items.map((i) => i.id)));
  });
});
