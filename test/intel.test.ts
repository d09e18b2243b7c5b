/**
 * Intel in the platform over HTTP: category suggestions from a stored model at intake and on
 * the case, address → intake unit, risk flags (urgency, leaders' alerts, clearing), similar
 * cases, category corrections feeding retraining; and the `suqiu intel` CLI's eval report.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { retrainModel, trainModel, mergeSamples } from '../src/app/intel/models.ts';
import { rowsOf } from '../src/store/db.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';

const CITY = '4403', GUANGMING = '440311', TIANLIAO = '440311005001', LUOHU = '440303';
type Auth = { authorization: string };

/** A tiny labelled set: three labels, 25 messages each, varied enough to learn. */
function samples() {
  const places = ['小区', '路口', '公园', '学校门口', '地铁站', '菜市场', '楼下', '马路边', '广场', '工业园'];
  const out: { text: string; label: string }[] = [];
  for (let i = 0; i < 25; i++) {
    const p = places[i % places.length]!;
    out.push({ text: `${p}的路灯坏了${i % 5 + 1}天，晚上一片漆黑，路灯不亮很危险`, label: '市政设施' });
    out.push({ text: `${p}附近工地夜间施工噪音太大，第${i}晚吵得睡不着，噪音扰民`, label: '环境噪音' });
    out.push({ text: `公司拖欠工资${i % 4 + 2}个月，老板不发工资，讨要工资无果`, label: '劳动保障' });
  }
  return out;
}

describe.each(BACKENDS)('intel on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000', PUBLIC_PHONE_RATE_LIMIT: '1000' });
  let op: Auth, cityOp: Auth, luohuOp: Auth, leader: { authorization: string; id: string }, cityLeader: { id: string };
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, auth?: Auth, payload?: object) =>
    h().app.inject({ method, url, headers: auth, payload });
  const submit = (body: object) => inject('POST', '/api/v1/requests', undefined, { citizen: { phone: '13700002222' }, ...body });

  beforeAll(async () => {
    cityOp = await h().staff(`intel-city-op-${kind}`, 'operator', CITY);
    op = await h().staff(`intel-gm-op-${kind}`, 'operator', GUANGMING);
    luohuOp = await h().staff(`intel-lh-op-${kind}`, 'operator', LUOHU);
    leader = await h().staff(`intel-gm-leader-${kind}`, 'leader', GUANGMING);
    cityLeader = await h().staff(`intel-city-leader-${kind}`, 'leader', CITY);
    await trainModel(h().deps, { samples: samples(), source: { test: true }, options: { minClassCount: 5 } });
  }, 60_000);

  it('suggests the top 3 categories at submission and on the case, and takes the resolved address as intake unit', async () => {
    const r = await submit({ content: '我家小区楼下的路灯坏了好几天，晚上很黑', address: '光明区玉塘街道田寮社区' });
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.suggestions.categories).toHaveLength(3);
    expect(body.suggestions.categories[0]).toMatchObject({ label: '市政设施' });
    expect(body.suggestions.location).toMatchObject({ unitCode: TIANLIAO, kind: 'community', name: '田寮社区' });
    expect(body.suggestions).not.toHaveProperty('similar');
    const view = (await inject('GET', `/api/v1/cases/${body.caseId}`, op)).json();
    expect(view.intakeUnit.code).toBe(TIANLIAO);
    expect(view.intel.suggestions.categories[0].label).toBe('市政设施');
    expect(view.intel.flags).toEqual([]);
  });

  it('keeps the city center when the address is unsure, and suggests it', async () => {
    const r = (await submit({ content: '新围社区门口的垃圾很多天没人清理了' })).json();
    const view = (await inject('GET', `/api/v1/cases/${r.caseId}`, cityOp)).json();
    expect(view.intakeUnit.code).toBe(CITY);
  });

  it('flags self-harm: emergency, explained, leaders of the unit and above alerted, cleared with a reason', async () => {
    const r = (await submit({ content: '公司欠我工资半年了，再不给我就去跳楼', address: '光明区玉塘街道' })).json();
    const view = (await inject('GET', `/api/v1/cases/${r.caseId}`, op)).json();
    expect(view.urgency).toBe('emergency');
    expect(view.intel.flags).toEqual([expect.objectContaining({ flag: 'self_harm', words: ['跳楼'], cleared: null })]);
    const alerts = await rowsOf<{ recipient: string }>(h().deps.db.orm,
      sql`select recipient from outbox where dedupe_key like ${`flag:${r.caseId}:%`} and channel = 'inapp' order by recipient`);
    expect(alerts.map((a) => a.recipient).sort()).toEqual([leader.id, cityLeader.id].sort());

    expect((await inject('POST', `/api/v1/cases/${r.caseId}/flags/self_harm/clear`, luohuOp, { reason: '误报' })).statusCode).toBe(404);
    expect((await inject('POST', `/api/v1/cases/${r.caseId}/flags/self_harm/clear`, op, {})).statusCode).toBe(400);
    const cleared = await inject('POST', `/api/v1/cases/${r.caseId}/flags/self_harm/clear`, op, { reason: '已电话联系，情绪稳定，属气话' });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().flags[0].cleared).toMatchObject({ reason: '已电话联系，情绪稳定，属气话' });
    expect((await inject('POST', `/api/v1/cases/${r.caseId}/flags/self_harm/clear`, op, { reason: '再次' })).statusCode).toBe(404);
    const after = (await inject('GET', `/api/v1/cases/${r.caseId}`, op)).json();
    expect(after.timeline.map((e: { action: string }) => e.action)).toContain('clear_flag');
  });

  it('a group wage dispute is urgent', async () => {
    const r = (await submit({ content: '我们三十多名农民工被拖欠工资，讨薪无门', groupSize: 30 })).json();
    const view = (await inject('GET', `/api/v1/cases/${r.caseId}`, cityOp)).json();
    expect(view.urgency).toBe('urgent');
    expect(view.intel.flags[0]).toMatchObject({ flag: 'group_dispute' });
  });

  it('finds the open case about the same matter in the same area', async () => {
    const first = (await submit({ content: '光明区玉塘街道田寮社区文化广场旁边的井盖松动，车压过去哐哐响，很危险' })).json();
    h().clock.advance(600_000);
    const again = await inject('POST', '/api/v1/intake', op, {
      channel: 'hotline', content: '田寮社区文化广场旁的井盖松动了，车开过去一直哐哐响', callerNumber: '13800003333', unitCode: TIANLIAO,
    });
    expect(again.statusCode).toBe(201);
    const similar = again.json().intel.suggestions.similar;
    expect(similar[0]).toMatchObject({ caseId: first.caseId, trackingNo: first.trackingNo });
    const elsewhere = (await submit({ content: '罗湖区东门街道文化广场旁边的井盖松动，车压过去哐哐响', address: '罗湖区东门街道' })).json();
    const v = (await inject('GET', `/api/v1/cases/${elsewhere.caseId}/intel`, cityOp)).json();
    expect(v.suggestions.similar.map((s: { caseId: string }) => s.caseId)).not.toContain(first.caseId);
  });

  it('records category corrections and retrains with them', async () => {
    const r = (await submit({ content: '楼上邻居每天半夜拖椅子，吵得人睡不着', address: '光明区玉塘街道田寮社区' })).json();
    const put = await inject('PUT', `/api/v1/cases/${r.caseId}/category`, op, { category: '环境噪音' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ category: '环境噪音', previous: null });
    const view = (await inject('GET', `/api/v1/cases/${r.caseId}`, op)).json();
    expect(view.category).toBe('环境噪音');
    expect(view.timeline.at(-1)).toMatchObject({ action: 'categorize', payload: { from: null, to: '环境噪音' } });
    expect((await inject('PUT', `/api/v1/cases/${r.caseId}/category`, luohuOp, { category: 'x' })).statusCode).toBe(404);
    const res = await retrainModel(h().deps, { options: { minClassCount: 5 } });
    expect(res.corrections).toBe(1);
    expect(res.samples).toBe(76);
    const models = (await inject('GET', '/api/v1/intel/models', op)).json();
    expect(models[0]).toMatchObject({ id: res.id, active: true });
    expect(models.filter((m: { active: boolean }) => m.active)).toHaveLength(1);
  }, 60_000);

  it('resolves an address for staff', async () => {
    const r = await inject('POST', '/api/v1/intel/resolve-address', op, { text: '福田区华强北' });
    expect(r.json().result).toMatchObject({ name: '华强北街道', kind: 'street' });
  });
});

describe('mergeSamples', () => {
  it('a correction replaces the base sample with the same text', () => {
    expect(mergeSamples([{ text: 'a', label: 'x' }, { text: 'b', label: 'y' }], [{ text: 'a', label: 'z' }]))
      .toEqual([{ text: 'b', label: 'y' }, { text: 'a', label: 'z' }]);
  });
});
