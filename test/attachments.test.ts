/**
 * Attachments end to end: a citizen's photo right after submitting (access token) is stored
 * without its GPS data; types are judged by content; size and count limits; staff reply files
 * reach the citizen, internal ones do not; a sibling street's handler gets 404.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { attachments, caseEvents } from '../src/store/schema.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';
import { GPS_TEXT, gpsNeedle, jpegWithGps, pngWithGps } from './fixtures/images.ts';
import { form } from './fixtures/multipart.ts';

const YUTANG = '440311005', GUANGMING = '440311001';
const PHONE = '13800003333';
type Auth = { authorization: string };

describe.each(BACKENDS)('attachments on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-att-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const h = useApp(kind, {
    PUBLIC_RATE_LIMIT: '10000', PUBLIC_PHONE_RATE_LIMIT: '10000', ATTACHMENTS_DIR: dir, ATTACHMENT_MAX_MB: '0.05', ATTACHMENTS_PER_CASE: '3',
  });
  const inject = (opts: InjectOptions) => h().app.inject(opts);
  const submit = async () => {
    const r = await inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '工地夜间施工噪音扰民', unitCode: YUTANG, citizen: { phone: PHONE } } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json() as { caseId: string; trackingNo: string; accessToken: string };
  };
  const upload = (no: string, proof: Record<string, string>, file: { filename: string; data: Buffer; type?: string }) => {
    const f = form([...Object.entries(proof).map(([name, value]) => ({ name, value })), { name: 'file', ...file }]);
    return inject({ method: 'POST', url: `/api/v1/track/${no}/attachments`, headers: f.headers, payload: f.payload });
  };
  const staffUpload = (who: Auth, id: string, file: { filename: string; data: Buffer }, purpose?: string) => {
    const f = form([...(purpose ? [{ name: 'purpose', value: purpose }] : []), { name: 'file', ...file }]);
    return inject({ method: 'POST', url: `/api/v1/cases/${id}/attachments`, headers: { ...f.headers, ...who }, payload: f.payload });
  };
  let op: Auth, handler: Auth, sibling: Auth;

  it('sets up staff', async () => {
    op = await h().staff('op', 'operator', '440311');
    handler = await h().staff('yt', 'handler', YUTANG);
    sibling = await h().staff('gm', 'handler', GUANGMING);
  });

  it('stores a photo taken with GPS without its location; the sibling street gets 404', async () => {
    const { caseId, trackingNo, accessToken } = await submit();
    const photo = jpegWithGps();
    const r = await upload(trackingNo, { token: accessToken }, { filename: 'IMG_0042.JPG', data: photo, type: 'image/jpeg' });
    expect(r.statusCode, r.body).toBe(201);
    const att = r.json();
    expect(att).toMatchObject({ filename: 'IMG_0042.jpg', mime: 'image/jpeg', purpose: 'submission' });

    // On disk and on the wire: no GPS rationals, no XMP/comment text, no trailing copy.
    const files = readdirSync(join(dir, caseId.slice(0, 2), caseId));
    expect(files).toEqual([att.id]);
    const onDisk = readFileSync(join(dir, caseId.slice(0, 2), caseId, att.id));
    expect(photo.indexOf(gpsNeedle())).toBeGreaterThan(0);
    expect(onDisk.indexOf(gpsNeedle())).toBe(-1);
    expect(onDisk.indexOf(GPS_TEXT)).toBe(-1);
    expect(att.size).toBe(onDisk.length);
    expect(att.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));

    await inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/dispatch`, headers: op, payload: { unitCode: YUTANG } });
    const got = await inject({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments/${att.id}`, headers: handler });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload).toEqual(onDisk);
    expect(got.headers).toMatchObject({
      'content-type': 'image/jpeg', 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store',
      'content-disposition': `inline; filename="IMG_0042.jpg"; filename*=UTF-8''IMG_0042.jpg`,
    });
    expect(got.headers['content-security-policy']).toContain('sandbox');

    for (const url of [`/api/v1/cases/${caseId}/attachments/${att.id}`, `/api/v1/cases/${caseId}/attachments`]) {
      expect((await inject({ method: 'GET', url, headers: sibling })).statusCode).toBe(404);
    }
    expect((await inject({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments/${att.id}` })).statusCode).toBe(401);
    // The citizen reads their file back; another case's attachment id does not resolve on this case.
    const mine = await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}/attachments/${att.id}?phone=${PHONE}` });
    expect(mine.rawPayload).toEqual(onDisk);
    const other = await submit();
    expect((await inject({ method: 'GET', url: `/api/v1/track/${other.trackingNo}/attachments/${att.id}?phone=${PHONE}` })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}/attachments/${att.id}?phone=13800003334` })).statusCode).toBe(404);

    // The upload is an `attach` event (no filename in it), not on the public timeline.
    const events = await h().deps.db.orm.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    const attach = events.find((e) => e.action === 'attach')!;
    expect(attach.payload).toEqual({ attachmentId: att.id, purpose: 'submission', mime: 'image/jpeg', size: att.size, sha256: att.sha256 });
    const [row] = await h().deps.db.orm.select().from(attachments).where(eq(attachments.id, att.id));
    expect(row!.eventSeq).toBe(attach.seq);
    const view = (await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?phone=${PHONE}` })).json();
    expect(view.timeline.map((e: { action: string }) => e.action)).not.toContain('attach');
    expect(view.attachments).toEqual([expect.objectContaining({ id: att.id, purpose: 'submission' })]);
  });

  it('judges the type by content: a renamed .exe or HTML page is refused with 415', async () => {
    const { caseId, trackingNo, accessToken } = await submit();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(200)]);
    const html = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');
    const fakeJpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x7f, 0xff, 0x3c, 0x68, 0x74, 0x6d, 0x6c]);
    for (const [filename, data, type] of [['photo.jpg', exe, 'image/jpeg'], ['scan.pdf', html, 'application/pdf'], ['x.jpg', fakeJpeg, 'image/jpeg']] as const) {
      const r = await upload(trackingNo, { token: accessToken }, { filename, data, type });
      expect(r.statusCode, filename).toBe(415);
      expect(r.json()).toMatchObject({ error: 'unsupported_type', message: expect.stringMatching(/^file: /) });
    }
    const empty = await upload(trackingNo, { token: accessToken }, { filename: 'a.png', data: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    const none = form([{ name: 'token', value: accessToken }]);
    const missing = await inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/attachments`, headers: none.headers, payload: none.payload });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/^file: is required/);
    // Nothing was written for the refused files.
    expect(await h().deps.db.orm.select().from(attachments).where(eq(attachments.caseId, caseId))).toEqual([]);
    expect(() => readdirSync(join(dir, caseId.slice(0, 2), caseId))).toThrow(/ENOENT/);
  });

  it('refuses a file over the size limit with 413 and a fourth file with 409', async () => {
    const { trackingNo, accessToken } = await submit();
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(60 * 1024)]);
    const r = await upload(trackingNo, { token: accessToken }, { filename: 'big.jpg', data: big });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toBe('too_large');
    for (let i = 0; i < 3; i++) expect((await upload(trackingNo, { phone: PHONE }, { filename: `p${i}.png`, data: pngWithGps() })).statusCode).toBe(201);
    const fourth = await upload(trackingNo, { phone: PHONE }, { filename: 'p3.png', data: pngWithGps() });
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json().message).toMatch(/at most 3 files/);
  });

  it('staff reply files reach the citizen, internal ones do not; supplements name uploaded files', async () => {
    const { caseId, trackingNo } = await submit();
    await inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/dispatch`, headers: op, payload: { unitCode: YUTANG } });
    const reply = await staffUpload(handler, caseId, { filename: '整改通知书.pdf', data: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n') });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json()).toMatchObject({ purpose: 'reply', mime: 'application/pdf', filename: '整改通知书.pdf' });
    const internal = await staffUpload(handler, caseId, { filename: 'site.png', data: pngWithGps() }, 'internal');
    expect(internal.json().purpose).toBe('internal');
    expect((await staffUpload(sibling, caseId, { filename: 'x.png', data: pngWithGps() })).statusCode).toBe(404);
    expect((await staffUpload(handler, caseId, { filename: 'x.png', data: pngWithGps() }, 'gossip')).statusCode).toBe(400);

    const view = (await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}?phone=${PHONE}` })).json();
    expect(view.attachments.map((a: { id: string }) => a.id)).toEqual([reply.json().id]);
    const pdf = await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}/attachments/${reply.json().id}?token=${encodeURIComponent(view.accessToken)}` });
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; /);
    expect((await inject({ method: 'GET', url: `/api/v1/track/${trackingNo}/attachments/${internal.json().id}?phone=${PHONE}` })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments`, headers: handler })).json().items).toHaveLength(2);

    // The citizen's later photo is a supplement file, and the supplement names it.
    const later = await upload(trackingNo, { phone: PHONE }, { filename: 'more.png', data: pngWithGps() });
    expect(later.json().purpose).toBe('supplement');
    const sup = await inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/supplement`, payload: { phone: PHONE, content: '补充现场照片', attachmentIds: [later.json().id] } });
    expect(sup.statusCode, sup.body).toBe(200);
    const bad = await inject({ method: 'POST', url: `/api/v1/track/${trackingNo}/supplement`, payload: { phone: PHONE, content: '补充', attachmentIds: [reply.json().id] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^attachmentIds: /);
    // The generic action route cannot forge an attach event.
    expect((await inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/attach`, headers: handler, payload: {} })).statusCode).toBe(400);
  });

  it('multipart is refused outside the upload routes', async () => {
    const f = form([{ name: 'content', value: '足够长的诉求内容' }]);
    const r = await inject({ method: 'POST', url: '/api/v1/requests', headers: f.headers, payload: f.payload });
    expect(r.statusCode).toBe(415);
  });
});
