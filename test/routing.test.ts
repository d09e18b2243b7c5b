/**
 * Routing suggestions (派单建议) over HTTP: the bureau classifier trained from the handling-unit
 * CSV, suggestions stored at intake on every channel and shown to staff, the operator desk's
 * suggestion without a case, and the rules' administration (edit, validation, access).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { trainModel } from '../src/app/intel/models.ts';
import { BUREAU_LABEL_UNITS, BUREAU_MODEL_KIND } from '../src/domain/routing.ts';
import { readLabelledCsv } from '../src/intel/csv.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';

const HANDLING_UNITS = new URL('../../shared/data/msgabench-questions-handling-unit.csv', import.meta.url);
const CITY = '4403', TIANLIAO = '440311005001', YUTANG = '440311005', YUEHAI = '440305007';
type Auth = { authorization: string };

describe.each(BACKENDS)('routing on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000', PUBLIC_PHONE_RATE_LIMIT: '1000' });
  let admin: Auth, op: Auth, handler: Auth;
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, auth?: Auth, payload?: object) =>
    h().app.inject({ method, url, headers: auth, payload });
  const submit = (body: object) => inject('POST', '/api/v1/requests', undefined, { citizen: { phone: '13700004444' }, ...body });
  const routeOf = async (caseId: string) => (await inject('GET', `/api/v1/cases/${caseId}/intel`, op)).json().suggestions.route;
  const ask = async (body: object) => {
    const r = await inject('POST', '/api/v1/intel/route', op, body);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().route;
  };
  const samples = readLabelledCsv(HANDLING_UNITS, '用户问题', '处理单位');
  const traffic = samples.find((s) => s.label === '交管局')!;
  const finance = samples.find((s) => s.label === '金融监管局')!;

  beforeAll(async () => {
    admin = await h().staff(`route-admin-${kind}`, 'admin', CITY);
    op = await h().staff(`route-op-${kind}`, 'operator', CITY);
    handler = await h().staff(`route-handler-${kind}`, 'handler', YUTANG);
  });

  it('without a bureau model the classifier rule is skipped and the fallback decides', async () => {
    const route = await ask({ text: traffic.text });
    expect(route).toMatchObject({ unitCode: CITY, rule: { id: 'fallback' } });
    expect(route.skipped).toContainEqual({ rule: 'bureau-model', why: '未训练职能部门分类模型' });
  });

  it('routes a question the trained bureau model knows to the Shenzhen unit its label maps to', async () => {
    const r = await trainModel(h().deps, {
      kind: BUREAU_MODEL_KIND, samples, source: { file: 'msgabench-questions-handling-unit.csv' }, options: { minClassCount: 10 },
    });
    expect(r.labels.sort()).toEqual(['交管局', '交通委', '城管执法局', '金融监管局']);
    for (const s of [traffic, finance]) {
      const route = await ask({ text: s.text });
      expect(route).toMatchObject({ unitCode: BUREAU_LABEL_UNITS[s.label], rule: { id: 'bureau-model' } });
      expect(route.reasons[0]).toContain(`职能部门模型：${s.label}`);
      expect(route.confidence).toBeGreaterThanOrEqual(0.7);
    }
  }, 60_000);

  it('stores the suggestion of a public submission and shows it to staff, not to the citizen', async () => {
    const r = await submit({ content: '楼下工地夜间施工噪音太大，吵得睡不着', category: 'noise', address: '光明区玉塘街道田寮社区' });
    expect(r.statusCode).toBe(201);
    expect(r.json().suggestions).not.toHaveProperty('route');
    const route = await routeOf(r.json().caseId);
    expect(route).toMatchObject({ unitCode: '4403-ZJ', unitName: '深圳市住房和建设局', rule: { id: 'construction-noise' } });
    expect(route.reasons).toEqual(expect.arrayContaining([expect.stringContaining('噪音扰民'), expect.stringContaining('施工')]));
    expect(route.alternatives[0]).toMatchObject({ unitCode: YUTANG, rule: { id: 'noise' } });
    expect(JSON.stringify(route)).not.toContain('13700004444');
  });

  it('returns it in the hotline intake response: a fight goes to the district\'s police branch', async () => {
    const r = await inject('POST', '/api/v1/intake', op, {
      channel: 'hotline', content: '南山区粤海街道科技园社区路口有人打架斗殴，请派人来', callerNumber: '13800005555',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().intel.suggestions.route).toMatchObject({ unitCode: '4403-GA-440305', unitName: '南山分局', rule: { id: 'public-order' } });
    expect(await routeOf(r.json().id)).toMatchObject({ unitCode: '4403-GA-440305' });
  });

  it('a letter to a bureau\'s mailbox stays with that bureau; a QR code\'s community places the request', async () => {
    expect((await inject('PUT', '/api/v1/units/4403-SCJG/mailbox', admin, { title: '市场监管局局长信箱' })).statusCode).toBe(200);
    const mail = (await submit({ channel: 'mailbox', unitCode: '4403-SCJG', content: '建议加强对菜市场的检查力度' })).json();
    expect(await routeOf(mail.caseId)).toMatchObject({ unitCode: '4403-SCJG', rule: { id: 'mailbox' } });
    const qr = (await submit({ channel: 'qr', unitCode: TIANLIAO, category: 'garbage', content: '社区垃圾站的垃圾三天没人清运' })).json();
    const route = await routeOf(qr.caseId);
    expect(route).toMatchObject({ unitCode: YUTANG, rule: { id: 'city-appearance' } });
    expect(route.reasons).toContainEqual(expect.stringContaining('受理单位'));
  });

  it('an administrator\'s rule edit changes the suggestion at once', async () => {
    const body = { text: '楼下酒吧每天半夜噪音很大', category: 'noise', address: '南山区粤海街道' };
    expect(await ask(body)).toMatchObject({ unitCode: YUEHAI, rule: { id: 'noise' } });
    const list = await inject('GET', '/api/v1/admin/routing-rules', admin);
    expect(list.statusCode).toBe(200);
    const { rules, defaults } = list.json();
    expect(defaults).toBe(true);
    const edited = [{ id: 'nanshan-noise', name: '南山区噪音：市生态环境局', match: { category: 'noise', area: '440305' }, target: { kind: 'unit', unit: '4403-STHJ' } }, ...rules];
    const put = await inject('PUT', '/api/v1/admin/routing-rules', admin, { rules: edited });
    expect(put.statusCode, put.body).toBe(200);
    expect(await ask(body)).toMatchObject({ unitCode: '4403-STHJ', rule: { id: 'nanshan-noise' }, reasons: expect.arrayContaining(['地点在 440305 内']) });
    expect(await ask({ ...body, address: '光明区玉塘街道' })).toMatchObject({ unitCode: YUTANG, rule: { id: 'noise' } });
    const after = (await inject('GET', '/api/v1/admin/routing-rules', admin)).json();
    expect(after.defaults).toBe(false);
    expect(after.rules.map((x: { id: string }) => x.id)).toEqual(edited.map((x) => x.id));
  });

  it('rejects invalid rules with 400 naming the problem', async () => {
    const last = { id: 'fallback', name: '兜底', match: {}, target: { kind: 'unit', unit: CITY } };
    const cases: [unknown[], RegExp][] = [
      [[{ id: 'x', name: 'x', match: {}, target: { kind: 'unit', unit: '4403-XX' } }, last], /^rules\.0\.target\.unit: unknown unit 4403-XX$/],
      [[{ id: 'x', name: 'x', match: {}, target: { kind: 'branch', bureau: '4403-GA-JJ' } }, last], /^rules\.0\.target\.bureau: 4403-GA-JJ is a branch, not a bureau$/],
      [[{ id: 'x', name: 'x', match: {}, target: { kind: 'classifier', labels: { 交管局: '4403-NOPE' }, minConfidence: 0.7 } }, last], /^rules\.0\.target\.labels\.交管局: unknown unit 4403-NOPE$/],
      [[{ id: 'street', name: 'x', match: {}, target: { kind: 'location', level: 'street' } }], /the last rule must match every request and always name a unit/],
      [[{ id: 'x', name: 'x', match: { colour: 'red' }, target: { kind: 'unit', unit: CITY } }, last], /^rules\.0\.match/],
      [[{ id: 'x', name: 'x', match: {}, target: { kind: 'teleport' } }, last], /^rules\.0\.target/],
      [[last, last], /rule ids must be unique/],
    ];
    for (const [rules, message] of cases) {
      const r = await inject('PUT', '/api/v1/admin/routing-rules', admin, { rules });
      expect(r.statusCode, JSON.stringify(rules)).toBe(400);
      expect(r.json().message).toMatch(message);
    }
    // Nothing was stored: the edit from before is still in force.
    expect((await inject('GET', '/api/v1/admin/routing-rules', admin)).json().rules[0].id).toBe('nanshan-noise');
  });

  it('only an administrator reads or changes the rules; any staff member may ask for a suggestion', async () => {
    expect((await inject('GET', '/api/v1/admin/routing-rules', handler)).statusCode).toBe(403);
    expect((await inject('PUT', '/api/v1/admin/routing-rules', handler, { rules: [] })).statusCode).toBe(403);
    expect((await inject('PUT', '/api/v1/admin/routing-rules', op, { rules: [] })).statusCode).toBe(403);
    expect((await inject('GET', '/api/v1/admin/routing-rules')).statusCode).toBe(401);
    expect((await inject('POST', '/api/v1/intel/route', undefined, { text: '有人打架' })).statusCode).toBe(401);
    const r = await inject('POST', '/api/v1/intel/route', handler, { text: '有人打架' });
    expect(r.statusCode).toBe(200);
    // The asker's street stands in for the place: 光明's police branch.
    expect(r.json().route).toMatchObject({ unitCode: '4403-GA-440311', rule: { id: 'public-order' } });
    expect(r.json().route.reasons).toContainEqual(expect.stringContaining('玉塘街道（受理单位'));
    const bad = await inject('POST', '/api/v1/intel/route', op, { text: '', channel: 'pigeon' });
    expect(bad.statusCode).toBe(400);
  });
});
