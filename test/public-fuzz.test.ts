/**
 * 10,000 random or malformed requests to the public endpoints — random JSON, wrong types, huge
 * and odd Unicode strings, NUL and lone surrogates, nested junk, raw bytes, random content types
 * and headers, junk multipart — and never a 5xx. Rate limits are lifted for the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { useApp } from './app-harness.ts';
import { heicWithGps, jpegWithGps, pngWithGps, webpWithGps } from './fixtures/images.ts';
import { form } from './fixtures/multipart.ts';

const YUTANG = '440311005';
/** Any string as a URL path segment: every UTF-8 byte percent-encoded (lone surrogates become U+FFFD). */
const pathSegment = (s: string) => [...Buffer.from(s, 'utf8')].slice(0, 120).map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') || 'x';
const PHONE = '13700001111';

const oddStrings = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e\u200b', '😀'.repeat(2500), '字'.repeat(5001), 'a'.repeat(70_000),
  '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '1e309', 'NaN', '__proto__', 'constructor', '%00', '\r\n\r\n',
);
const text = fc.oneof(
  fc.string(), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 4 }), oddStrings,
);
const junk = fc.oneof(
  { weight: 3, arbitrary: text }, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }),
  fc.array(text, { maxLength: 4 }), fc.dictionary(text, text, { maxKeys: 4 }),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: a }, junk);
const phone = maybe(fc.constantFrom(PHONE, '+86 137 0000 1111', '１３７００００１１１１', '13700001112', '12'));
const code = maybe(fc.stringMatching(/^\d{6}$/));
const proof = fc.record({ phone, code, token: junk }, { requiredKeys: [] });
const submission = fc.record({
  content: maybe(fc.constantFrom('足够长的诉求内容，请处理', '路灯坏了三天了')), type: maybe(fc.constantFrom('help', 'praise')),
  channel: maybe(fc.constantFrom('web', 'web', 'qr', 'mailbox', 'hotline')), urgency: maybe(fc.constantFrom('normal', 'urgent')),
  category: maybe(fc.constant('市政设施')), address: maybe(fc.constant('光明区华夏路')), lat: maybe(fc.double({ min: -90, max: 90, noNaN: true })),
  lng: maybe(fc.double({ min: -180, max: 180, noNaN: true })), unitCode: maybe(fc.constantFrom(YUTANG, '4403', '999')),
  citizen: maybe(fc.record({ name: maybe(fc.constant('张三')), phone, anonymous: maybe(fc.boolean()) }, { requiredKeys: ['phone'] })),
  groupSize: maybe(fc.integer({ min: 1, max: 100 })), amount: maybe(fc.constant(100.5)), extra: junk,
}, { requiredKeys: ['content', 'citizen'] });
/** A valid body with at most one field swapped for junk: reaches the handlers and the database. */
const mutated = (base: Record<string, unknown>) => fc.oneof(
  fc.constant(base),
  fc.tuple(fc.constantFrom(...Object.keys(base), 'extra'), junk).map(([k, v]) => ({ ...base, [k]: v })),
);
const VALID_SUBMISSION = { content: '井盖松动，行人容易绊倒', unitCode: YUTANG, lat: 22.7, lng: 113.9, address: '华夏路', citizen: { phone: PHONE } };
const bodyOf = (fields: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<{ payload?: string | Buffer; type?: string }> => fc.oneof(
  { weight: 4, arbitrary: fields.map((f) => ({ payload: JSON.stringify(f), type: 'application/json' })) },
  fc.jsonValue().map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
  fc.nat({ max: 20_000 }).map((n) => ({ payload: '['.repeat(n) + ']'.repeat(n), type: 'application/json' })),
  fc.nat({ max: 5_000 }).map((n) => ({ payload: '{"a":'.repeat(n) + '1' + '}'.repeat(n), type: 'application/json' })),
  fc.record({ payload: fc.oneof(fc.string(), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b))), type: contentType }),
  fc.constant({ payload: Buffer.alloc(1_100_000, 0x61), type: 'application/json' }),
  fc.constant({ payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"content":"原型污染"}', type: 'application/json' }),
  fc.constant({}),
);
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data',
    'multipart/form-data; boundary=xyz', 'application/octet-stream', 'image/jpeg', 'application/xml', '*/*', '',
  ),
  fc.string({ maxLength: 40 }),
);
const headers = fc.record({
  'idempotency-key': fc.oneof(fc.string({ maxLength: 300 }), { weight: 4, arbitrary: fc.uuid() }),
  'x-forwarded-for': fc.string({ maxLength: 40 }), 'accept': fc.string({ maxLength: 40 }), 'x-junk': fc.string({ maxLength: 40 }),
}, { requiredKeys: [] });

describe('public endpoints under random input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'suqiu-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const h = useApp('pglite', { PUBLIC_RATE_LIMIT: '100000000', PUBLIC_PHONE_RATE_LIMIT: '100000000', ATTACHMENTS_DIR: dir });
  let real: { caseId: string; trackingNo: string; accessToken: string };
  const seen = new Map<number, number>();
  const byEndpoint: Record<string, Record<number, number>> = {};

  const check = async (name: string, numRuns: number, arb: fc.Arbitrary<InjectOptions>) => {
    await fc.assert(fc.asyncProperty(arb, async (req) => {
      const r = await h().app.inject(req);
      seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
      const mine = (byEndpoint[name] ??= {});
      mine[r.statusCode] = (mine[r.statusCode] ?? 0) + 1;
      if (r.statusCode >= 500) throw new Error(`${name}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    }), { numRuns, seed: 20261127 });
  };
  const trackingNo = () => fc.oneof(fc.constant(real.trackingNo), fc.constant('SZ-20261127-999999'), fc.constant(real.trackingNo.toLowerCase()),
    fc.constantFrom('%ZZ', '%', '%E0%A4%A', '..%2F..%2F', '%00'), text.map(pathSegment));
  const post = (path: (no: string) => string, fields: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(trackingNo(), bodyOf(fields), headers).map(([no, b, hd]): InjectOptions => ({
      method: 'POST', url: path(no), payload: b.payload, headers: { ...hd, ...(b.type === undefined ? {} : { 'content-type': b.type }) },
    }));
  const withReal = <T extends Record<string, unknown>>(a: fc.Arbitrary<T>) =>
    fc.tuple(a, fc.constantFrom('none', 'phone', 'token')).map(([v, p]) => (p === 'phone' ? { ...v, phone: PHONE } : p === 'token' ? { ...v, token: real.accessToken } : v));

  it('answers 2xx or 4xx, never 5xx, to 10,000 random requests', async () => {
    const s = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '模糊测试用的真实诉求', unitCode: YUTANG, citizen: { phone: PHONE } } });
    real = s.json();

    await check('submit', 2000, fc.tuple(bodyOf(fc.oneof(submission, mutated(VALID_SUBMISSION))), headers).map(([b, hd]) => ({
      method: 'POST', url: '/api/v1/requests', payload: b.payload, headers: { ...hd, ...(b.type === undefined ? {} : { 'content-type': b.type }) },
    })));
    const query = fc.oneof(
      fc.dictionary(fc.constantFrom('phone', 'code', 'token', 'x', 'phone[]'), text, { maxKeys: 3 }),
      fc.record({ phone: maybe(fc.constant(PHONE)), code, token: maybe(fc.constant(real.accessToken)) }, { requiredKeys: [] })
        .map((q) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']))),
    );
    await check('track', 1300, fc.tuple(trackingNo(), query, headers)
      .map(([no, q, hd]) => ({ method: 'GET', url: `/api/v1/track/${no}`, query: q, headers: hd })));
    await check('rate', 1000, post((no) => `/api/v1/track/${no}/rate`,
      withReal(fc.record({ resolved: maybe(fc.boolean()), satisfied: maybe(fc.boolean()), comment: junk, ...{ p: proof } }, { requiredKeys: [] }))));
    await check('supplement', 1000, post((no) => `/api/v1/track/${no}/supplement`,
      fc.oneof(mutated({ content: '补充说明：在路口北侧', phone: PHONE }),
        withReal(fc.record({ content: maybe(fc.constant('补充说明')), attachmentIds: maybe(fc.array(fc.uuid(), { maxLength: 3 })), code, token: junk }, { requiredKeys: ['content'] })))));
    await check('withdraw', 700, post((no) => `/api/v1/track/${no}/withdraw`,
      fc.record({ reason: junk, phone: maybe(fc.constant('13700001112')), code, token: junk }, { requiredKeys: [] })));
    await check('thank', 800, post((no) => `/api/v1/track/${no}/thank`,
      withReal(fc.record({ content: maybe(fc.constant('感谢工作人员的耐心处理')), code, token: junk }, { requiredKeys: ['content'] }))));
    await check('code', 600, post((no) => `/api/v1/track/${no}/code`, fc.record({ x: junk }, { requiredKeys: [] })));

    const fileBytes = fc.oneof(
      fc.constantFrom(jpegWithGps(), pngWithGps(), webpWithGps(), heicWithGps().file, Buffer.from('%PDF-1.4\n%%EOF')),
      fc.tuple(fc.constantFrom(...[jpegWithGps(), pngWithGps(), webpWithGps(), heicWithGps().file].map((b) => b.subarray(0, 16))), fc.uint8Array({ maxLength: 300 }))
        .map(([head, tail]) => Buffer.concat([head, tail])),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    );
    const multipartUpload = fc.tuple(
      trackingNo(), fc.constantFrom('token', 'phone', 'code', 'none', 'both'), fileBytes, text, fc.array(fc.tuple(text, text), { maxLength: 3 }), headers,
    ).map(([no, how, data, filename, extra, hd]): InjectOptions => {
      const proofParts = how === 'token' ? [{ name: 'token', value: real.accessToken }] : how === 'phone' ? [{ name: 'phone', value: PHONE }]
        : how === 'code' ? [{ name: 'code', value: '123456' }] : how === 'both' ? [{ name: 'phone', value: PHONE }, { name: 'token', value: 'x' }] : [];
      const f = form([
        ...proofParts, ...extra.map(([name, value]) => ({ name: name.replace(/["\r\n]/g, '') || 'f', value })),
        { name: 'file', filename: filename.replace(/["\r\n]/g, ''), data },
      ]);
      return { method: 'POST', url: `/api/v1/track/${no}/attachments`, payload: f.payload, headers: { ...hd, ...f.headers } };
    });
    await check('attachments', 1500, fc.oneof(
      { weight: 3, arbitrary: multipartUpload },
      post((no) => `/api/v1/track/${no}/attachments`, fc.record({ file: junk, phone }, { requiredKeys: [] })),
    ));
    await check('download', 1100, fc.tuple(trackingNo(), fc.oneof(fc.uuid(), text.map(pathSegment)), proof)
      .map(([no, id, q]) => ({ method: 'GET', url: `/api/v1/track/${no}/attachments/${id}`, query: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])) })));

    console.info('status codes of the random run:', JSON.stringify(byEndpoint));
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);
    expect([...seen.keys()].every((code) => code < 500)).toBe(true);
    // The run reached the handlers, not only the validators.
    expect(seen.get(201)).toBeGreaterThan(50);
    expect(seen.get(200)).toBeGreaterThan(50);
  }, 300_000);
});
