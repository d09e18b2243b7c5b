/**
 * The leader dashboard's figures over HTTP on both backends: cases walk through the workflow and
 * the figures move exactly as hand-counted (one case rated satisfied → 满意率 100 %, another
 * unsatisfied → 50 %, …); a sibling district's leader and a sibling street's handler see none of
 * it, the admin nothing; the incremental rollups equal a rebuild from the cases and their events,
 * before and after folding, also after transfers, escalation, withdrawals and clock breaches.
 */
import { describe, expect, it } from 'vitest';
import { foldRollups, pendingDeltas, rebuildRollups } from '../src/app/kpi-rollups.ts';
import { sweep } from '../src/jobs/clock-scanner.job.ts';
import { allRollups } from '../src/store/kpi.queries.ts';
import { BACKENDS } from './db.ts';
import { useApp } from './app-harness.ts';

const DISTRICT = '440311', YUTANG = '440311005', GUANGMING = '440311001', TIANLIAO = '440311005001', FUTIAN = '440304';
type Auth = { authorization: string; id: string };
type Rate = { kind: 'rate'; value: number | null; numerator: number; denominator: number };

const rateOf = (numerator: number, denominator: number): Rate =>
  ({ kind: 'rate', value: denominator === 0 ? null : numerator / denominator, numerator, denominator });

describe.each(BACKENDS)('KPI dashboard on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000' });
  let op: Auth, gm: Auth, ft: Auth, city: Auth, yt: Auth, sib: Auth, tl: Auth, dh: Auth, admin: Auth;
  const ids: Record<string, string> = {};

  const get = async (who: Auth, url: string, status = 200) => {
    const r = await h().app.inject({ method: 'GET', url, headers: { authorization: who.authorization } });
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const act = async (who: Auth, name: string, action: string, payload: object = {}, advanceMs = 60_000) => {
    h().clock.advance(advanceMs);
    const r = await h().app.inject({ method: 'POST', url: `/api/v1/cases/${ids[name]}/actions/${action}`, headers: { authorization: who.authorization }, payload });
    expect(r.statusCode, `${action} ${name}: ${r.body}`).toBe(200);
    return r.json();
  };
  const submit = async (name: string, payload: object = {}) => {
    const r = await h().app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '田寮社区路灯坏了一个月，晚上出行不安全', type: 'complaint', category: 'streetlight', unitCode: YUTANG, citizen: { phone: '13812345678' }, ...payload },
    });
    expect(r.statusCode, r.body).toBe(201);
    ids[name] = r.json().caseId;
  };
  /** dispatch → sign → contact → feedback → resolve, a minute apart. */
  const handle = async (name: string) => {
    await act(op, name, 'dispatch', { unitCode: YUTANG });
    await act(yt, name, 'sign');
    await act(yt, name, 'contact', { method: 'phone', note: '已电话联系' });
    await act(yt, name, 'feedback', { message: '已安排维修' });
    await act(yt, name, 'resolve', { reply: '路灯已修复' });
  };
  const summary = (who: Auth, query = '') => get(who, `/api/v1/kpi/summary${query}`);
  /** Logs in again (sessions expire after 30 idle minutes of the test's clock). */
  const relogin = async (who: Auth, username: string) => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'test-pass-1234' } });
    who.authorization = `Bearer ${r.json().token}`;
  };

  it('sets up staff; before any case the volume is 0 and every rate is null', async () => {
    op = await h().staff('op.city', 'operator', '4403');
    city = await h().staff('leader.city', 'leader', '4403');
    gm = await h().staff('leader.gm', 'leader', DISTRICT);
    ft = await h().staff('leader.ft', 'leader', FUTIAN);
    yt = await h().staff('h.yutang', 'handler', YUTANG);
    sib = await h().staff('h.guangming', 'handler', GUANGMING);
    tl = await h().staff('h.tianliao', 'handler', TIANLIAO);
    dh = await h().staff('h.district', 'handler', DISTRICT);
    admin = await h().staff('admin', 'admin', '4403');
    const s = await summary(gm);
    expect(s).toMatchObject({ from: '2026-10-29', to: '2026-11-27', unit: { code: DISTRICT, name: '光明区', kind: 'district' } });
    expect(s.figures.volume).toEqual({ kind: 'count', value: 0 });
    for (const k of ['resolutionRate', 'responseRate', 'solvedRate', 'satisfactionRate', 'signOnTimeRate', 'contactOnTimeRate', 'feedbackOnTimeRate']) {
      expect(s.figures[k], k).toEqual(rateOf(0, 0));
    }
    expect(s.formulas.figures.resolutionRate.label).toEqual({ zh: '化解率', en: 'Resolution rate' });
    expect(s.formulas.figures.satisfactionRate.formula.zh).toContain('满意');
  });

  it('one case resolved and rated satisfied: 满意率 100 %, 化解率 100 %, every clock on time', async () => {
    await submit('a');
    await handle('a');
    expect((await act(op, 'a', 'rate', { resolved: true, satisfied: true })).status).toBe('closed');
    const s = await summary(gm);
    expect(s.figures.volume.value).toBe(1);
    expect(s.figures.satisfactionRate).toEqual(rateOf(1, 1));
    expect(s.figures.solvedRate).toEqual(rateOf(1, 1));
    expect(s.figures.resolutionRate).toEqual(rateOf(1, 1));
    expect(s.figures.responseRate).toEqual(rateOf(1, 1));
    for (const k of ['signOnTimeRate', 'contactOnTimeRate', 'feedbackOnTimeRate', 'resolveOnTimeRate']) expect(s.figures[k], k).toEqual(rateOf(1, 1));
  });

  it('another rated unsatisfied (reopened): 满意率 50 %, 解决率 50 %, 化解率 50 %', async () => {
    await submit('b');
    await handle('b');
    expect((await act(op, 'b', 'rate', { resolved: false, satisfied: false })).status).toBe('reopened');
    const s = await summary(gm);
    expect(s.figures.volume.value).toBe(2);
    expect(s.figures.satisfactionRate).toEqual(rateOf(1, 2));
    expect(s.figures.solvedRate).toEqual(rateOf(1, 2));
    expect(s.figures.resolutionRate).toEqual(rateOf(1, 2));
    expect(s.figures.responseRate).toEqual(rateOf(2, 2));
    // b's resolution clock started again on reopening: it has no outcome yet.
    expect(s.figures.resolveOnTimeRate).toEqual(rateOf(1, 1));
  });

  it('praise answered at intake counts apart from complaints; a merged duplicate is left out', async () => {
    await submit('c', { type: 'praise', category: undefined, content: '感谢玉塘街道及时修好路灯' });
    await act(op, 'c', 'answer', { reply: '感谢您的肯定' });
    await submit('d');
    await act(op, 'd', 'merge', { intoCaseId: ids.b });
    const s = await summary(gm);
    expect(s.counts).toMatchObject({ received: 4, accepted: 3, merged: 1, closed: 2, answered: 1 });
    expect(s.figures.volume.value).toBe(3);
    expect(s.figures.duplicates.value).toBe(1);
    expect(s.figures.resolutionRate).toEqual(rateOf(2, 3));
    expect(s.typeMix.complaints).toEqual({ count: 2, share: 2 / 3 });
    expect(s.typeMix.praise).toEqual({ count: 1, share: 1 / 3 });
  });

  it('a unit signing after its 10 minutes lowers the response rate', async () => {
    await submit('e');
    await act(op, 'e', 'dispatch', { unitCode: YUTANG });
    await act(yt, 'e', 'sign', {}, 11 * 60_000);
    const s = await summary(gm);
    expect(s.figures.responseRate).toEqual(rateOf(2, 3));
    expect(s.figures.signOnTimeRate).toEqual(rateOf(2, 3));
    // A case dispatched and not yet signed counts as not responded.
    await submit('f');
    await act(op, 'f', 'dispatch', { unitCode: TIANLIAO });
    const t = await summary(gm);
    expect(t.figures.responseRate).toEqual(rateOf(2, 4));
    expect(t.figures.signOnTimeRate).toEqual(rateOf(2, 3));
    expect(t.figures.volume.value).toBe(5);
  });

  it('a sibling district leader and a sibling street handler see none of it; the admin nothing', async () => {
    for (const who of [ft, sib]) {
      const s = await summary(who);
      expect(s.figures.volume.value).toBe(0);
      expect(s.figures.satisfactionRate.value).toBeNull();
    }
    await get(ft, `/api/v1/kpi/summary?unitCode=${DISTRICT}`, 404);
    await get(ft, `/api/v1/kpi/units?parentCode=${DISTRICT}`, 404);
    await get(sib, `/api/v1/kpi/trend?unitCode=${YUTANG}`, 404);
    await get(sib, `/api/v1/kpi/mix?unitCode=${DISTRICT}`, 404);
    expect((await get(ft, '/api/v1/kpi/districts')).items.map((d: { code: string; figures: { volume: { value: number } } }) => [d.code, d.figures.volume.value]))
      .toEqual([[FUTIAN, 0]]);
    const a = await summary(admin);
    expect(a.unit).toBeNull();
    expect(a.figures.volume.value).toBe(0);
    expect((await get(admin, '/api/v1/kpi/units')).items).toEqual([]);
    expect((await get(admin, '/api/v1/kpi/districts')).items).toEqual([]);
    expect((await get(admin, '/api/v1/kpi/mix')).volume).toBe(0);
    await get(admin, `/api/v1/kpi/summary?unitCode=${DISTRICT}`, 404);
    // The street's handler sees its own subtree: everything led by 玉塘 and 田寮.
    expect((await summary(yt)).figures.volume.value).toBe(5);
    expect((await summary(tl)).figures.volume.value).toBe(1);
    // The city sees the same district figures as the district's leader.
    expect((await summary(city, `?unitCode=${DISTRICT}`)).figures).toEqual((await summary(gm)).figures);
    const r = await h().app.inject({ method: 'GET', url: '/api/v1/kpi/summary' });
    expect(r.statusCode).toBe(401);
  });

  it('ranks the streets of the district and drills down to the communities', async () => {
    const u = await get(gm, '/api/v1/kpi/units');
    expect(u.parent).toMatchObject({ code: DISTRICT });
    expect(u.items.length).toBeGreaterThan(3);
    expect(u.items[0]).toMatchObject({ code: YUTANG, name: '玉塘街道', kind: 'street', hasChildren: true });
    expect(u.items[0].figures.volume.value).toBe(5);
    expect(u.items[0].figures.satisfactionRate).toEqual(rateOf(1, 2));
    expect(u.items.slice(1).every((i: { figures: { volume: { value: number } } }) => i.figures.volume.value === 0)).toBe(true);
    expect(u.total.figures.volume.value).toBe(5);
    expect(u.direct.figures.volume.value).toBe(0);
    // Sorted by satisfaction, ascending: units with no rating come last whatever the order.
    const bySat = await get(gm, '/api/v1/kpi/units?sort=satisfactionRate&order=asc');
    expect(bySat.items[0].code).toBe(YUTANG);
    const drill = await get(gm, `/api/v1/kpi/units?parentCode=${YUTANG}&sort=volume`);
    expect(drill.items[0]).toMatchObject({ code: TIANLIAO, name: '田寮社区', kind: 'community' });
    expect(drill.items[0].figures.volume.value).toBe(1);
    expect(drill.direct.figures.volume.value).toBe(4);
    expect(drill.total.figures.volume.value).toBe(5);
    // The street's handler may drill into its street, not into its district.
    await get(yt, `/api/v1/kpi/units?parentCode=${YUTANG}`);
    await get(yt, `/api/v1/kpi/units?parentCode=${DISTRICT}`, 404);
  });

  it('gives the districts for the map, the mix and the trend', async () => {
    const d = await get(city, '/api/v1/kpi/districts');
    expect(d.items).toHaveLength(9);
    expect(d.items.find((x: { code: string }) => x.code === DISTRICT)).toMatchObject({ adcode: 440311, name: '光明区' });
    expect(d.items.find((x: { code: string }) => x.code === DISTRICT).figures.volume.value).toBe(5);
    expect((await get(gm, '/api/v1/kpi/districts')).items.map((x: { code: string; whole: boolean }) => [x.code, x.whole])).toEqual([[DISTRICT, true]]);
    // A street's handler gets its district with the street's part only.
    const part = (await get(tl, '/api/v1/kpi/districts')).items;
    expect(part.map((x: { code: string; whole: boolean; figures: { volume: { value: number } } }) => [x.code, x.whole, x.figures.volume.value]))
      .toEqual([[DISTRICT, false, 1]]);

    const m = await get(gm, '/api/v1/kpi/mix');
    expect(m.volume).toBe(5);
    expect(m.channels.find((c: { channel: string }) => c.channel === 'web')).toMatchObject({ count: 5, share: 1, label: { zh: '网上提交' } });
    expect(m.complaints).toEqual({ count: 4, share: 4 / 5 });
    expect(m.praise).toEqual({ count: 1, share: 1 / 5 });
    expect(m.categories.map((c: { category: string | null; name: string; count: number }) => [c.category, c.name, c.count]))
      .toEqual([['streetlight', '路灯故障', 4], [null, '未分类', 1]]);

    const t = await get(gm, '/api/v1/kpi/trend');
    expect(t.buckets).toHaveLength(30);
    expect(t.buckets.at(-1)).toMatchObject({ start: '2026-11-27', end: '2026-11-27', volume: 5, complaints: 4, praise: 1 });
    expect(t.buckets.slice(0, -1).every((b: { volume: number }) => b.volume === 0)).toBe(true);
    const w = await get(gm, '/api/v1/kpi/trend?interval=week&from=2026-11-01&to=2026-11-30');
    expect(w.buckets.map((b: { start: string; volume: number }) => [b.start, b.volume])).toEqual([
      ['2026-11-01', 0], ['2026-11-02', 0], ['2026-11-09', 0], ['2026-11-16', 0], ['2026-11-23', 5], ['2026-11-30', 0],
    ]);
    // Another period holds nothing.
    expect((await summary(gm, '?from=2026-10-01&to=2026-10-31')).figures.volume.value).toBe(0);
  });

  it('rejects a bad query naming the field', async () => {
    const bad = async (url: string, message: string) => {
      const r = await h().app.inject({ method: 'GET', url, headers: { authorization: gm.authorization } });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().message).toBe(message);
    };
    await bad('/api/v1/kpi/summary?from=2026-13-01', 'from: must be a date YYYY-MM-DD');
    await bad('/api/v1/kpi/summary?from=2026-11-02&to=2026-11-01', 'to: must not be before from');
    await bad('/api/v1/kpi/summary?from=2020-01-01', 'from: the period may span at most 1096 days');
    const interval = await h().app.inject({ method: 'GET', url: '/api/v1/kpi/trend?interval=month', headers: { authorization: gm.authorization } });
    expect(interval.statusCode).toBe(400);
    expect(interval.json().message).toMatch(/^interval: /);
    const sort = await h().app.inject({ method: 'GET', url: '/api/v1/kpi/units?sort=bogus', headers: { authorization: gm.authorization } });
    expect(sort.statusCode).toBe(400);
  });

  it('incremental rollups equal a rebuild, before and after folding', async () => {
    const before = await summary(city);
    expect(await pendingDeltas(h().deps.db)).toBeGreaterThan(0);
    expect(await foldRollups(h().deps.db)).toBeGreaterThan(0);
    expect(await pendingDeltas(h().deps.db)).toBe(0);
    expect(await summary(city)).toEqual(before);
    const folded = await allRollups(h().deps.db.orm);
    const r = await rebuildRollups(h().deps);
    expect(r).toMatchObject({ cases: 6, changed: 0, orphans: 0 });
    expect(await allRollups(h().deps.db.orm)).toEqual(folded);
  });

  it('still equal after transfers, escalation, withdrawal, refusal, reopening and clock breaches', async () => {
    const { deps, clock } = h();
    for (const [who, username] of [[op, 'op.city'], [gm, 'leader.gm'], [yt, 'h.yutang'], [sib, 'h.guangming'], [dh, 'h.district']] as const) {
      await relogin(who, username);
    }
    // f: 田寮 returns nothing; the center transfers it to 光明街道, which signs late (a new sign clock).
    await act(op, 'f', 'transfer', { unitCode: GUANGMING, reason: '属光明街道辖区' });
    await act(sib, 'f', 'sign', {}, 12 * 60_000);
    // b (reopened): 玉塘 escalates to the district, which hands it back.
    await act(yt, 'b', 'escalate', { reason: '需区级协调' });
    const mid = await summary(gm, `?unitCode=${DISTRICT}`);
    expect((await get(gm, '/api/v1/kpi/units')).direct.figures.volume.value).toBe(1);
    await act(dh, 'b', 'hand_back', { note: '已协调，请街道答复' });
    // g withdrawn by the citizen's call, h not accepted, i pending then resumed, a reopened by the leader.
    await submit('g');
    await act(op, 'g', 'withdraw', { reason: '已自行解决' });
    await submit('h', { type: 'report' });
    await act(op, 'h', 'not_accept', { reason: '不属于受理范围' });
    await submit('i', { type: 'help', category: 'elevator' });
    await handle('i');
    await act(gm, 'a', 'reopen', { reason: '回访发现问题反复' });
    // j dispatched and never signed: the scanner raises its warnings and breach a day later.
    await submit('j');
    await act(op, 'j', 'dispatch', { unitCode: YUTANG });
    clock.advance(2 * 86_400_000);
    await sweep(deps, clock.now);
    await relogin(gm, 'leader.gm');
    const s = await summary(gm);
    expect(s.counts).toMatchObject({ received: 10, merged: 1, withdrawn: 1, accepted: 8, notAccepted: 1 });
    // j breached its sign clock without signing: late, as f (signed late by its new unit) and e.
    expect(s.figures.signOnTimeRate).toEqual(rateOf(3, 6));
    expect(mid.figures.volume.value).toBe(5);

    await foldRollups(deps.db);
    const folded = await allRollups(deps.db.orm);
    const r = await rebuildRollups(deps);
    expect(r).toMatchObject({ cases: 10, changed: 0 });
    expect(await allRollups(deps.db.orm)).toEqual(folded);
    expect(await summary(gm)).toEqual(s);
  });
});
