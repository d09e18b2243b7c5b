/**
 * The outbox sender on PostgreSQL: delivered exactly once under two concurrent sweeps, again
 * after a lease runs out, retried with backoff and parked; e-mail to an in-process SMTP server;
 * webhooks signed and retried after a 500; SMS logged without the phone number.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { like, sql } from 'drizzle-orm';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../../test/app-harness.ts';
import { enqueue, type OutboxMessage } from '../app/outbox.ts';
import { makeChannels } from '../app/notify/index.ts';
import type { Channel, Channels } from '../app/notify/channel.ts';
import { importRosterCsv } from '../app/rosters.ts';
import { MAX_ATTEMPTS, verifySignature } from '../domain/delivery.ts';
import { rowsOf } from '../store/db.ts';
import { outbox } from '../store/schema.ts';
import { PARKED_UNTIL, sweepOutbox } from './outbox-sender.job.ts';

const YUTANG = '440311005';
const PHONE = '13912345678';

interface Mail { to: string; raw: string }
interface Hit { headers: IncomingHttpHeaders; body: string }

describe('outbox sender on postgres', () => {
  const mails: Mail[] = [];
  const hits: Hit[] = [];
  let answer = 500;
  let smtp: SMTPServer, web: Server, hookUrl = '';
  const env: Record<string, string> = { PUBLIC_RATE_LIMIT: '1000' };

  // Registered before useApp's hook, so the app's configuration sees SMTP_URL.
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, done) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (s: string) => { raw += s; });
        stream.on('end', () => { mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw }); done(); });
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
    env.SMTP_FROM = 'suqiu <noreply@suqiu.test>';
    web = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (s: string) => { body += s; });
      req.on('end', () => { hits.push({ headers: req.headers, body }); res.statusCode = answer; res.end(); });
    });
    await new Promise<void>((ok) => web.listen(0, '127.0.0.1', ok));
    hookUrl = `http://127.0.0.1:${(web.address() as { port: number }).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => smtp.close(() => ok()));
    await new Promise<void>((ok) => web.close(() => ok()));
  });

  const h = useApp('postgres', env);
  const orm = () => h().deps.db.orm;
  const sweep = (channels?: Channels, log = h().deps.log) => sweepOutbox({ ...h().deps, log }, channels ?? makeChannels({ ...h().deps, log }).channels);
  let op: { authorization: string }, admin: { authorization: string }, alice = '';
  const newCase = async (phone = PHONE) => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '噪音扰民，夜间施工', unitCode: YUTANG, citizen: { phone } } });
    return r.json() as { caseId: string; trackingNo: string };
  };
  const dispatch = (caseId: string) =>
    h().app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/dispatch`, headers: op, payload: { unitCode: YUTANG } });
  const row = async (key: string) => {
    const [r] = await orm().select().from(outbox).where(like(outbox.dedupeKey, key));
    return { attempts: r!.attempts, delivered_at: r!.deliveredAt, available_at: r!.availableAt, last_error: r!.lastError };
  };
  /** The text of a single-part mail (nodemailer sends UTF-8 text as base64). */
  const mailText = (raw: string) => Buffer.from(raw.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');

  it('sets up', async () => {
    op = await h().staff('op', 'operator', '440311');
    admin = await h().staff('root', 'admin', '4403');
    alice = (await h().staff('alice', 'handler', YUTANG)).id;
    await orm().execute(sql`update users set email = 'alice@yutang.example' where id = ${alice}`);
    await importRosterCsv(h().deps, YUTANG, 'username,starts_at,ends_at\nalice,2026-11-27 08:00,2026-11-28 08:00\n');
    await sweep(); // whatever setting up queued
  });

  it('two concurrent sweeps deliver every row exactly once', async () => {
    const seen = new Map<string, number>();
    const counting: Channel = {
      mode: 'remote',
      async deliver(r) {
        await new Promise((ok) => setTimeout(ok, 2));
        seen.set(r.dedupeKey, (seen.get(r.dedupeKey) ?? 0) + 1);
      },
    };
    const real = makeChannels(h().deps).channels;
    const channels: Channels = { inapp: real.inapp, email: counting, webhook: counting, sms: counting };
    const msgs: OutboxMessage[] = [];
    for (let i = 0; i < 150; i++) msgs.push({ dedupeKey: `load:${i}:webhook`, channel: 'webhook', recipient: 'w', payload: { i } });
    for (let i = 0; i < 150; i++) msgs.push({ dedupeKey: `load:${i}:inapp`, channel: 'inapp', recipient: alice, payload: { kind: 'load', title: `t${i}`, body: 'b' } });
    await enqueue(orm(), h().deps.now(), msgs);
    // A repeated enqueue (a retried transaction) adds nothing.
    expect(await enqueue(orm(), h().deps.now(), msgs.slice(0, 10))).toBe(0);
    let claimed = 0;
    for (;;) {
      const rs = await Promise.all([sweepOutbox(h().deps, channels, { batch: 20 }), sweepOutbox(h().deps, channels, { batch: 20 })]);
      claimed += rs[0].claimed + rs[1].claimed;
      if (rs[0].claimed + rs[1].claimed === 0) break;
    }
    expect(claimed).toBe(300);
    expect(seen.size).toBe(150);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const [n] = await rowsOf<{ n: number }>(orm(), sql`select count(*)::int as n from notifications where kind = 'load'`);
    expect(n!.n).toBe(150);
    const [left] = await rowsOf<{ n: number }>(orm(), sql`select count(*)::int as n from outbox where dedupe_key like 'load:%' and delivered_at is null`);
    expect(left!.n).toBe(0);
  });

  it('a claim whose sender died is delivered again once its lease runs out', async () => {
    let calls = 0;
    const ok: Channel = { mode: 'remote', async deliver() { calls++; } };
    const dies: Channel = { mode: 'remote', deliver: () => new Promise(() => {}) }; // never settles
    await enqueue(orm(), h().deps.now(), [{ dedupeKey: 'lease:1', channel: 'sms', recipient: 'x', payload: {} }]);
    const all = (c: Channel): Channels => ({ inapp: c, email: c, webhook: c, sms: c });
    void sweepOutbox(h().deps, all(dies), { leaseMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect((await sweepOutbox(h().deps, all(ok))).claimed).toBe(0);
    h().clock.advance(60_000);
    expect((await sweepOutbox(h().deps, all(ok))).delivered).toBe(1);
    expect(calls).toBe(1);
    expect(await row('lease:1')).toMatchObject({ attempts: 2, last_error: null });
  });

  it('e-mail goes to the on-duty member through SMTP', async () => {
    const { caseId, trackingNo } = await newCase();
    expect((await dispatch(caseId)).statusCode).toBe(200);
    mails.length = 0;
    await sweep();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('alice@yutang.example');
    expect(mails[0]!.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(mails[0]!.raw).toMatch(/^Message-ID: <[0-9a-f]{32}@suqiu>/m);
    expect(mailText(mails[0]!.raw)).toBe(`新派单 ${trackingNo}\n\n本单位现为主办单位，请及时签收办理。`);
    expect(mails[0]!.raw + mailText(mails[0]!.raw)).not.toContain(PHONE);
    expect(await row(`case:${caseId}:%:email:${alice}`)).toMatchObject({ attempts: 1, last_error: null, delivered_at: expect.any(Date) });
  });

  it('webhooks are signed, retried with backoff after a 500, and the same delivery id comes again', async () => {
    const reg = await h().app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: hookUrl, events: ['dispatch'] } });
    expect(reg.statusCode, reg.body).toBe(201);
    const { id, secret } = reg.json() as { id: string; secret: string };
    expect((await h().app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: op, payload: { url: hookUrl } })).statusCode).toBe(403);
    expect((await h().app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin })).json().items[0]).not.toHaveProperty('secret');
    const bad = await h().app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin, payload: { url: hookUrl, events: ['fly'] } });
    expect(bad.json().message).toBe('events.0: unknown event fly');

    const { caseId, trackingNo } = await newCase();
    await dispatch(caseId);
    hits.length = 0;
    answer = 500;
    await sweep();
    expect(hits).toHaveLength(1);
    const key = `case:${caseId}:%:webhook:${id}`;
    const first = await row(key);
    expect(first).toMatchObject({ attempts: 1, delivered_at: null, last_error: 'webhook answered HTTP 500' });
    expect(+first.available_at - +h().deps.now()).toBe(30_000);
    await sweep();
    expect(hits).toHaveLength(1); // not due yet
    h().clock.advance(30_000);
    answer = 204;
    await sweep();
    expect(hits).toHaveLength(2);
    expect(await row(key)).toMatchObject({ attempts: 2, delivered_at: expect.any(Date), last_error: null });

    for (const hit of hits) {
      expect(verifySignature(String(hit.headers['x-suqiu-signature']), secret, hit.body, h().deps.now())).toBe(true);
      expect(verifySignature(String(hit.headers['x-suqiu-signature']), 'wrong', hit.body, h().deps.now())).toBe(false);
    }
    expect(hits[0]!.headers['x-suqiu-delivery']).toBe(hits[1]!.headers['x-suqiu-delivery']);
    const body = JSON.parse(hits[1]!.body);
    expect(body).toMatchObject({ event: 'dispatch', from: 'received', to: 'dispatched', case: { id: caseId, trackingNo, status: 'dispatched', leadUnitCode: YUTANG } });
    expect(hits[1]!.body).not.toContain(PHONE);

    // Deleted: what is still queued for it is dropped, not retried.
    const other = await newCase();
    await dispatch(other.caseId);
    expect((await h().app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: admin })).statusCode).toBe(204);
    await sweep();
    expect(await row(`case:${other.caseId}:%:webhook:${id}`)).toMatchObject({ delivered_at: expect.any(Date), last_error: 'undeliverable: the webhook was deleted or disabled' });
  });

  it('a message that keeps failing is parked after the last attempt', async () => {
    const fails: Channel = { mode: 'remote', async deliver() { throw new Error('gateway down'); } };
    await enqueue(orm(), h().deps.now(), [{ dedupeKey: 'park:1', channel: 'sms', recipient: 'x', payload: {} }]);
    await orm().execute(sql`update outbox set attempts = ${MAX_ATTEMPTS - 1} where dedupe_key = 'park:1'`);
    await sweepOutbox(h().deps, { inapp: fails, email: fails, webhook: fails, sms: fails });
    expect(await row('park:1')).toMatchObject({ attempts: MAX_ATTEMPTS, delivered_at: null, last_error: 'gateway down', available_at: PARKED_UNTIL });
  });

  it('citizens get a text on acceptance, feedback and resolution; the log line has no phone digits', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
    const { caseId, trackingNo } = await newCase('+86 139-8765-4321');
    await dispatch(caseId);
    const hdr = { authorization: (await h().staff('bob', 'handler', YUTANG)).authorization };
    const act = (action: string, payload: object) => h().app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/${action}`, headers: hdr, payload });
    expect((await act('sign', {})).statusCode).toBe(200);
    expect((await act('feedback', { message: '已联系施工方' })).statusCode).toBe(200);
    expect((await act('resolve', { reply: '已责令停止夜间施工' })).statusCode).toBe(200);
    const queued = await rowsOf<{ recipient: string; payload: { template: string } }>(orm(),
      sql`select recipient, payload from outbox where channel = 'sms' and dedupe_key like ${`case:${caseId}:%`} order by id`);
    expect(queued.map((q) => q.payload.template)).toEqual(['accepted', 'feedback', 'resolved']);
    expect(queued.every((q) => q.recipient.startsWith('v1:') && !q.recipient.includes('8765'))).toBe(true);
    await sweep(undefined, log);
    const sms = lines.filter((l) => l.includes('sms (log provider'));
    expect(sms).toHaveLength(3);
    for (const l of sms) {
      expect(JSON.parse(l)).toMatchObject({ trackingNo });
      expect(l).not.toMatch(/13987654321|8765|4321|139\*+|\*{4}/);
    }
  });
});
