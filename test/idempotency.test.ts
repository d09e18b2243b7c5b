/**
 * Idempotency-Key and rate limits on the public side: a retried submission makes one case (also
 * when the retries race on PostgreSQL), a key reused for another body is refused, a failed
 * request gives its key back; per-phone limits count by the phone, whatever the IP.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases } from '../src/store/schema.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';
import { jpegWithGps } from './fixtures/images.ts';
import { form } from './fixtures/multipart.ts';

const YUTANG = '440311005';

describe.each(BACKENDS)('Idempotency-Key on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '10000', PUBLIC_PHONE_RATE_LIMIT: '10000' });
  const body = (content: string) => ({ content, unitCode: YUTANG, citizen: { phone: '13600004444' } });
  const post = (key: string | undefined, payload: object, ip = '127.0.0.1') => h().app.inject({
    method: 'POST', url: '/api/v1/requests', payload, remoteAddress: ip, headers: key === undefined ? {} : { 'idempotency-key': key },
  });
  const count = async (content: string) => (await h().deps.db.orm.select().from(cases).where(eq(cases.content, content))).length;

  it('a retry with the same key returns the first response and makes no second case', async () => {
    const content = '同一个诉求提交了两次（重试）';
    const first = await post('k-retry-1', body(content));
    expect(first.statusCode).toBe(201);
    const again = await post('k-retry-1', body(content));
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count(content)).toBe(1);
    // Without a key, or with another, a second case is made; the same key from another client is its own.
    expect((await post(undefined, body(content))).statusCode).toBe(201);
    expect((await post('k-retry-2', body(content))).statusCode).toBe(201);
    expect((await post('k-retry-1', body(content), '10.0.0.9')).json().caseId).not.toBe(first.json().caseId);
    expect(await count(content)).toBe(4);
  });

  it('the same key with another body is refused with 422', async () => {
    expect((await post('k-other', body('第一个诉求的内容'))).statusCode).toBe(201);
    const r = await post('k-other', body('第二个不同的诉求内容'));
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ error: 'key_reused', message: expect.stringMatching(/^Idempotency-Key: /) });
    expect(await count('第二个不同的诉求内容')).toBe(0);
  });

  it('a failed request gives the key back; a malformed key is a 400', async () => {
    const bad = await post('k-fix', { content: '短' });
    expect(bad.statusCode).toBe(400);
    const fixed = await post('k-fix', body('修正后重新提交的诉求'));
    expect(fixed.statusCode).toBe(201);
    for (const key of ['', 'x'.repeat(256), 'has space', '中文键']) {
      const r = await post(key, body('键不合法的诉求内容'));
      expect(r.statusCode, JSON.stringify(key)).toBe(400);
    }
    expect(await count('键不合法的诉求内容')).toBe(0);
  });

  it('concurrent retries with one key make exactly one case', async () => {
    const content = '并发重试只应产生一个工单';
    const results = await Promise.all(Array.from({ length: 8 }, () => post('k-race', body(content))));
    const codes = results.map((r) => r.statusCode);
    expect(codes.every((c) => c === 201 || c === 409), codes.join()).toBe(true);
    const ids = new Set(results.filter((r) => r.statusCode === 201).map((r) => r.json().caseId));
    expect(ids.size).toBe(1);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().message).toMatch(/still running/);
    expect(await count(content)).toBe(1);
    // Once the first has finished, every retry gets its response.
    expect((await post('k-race', body(content))).json().caseId).toBe([...ids][0]);
  });

  it('uploads and citizen actions honour the key too', async () => {
    const { trackingNo, accessToken } = (await post(undefined, body('带照片的诉求内容'))).json();
    const f = form([{ name: 'token', value: accessToken }, { name: 'file', filename: 'a.jpg', data: jpegWithGps() }]);
    const send = () => h().app.inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/attachments`, headers: { ...f.headers, 'idempotency-key': 'k-up' }, payload: f.payload });
    const a = await send(), b = await send();
    expect(a.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    const view = (await h().app.inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?token=${encodeURIComponent(accessToken)}` })).json();
    expect(view.attachments).toHaveLength(1);
    const supplement = () => h().app.inject({
      method: 'POST', url: `/api/v1/track/${trackingNo}/supplement`, headers: { 'idempotency-key': 'k-sup' },
      payload: { token: accessToken, content: '补充一次' },
    });
    expect((await supplement()).statusCode).toBe(200);
    expect((await supplement()).statusCode).toBe(200);
    const after = (await h().app.inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?token=${encodeURIComponent(accessToken)}` })).json();
    expect(after.timeline.filter((e: { action: string }) => e.action === 'supplement')).toHaveLength(1);
  });
});

describe('rate limits per phone, keyed by its HMAC index', () => {
  const h = useApp('pglite', { PUBLIC_RATE_LIMIT: '10000', PUBLIC_PHONE_RATE_LIMIT: '3' });
  it('a fourth request for one phone within the hour is refused from any IP; other phones go on', async () => {
    const send = (phone: string, ip: string) => h().app.inject({
      method: 'POST', url: '/api/v1/requests', remoteAddress: ip, payload: { content: '限流测试的诉求内容', unitCode: YUTANG, citizen: { phone } },
    });
    for (let i = 0; i < 3; i++) expect((await send('13500005555', `10.0.0.${i}`)).statusCode).toBe(201);
    const r = await send('+86 135 0000 5555', '10.0.0.99');
    expect(r.statusCode).toBe(429);
    expect(r.json().error).toBe('rate_limited');
    expect((await send('13500006666', '10.0.0.99')).statusCode).toBe(201);
    // Tracking without a phone counts against the tracking number.
    const no = 'SZ-20261127-000001';
    for (let i = 0; i < 3; i++) await h().app.inject({ method: 'GET', url: `/api/v1/track/${no}?code=000000`, remoteAddress: `10.1.0.${i}` });
    expect((await h().app.inject({ method: 'GET', url: `/api/v1/track/${no}?code=000000`, remoteAddress: '10.1.0.9' })).statusCode).toBe(429);
  });
});
