/**
 * Open311 GeoReport v2 over HTTP on both backends: every JSON answer validates against the
 * official JSON Schemas (read from ../shared/data/open311 at run time), every XML answer parses
 * and uses the spec's element names, a request goes POST → token → id → GET in both formats,
 * errors come in the spec's format with 400/403/404, and no GET carries the citizen's data.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { addApiKey, revokeApiKey } from '../src/app/api-keys.ts';
import { CATEGORIES } from '../src/domain/categories.ts';
import { w3cDateTime } from '../src/domain/open311.ts';
import { rowsOf } from '../src/store/db.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = join(ROOT, '..', 'shared', 'data', 'open311');
const schemaFile = (name: string) => JSON.parse(readFileSync(join(SPEC, name), 'utf8')) as Record<string, unknown>;

// ajv-formats is CommonJS: under NodeNext the plugin is the module's `default` property.
const addFormats = addFormatsModule.default;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('uid', true); // swagger.json's made-up format for ids
ajv.addSchema(schemaFile('service.json'), 'service.json');
ajv.addSchema(schemaFile('request.json'), 'request.json');
const swagger = schemaFile('swagger.json') as { definitions: Record<string, object> };
const arrayOf = (def: string) => ({ type: 'array', items: swagger.definitions[def] });
const SCHEMAS: Record<string, ValidateFunction> = {
  services: ajv.compile(schemaFile('services.json')),
  definition: ajv.compile(schemaFile('service-definition.json')),
  requests: ajv.compile(schemaFile('requests.json')),
  posted: ajv.compile(arrayOf('RequestResponse')),
  token: ajv.compile(arrayOf('TokenResponse')),
  // The spec defines these in prose only: errors, discovery and FixMyStreet's updates.
  errors: ajv.compile({
    type: 'array', minItems: 1,
    items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string' } } },
  }),
  discovery: ajv.compile({
    type: 'object', required: ['changeset', 'contact', 'key_service', 'endpoints'],
    properties: {
      endpoints: {
        type: 'array', minItems: 1,
        items: {
          type: 'object', required: ['specification', 'url', 'changeset', 'type', 'formats'],
          properties: { type: { enum: ['production', 'test'] }, url: { type: 'string', format: 'uri' }, formats: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  }),
  updates: ajv.compile({
    type: 'array',
    items: {
      type: 'object', required: ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description'],
      properties: { updated_datetime: { type: 'string', format: 'date-time' }, update_id: { type: 'string' }, description: { type: 'string' } },
    },
  }),
};

/** Lists of the spec's XML: always arrays after parsing. */
const XML_LISTS = ['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format', 'request_update'];
const xml = new XMLParser({ isArray: (name) => XML_LISTS.includes(name), parseTagValue: false });

const PHONE = '13912345678', FIRST = '三丰', LAST = '张', EMAIL = 'zhangsanfeng@example.com';
const CITY = '4403', YUTANG = '440311005';

describe.each(BACKENDS)('Open311 GeoReport v2 on %s', (kind) => {
  const h = useApp(kind);
  const base = '/open311/v2';
  /** Every GET body, to search for personal data at the end. */
  const seen: string[] = [];
  let key = '';

  async function get(path: string) {
    const r = await h().app.inject({ method: 'GET', url: base + path });
    seen.push(r.body);
    return r;
  }

  /** GET a JSON resource: 200, JSON content type, valid against `schema`. */
  async function getJson(path: string, schema: keyof typeof SCHEMAS) {
    const r = await get(path);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = r.json();
    expect(SCHEMAS[schema]!(body), JSON.stringify(SCHEMAS[schema]!.errors)).toBe(true);
    return body;
  }

  /** GET an XML resource: 200, text/xml, well-formed with the declaration; parsed. */
  async function getXml(path: string, status = 200) {
    const r = await get(path);
    expect(r.statusCode, r.body).toBe(status);
    return parseXml(r);
  }

  function parseXml(r: { body: string; headers: Record<string, unknown> }) {
    expect(r.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(r.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(XMLValidator.validate(r.body)).toBe(true);
    return xml.parse(r.body);
  }

  /** Asserts the spec's error format in both JSON and XML. */
  function expectError(r: { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown }, status: number, message: RegExp, format: 'json' | 'xml') {
    expect(r.statusCode, r.body).toBe(status);
    if (format === 'json') {
      const body = r.json() as { code: number; description: string }[];
      expect(SCHEMAS.errors!(body)).toBe(true);
      expect(body[0]!.code).toBe(status);
      expect(body[0]!.description).toMatch(message);
    } else {
      const e = parseXml(r).errors.error[0];
      expect(e.code).toBe(String(status));
      expect(e.description).toMatch(message);
    }
  }

  const post = (format: 'json' | 'xml', fields: Record<string, string | string[]>, query = '') => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of ([] as string[]).concat(v)) form.append(k, x);
    return h().app.inject({
      method: 'POST', url: `${base}/requests.${format}${query}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: form.toString(),
    });
  };
  const noiseReport = () => ({
    api_key: key, jurisdiction_id: 'shenzhen.gov.cn', service_code: 'noise', lat: '22.7468', long: '113.9360',
    address_string: '光明区玉塘街道田寮社区某工地', description: '工地每天夜里施工到凌晨两点，噪音很大，无法入睡。',
    first_name: FIRST, last_name: LAST, phone: PHONE, email: EMAIL, device_id: 'dev-1', account_id: 'acc-1',
    media_url: 'https://img.example.cn/noise/1.jpg', 'attribute[noise_source]': 'construction', 'attribute[noise_time]': 'night',
  });

  it('makes an API key', async () => {
    key = (await addApiKey(h().deps, '测试合作方')).key;
    expect(key).toMatch(/^sq_[\w-]{32}$/);
  });

  it('lists its resources in the OpenAPI document', async () => {
    const paths = Object.keys((await h().app.inject({ method: 'GET', url: '/docs/json' })).json().paths);
    expect(paths.filter((p) => p.startsWith(base)).sort()).toEqual([
      '/open311/v2/discovery.{format}', '/open311/v2/requests.{format}', '/open311/v2/requests/{id}.{format}',
      '/open311/v2/servicerequestupdates.{format}', '/open311/v2/services.{format}', '/open311/v2/services/{code}.{format}',
      '/open311/v2/tokens/{token}.{format}',
    ]);
  });

  it('serves discovery in JSON and XML', async () => {
    const d = await getJson('/discovery.json', 'discovery');
    expect(d.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://localhost:8080/open311/v2' });
    expect(d.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    const x = await getXml('/discovery.xml');
    expect(x.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    expect(x.discovery.key_service).toBe(d.key_service);
  });

  it('lists one service per category, with real booleans', async () => {
    const list = await getJson('/services.json?jurisdiction_id=shenzhen.gov.cn', 'services');
    expect(list.map((s: { service_code: string }) => s.service_code)).toEqual(CATEGORIES.map((c) => c.code));
    expect(list.find((s: { service_code: string }) => s.service_code === 'noise'))
      .toEqual({ service_code: 'noise', service_name: '噪音扰民', description: expect.any(String), metadata: true, type: 'realtime', keywords: expect.stringContaining('噪音'), group: '生态环境' });
    expect(list.find((s: { service_code: string }) => s.service_code === 'manhole_cover').metadata).toBe(false);
    const x = await getXml('/services.xml');
    expect(x.services.service).toHaveLength(CATEGORIES.length);
    expect(x.services.service[0]).toMatchObject({ service_code: 'streetlight', service_name: '路灯故障', metadata: 'true', type: 'realtime', group: '市政设施' });
  });

  it('defines a service with its attributes; an unknown one is 404', async () => {
    const def = await getJson('/services/noise.json', 'definition');
    expect(def.service_code).toBe('noise');
    expect(def.attributes.map((a: { code: string; order: number }) => [a.code, a.order])).toEqual([['noise_source', 1], ['noise_time', 2]]);
    expect(def.attributes[1]).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: true });
    expect(def.attributes[1].values).toContainEqual({ key: 'night', name: '夜间（22:00–次日6:00）' });
    expect((await getJson('/services/manhole_cover.json', 'definition')).attributes).toEqual([]);
    const x = await getXml('/services/air_pollution.xml');
    const attr = x.service_definition.attributes.attribute[0];
    expect(attr).toMatchObject({ code: 'pollution_type', datatype: 'multivaluelist', required: 'true', order: '1' });
    expect(attr.values.value.map((v: { key: string }) => v.key)).toContain('dust');
    expectError(await get('/services/potholes.json'), 404, /^service_code: potholes is not a service/, 'json');
    expectError(await get('/services/potholes.xml'), 404, /potholes/, 'xml');
  });

  it('refuses a missing, unknown or revoked api_key with 403', async () => {
    const { api_key: _k, ...noKey } = noiseReport();
    expectError(await post('json', noKey), 403, /^api_key: is required/, 'json');
    expectError(await post('xml', { ...noKey, api_key: 'sq_not-a-real-key-000000000000000000' }), 403, /^api_key: is not a valid key/, 'xml');
    const revoked = await addApiKey(h().deps, '已停用');
    await revokeApiKey(h().deps, revoked.prefix);
    expectError(await post('json', { ...noKey, api_key: revoked.key }), 403, /^api_key: is not a valid key/, 'json');
  });

  it('answers bad submissions with 400/404 in the spec format', async () => {
    const r = noiseReport();
    const { lat: _lat, long: _long, address_string: _a, ...noLocation } = r;
    expectError(await post('json', noLocation), 400, /^location: give lat and long, address_string or address_id/, 'json');
    expectError(await post('xml', noLocation), 400, /^location: /, 'xml');
    expectError(await post('json', { ...r, lat: '22.7', long: '' , address_string: '' }), 400, /^long: lat and long go together/, 'json');
    expectError(await post('json', { ...r, lat: 'north' }), 400, /^lat: must be a number/, 'json');
    expectError(await post('json', { ...r, service_code: 'potholes' }), 404, /^service_code: potholes is not a service/, 'json');
    expectError(await post('json', { ...r, service_code: '' }), 400, /^service_code: is required/, 'json');
    expectError(await post('json', { ...r, 'attribute[noise_time]': '' }), 400, /^attribute\[noise_time\]: is required/, 'json');
    expectError(await post('json', { ...r, 'attribute[noise_time]': 'midnight' }), 400, /^attribute\[noise_time\]: must be one of day, night, all_day/, 'json');
    expectError(await post('json', { ...r, phone: 'call me' }), 400, /^phone: is not a phone number/, 'json');
    expectError(await post('json', { ...r, email: 'not-mail' }), 400, /^email: /, 'json');
    expectError(await post('json', { ...r, media_url: 'javascript:alert(1)' }), 400, /^media_url: /, 'json');
    expectError(await post('json', { ...r, description: '长'.repeat(4001) }), 400, /^description: must be at most 4000 characters/, 'json');
    expectError(await post('json', { ...r, jurisdiction_id: 'beijing.gov.cn' }), 404, /^jurisdiction_id: beijing.gov.cn not found/, 'json');
    expectError(await post('csv' as 'json', r), 400, /^format: csv is not supported/, 'xml');
    expectError(await get('/nothing-here.json'), 404, /no such resource/, 'json');
    expectError(await get('/nothing-here'), 404, /no such resource/, 'xml');
  });

  let jsonId = '', xmlId = '';

  it('round-trips a form POST in JSON: token → id → request, with the lead unit and the resolve clock', async () => {
    const r = await post('json', noiseReport());
    expect(r.statusCode, r.body).toBe(200);
    const created = r.json();
    expect(SCHEMAS.posted!(created), JSON.stringify(SCHEMAS.posted!.errors)).toBe(true);
    expect(created[0].service_request_id).toMatch(/^SZ-20261127-\d{6}$/);
    expect(created[0].service_notice).toContain(created[0].service_request_id);
    const [tok] = await getJson(`/tokens/${created[0].token}.json`, 'token');
    expect(tok).toEqual({ service_request_id: created[0].service_request_id, token: created[0].token });
    jsonId = tok.service_request_id;

    const [req] = await getJson(`/requests/${jsonId}.json`, 'requests');
    expect(req).toMatchObject({
      service_request_id: jsonId, status: 'open', service_code: 'noise', service_name: '噪音扰民', status_notes: '已受理',
      agency_responsible: null, requested_datetime: '2026-11-27T10:00:00+08:00', address: '光明区玉塘街道田寮社区某工地',
      lat: 22.7468, long: 113.936, media_url: 'https://img.example.cn/noise/1.jpg',
    });
    expect(req.description).toBe('工地每天夜里施工到凌晨两点，噪音很大，无法入睡。\n噪音来源：建筑施工\n噪音时段：夜间（22:00–次日6:00）');

    // The case itself: channel open311, category code, the citizen's phone sealed, not anonymous.
    const [row] = await rowsOf<{ channel: string; category: string; anonymous: boolean; citizen_phone: string | null; id: string }>(
      h().deps.db.orm, sql`select id, channel, category, anonymous, citizen_phone from cases where tracking_no = ${jsonId}`);
    expect(row).toMatchObject({ channel: 'open311', category: 'noise', anonymous: false, id: created[0].token });
    expect(row!.citizen_phone).not.toContain(PHONE);

    // expected_datetime is the resolve clock's due time when one runs (left out otherwise).
    const [{ clocks }] = await rowsOf<{ clocks: { name: string; dueAt: string | null }[] }>(
      h().deps.db.orm, sql`select clocks from cases where tracking_no = ${jsonId}`) as [{ clocks: { name: string; dueAt: string | null }[] }];
    const due = clocks.find((c) => c.name === 'resolve')?.dueAt;
    expect(req.expected_datetime).toBe(due ? w3cDateTime(new Date(due)) : undefined);

    // Dispatch: agency_responsible is the lead unit's name.
    const op = await h().staff('o311.op', 'operator', CITY);
    const d = await h().app.inject({ method: 'POST', url: `/api/v1/cases/${row!.id}/actions/dispatch`, headers: op, payload: { unitCode: YUTANG } });
    expect(d.statusCode, d.body).toBe(200);
    const [after] = await getJson(`/requests/${jsonId}.json`, 'requests');
    expect(after).toMatchObject({ status: 'open', agency_responsible: '玉塘街道', status_notes: '已派单' });
  });

  it('round-trips a POST in XML, and takes a JSON body with a multivaluelist', async () => {
    h().clock.advance(60_000);
    const r = await post('xml', {
      api_key: key, service_code: 'air_pollution', address_id: 'SZ-ADDR-88', description: '',
      'attribute[pollution_type][]': ['dust', 'odour'],
    });
    expect(r.statusCode, r.body).toBe(200);
    const created = parseXml(r).service_requests.request[0];
    expect(created.service_request_id).toMatch(/^SZ-20261127-\d{6}$/);
    const tok = (await getXml(`/tokens/${created.token}.xml`)).service_requests.request[0];
    expect(tok).toEqual({ service_request_id: created.service_request_id, token: created.token });
    xmlId = tok.service_request_id;
    const req = (await getXml(`/requests/${xmlId}.xml`)).service_requests.request[0];
    expect(req).toMatchObject({
      service_request_id: xmlId, status: 'open', service_code: 'air_pollution', service_name: '大气污染',
      description: '【大气污染】\n污染类型：扬尘、异味', address: '地址编码 SZ-ADDR-88', agency_responsible: '', lat: '', media_url: '',
    });
    expect(Object.keys(req).slice(0, 6)).toEqual(['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description']);

    const j = await h().app.inject({
      method: 'POST', url: `${base}/requests.json?api_key=${key}`,
      payload: { service_code: 'streetlight', lat: 22.75, long: 113.94, description: '路灯整晚不亮', attribute: { lamp_count: '3' } },
    });
    expect(j.statusCode, j.body).toBe(200);
    const [one] = await getJson(`/requests/${j.json()[0].service_request_id}.json`, 'requests');
    expect(one.description).toBe('路灯整晚不亮\n故障路灯数量：3');
  });

  it('searches requests: ids, service codes, status, 90-day window, pages', async () => {
    const all = await getJson('/requests.json', 'requests');
    expect(all.map((x: { service_request_id: string }) => x.service_request_id)).toEqual(expect.arrayContaining([jsonId, xmlId]));
    expect(all.length).toBe(3);
    expect(all[0].requested_datetime >= all[1].requested_datetime).toBe(true);

    const byIds = await getJson(`/requests.json?service_request_id=${jsonId},${xmlId},SZ-20000101-000001,nonsense&status=closed`, 'requests');
    expect(byIds.map((x: { service_request_id: string }) => x.service_request_id).sort()).toEqual([jsonId, xmlId].sort());
    expect((await getJson('/requests.json?service_code=noise,streetlight', 'requests')).length).toBe(2);
    expect((await getJson('/requests.json?service_code=other', 'requests')).length).toBe(0);
    expect((await getJson('/requests.json?status=closed', 'requests')).length).toBe(0);
    expect((await getJson('/requests.json?status=open,closed', 'requests')).length).toBe(3);
    const page2 = await getJson('/requests.json?page_size=2&page=2', 'requests');
    expect(page2.length).toBe(1);
    expect((await getJson('/requests.json?start_date=2026-11-27T00:00:00%2B08:00&end_date=2026-11-28', 'requests')).length).toBe(3);
    expect((await getJson('/requests.json?start_date=2026-10-01T00:00:00Z', 'requests')).length).toBe(3);
    expect((await getJson('/requests.json?end_date=2026-11-01T00:00:00Z', 'requests')).length).toBe(0);
    const x = await getXml(`/requests.xml?service_code=air_pollution`);
    expect(x.service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([xmlId]);
    expect((await getXml('/requests.xml?status=closed')).service_requests).toBe('');

    expectError(await get('/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, /^end_date: must be at most 90 days after start_date/, 'json');
    expectError(await get('/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, /90 days/, 'xml');
    expectError(await get('/requests.json?start_date=2026-11-27T10:00:00'), 400, /^start_date: must be a W3C date-time/, 'json');
    expectError(await get('/requests.json?end_date=2026-11-01Z&start_date=2026-11-02'), 400, /^end_date: /, 'json');
    expectError(await get('/requests.json?status=pending'), 400, /^status: /, 'json');
    expectError(await get('/requests.json?service_code=potholes'), 400, /^service_code: potholes is not a service/, 'json');
    expectError(await get('/requests.json?page_size=5000'), 400, /^page_size: must be at most 1000/, 'json');
    expectError(await get('/requests/SZ-20000101-000001.json'), 404, /^service_request_id: SZ-20000101-000001 not found/, 'json');
    expectError(await get('/requests/whatever.xml'), 404, /not found/, 'xml');
    expectError(await get('/tokens/00000000-0000-4000-8000-000000000000.json'), 404, /^token: /, 'json');
    expectError(await get('/requests.json?jurisdiction_id=beijing.gov.cn'), 404, /^jurisdiction_id: /, 'json');
  });

  it('closes a resolved request and reports updates since a date (servicerequestupdates)', async () => {
    const [row] = await rowsOf<{ id: string }>(h().deps.db.orm, sql`select id from cases where tracking_no = ${jsonId}`);
    const handler = await h().staff('o311.yt', 'handler', YUTANG);
    for (const [action, payload] of [['sign', {}], ['resolve', { reply: '已责令工地停止夜间施工，联系电话 13800001111' }]] as const) {
      h().clock.advance(60_000);
      const r = await h().app.inject({ method: 'POST', url: `/api/v1/cases/${row!.id}/actions/${action}`, headers: handler, payload });
      expect(r.statusCode, r.body).toBe(200);
    }
    const [req] = await getJson(`/requests/${jsonId}.json`, 'requests');
    expect(req).toMatchObject({ status: 'closed', updated_datetime: '2026-11-27T10:03:00+08:00' });
    expect(req.status_notes).toBe('已办结：已责令工地停止夜间施工，联系电话 [电话]');
    expect((await getJson('/requests.json?status=closed', 'requests')).map((r: { service_request_id: string }) => r.service_request_id)).toEqual([jsonId]);

    const updates = (await getJson('/servicerequestupdates.json?start_date=2026-11-27T10:00:00%2B08:00', 'updates'))
      .filter((u: { service_request_id: string }) => u.service_request_id === jsonId);
    expect(updates.map((u: { update_id: string; status: string; external_status_code: string }) => [u.update_id, u.status, u.external_status_code]))
      .toEqual([[`${jsonId}_1`, 'open', 'received'], [`${jsonId}_2`, 'in_progress', 'dispatched'], [`${jsonId}_3`, 'in_progress', 'signed'], [`${jsonId}_4`, 'fixed', 'resolved']]);
    expect(updates[3]).toMatchObject({ updated_datetime: '2026-11-27T10:03:00+08:00', description: '办结答复：已责令工地停止夜间施工，联系电话 [电话]' });
    expect((await getJson('/servicerequestupdates.json?start_date=2026-11-27T10:02:30%2B08:00', 'updates')).length).toBe(1);
    const x = await getXml('/servicerequestupdates.xml');
    expect(x.service_request_updates.request_update.length).toBeGreaterThanOrEqual(6);
    expect(x.service_request_updates.request_update[0]).toMatchObject({ status: 'open', external_status_code: 'received' });
    expectError(await get('/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z'), 400, /90 days/, 'json');
  });

  it('shows only requests sent through Open311: a hotline or web case is not found', async () => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '网站提交的诉求，不应公开', citizen: { phone: '13700001111' } } });
    expect(r.statusCode).toBe(201);
    expectError(await get(`/requests/${r.json().trackingNo}.json`), 404, /not found/, 'json');
    expectError(await get(`/tokens/${r.json().caseId}.json`), 404, /not found/, 'json');
    expect((await getJson('/requests.json', 'requests')).length).toBe(3);
  });

  it('never puts personal data in a GET', () => {
    expect(seen.length).toBeGreaterThan(40);
    const all = seen.join('\n');
    for (const secret of [PHONE, '139 1234 5678', FIRST, `${LAST}${FIRST}`, EMAIL, 'zhangsanfeng', '13800001111', '13700001111']) {
      expect(all, secret).not.toContain(secret);
    }
  });
});
