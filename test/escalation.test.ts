/**
 * 上报 / 提级 / 吹哨报到 over HTTP: the street escalates to its district (on-duty staff told), the
 * district summons a bureau and a police station, each co-signs once, the district hands the
 * case back; the case view shows who was on duty while each clock ran; a summoned unit that does
 * not co-sign within 10 minutes breaches its own sign clock.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeChannels } from '../src/app/notify/index.ts';
import { verifyClocks } from '../src/app/recompute-clocks.ts';
import { importRosterCsv } from '../src/app/rosters.ts';
import { sweep } from '../src/jobs/clock-scanner.job.ts';
import { sweepOutbox } from '../src/jobs/outbox-sender.job.ts';
import { useApp } from './app-harness.ts';

const YUTANG = '440311005', DISTRICT = '440311', SW = '4403-SW', POLICE = '4403-GA-440311-01';
type Auth = { authorization: string; id: string };

describe('escalation and linkage on postgres', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '1000' });
  let op: Auth, yt: Auth, dh: Auth, sw: Auth, pol: Auth, city: Auth;
  let caseId = '';
  const act = (who: Auth, action: string, payload: object = {}, id = caseId) =>
    h().app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: { authorization: who.authorization }, payload });
  const view = async (who: Auth, id = caseId) => (await h().app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: { authorization: who.authorization } })).json();
  const notes = async (who: Auth) => {
    await sweepOutbox(h().deps, makeChannels(h().deps).channels);
    return (await h().app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: who.authorization } })).json().items as { kind: string; caseId: string }[];
  };
  const submit = async () => {
    const r = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '河道黑臭，多个部门推诿', unitCode: YUTANG, citizen: { phone: '13700002222' } } });
    return r.json().caseId as string;
  };

  it('sets up staff and who is on duty today', async () => {
    op = await h().staff('op', 'operator', DISTRICT);
    yt = await h().staff('yt', 'handler', YUTANG);
    dh = await h().staff('dh', 'handler', DISTRICT);
    sw = await h().staff('sw', 'handler', SW);
    pol = await h().staff('pol', 'handler', POLICE);
    city = await h().staff('city', 'handler', '4403');
    const day = 'username,starts_at,ends_at\n%u,2026-11-27 08:00,2026-11-28 08:00\n';
    await importRosterCsv(h().deps, DISTRICT, day.replace('%u', 'dh'));
    await importRosterCsv(h().deps, SW, day.replace('%u', 'sw'));
    await importRosterCsv(h().deps, YUTANG, day.replace('%u', 'yt'));
    caseId = await submit();
    expect((await act(op, 'dispatch', { unitCode: YUTANG })).statusCode).toBe(200);
    expect((await act(yt, 'sign')).statusCode).toBe(200);
    await notes(yt);
    h().clock.advance(5 * 60_000); // 10:05 China time
  });

  it('escalate: the district leads, status 提级协调, and its on-duty staff are told', async () => {
    expect((await act(yt, 'escalate', {})).json().message).toMatch(/^reason: /);
    const r = await act(yt, 'escalate', { reason: '涉及水务、公安，需要区级协调' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'escalated', statusLabel: '提级协调', statusCategory: 'open', leadUnit: { code: DISTRICT } });
    expect(r.json().timeline.at(-1)).toMatchObject({ action: 'escalate', label: '提级协调', payload: { unitCode: DISTRICT, fromUnitCode: YUTANG } });
    expect((await notes(dh)).map((n) => [n.kind, n.caseId])).toEqual([['escalate', caseId]]);
    expect(r.json().allowedActions).not.toContain('hand_back');
    expect((await view(dh)).allowedActions).toEqual(expect.arrayContaining(['summon', 'hand_back', 'feedback']));
    expect((await act(yt, 'hand_back', { note: 'x' })).statusCode).toBe(403);
    expect((await act(yt, 'escalate', { reason: 'again' })).statusCode).toBe(409);
  });

  it('summon: each unit joins as a co-unit, owes a signature and its on-duty staff are told', async () => {
    const r = await act(dh, 'summon', { unitCodes: [SW, POLICE], reason: '吹哨：河道排污口整治' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().coUnits.map((u: { code: string }) => u.code)).toEqual([SW, POLICE]);
    expect((await notes(sw)).map((n) => n.kind)).toEqual(['summon']);
    expect((await notes(pol))).toEqual([]); // nobody rostered at the station
    const again = await act(dh, 'summon', { unitCodes: [POLICE], reason: '再次' });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toBe(`unitCodes.0: ${POLICE} is already summoned and has not signed yet`);
    expect((await act(dh, 'summon', { unitCodes: [DISTRICT], reason: 'x' })).json().message).toBe('unitCodes.0: is the lead unit');
    expect((await act(dh, 'summon', { unitCodes: ['999999'], reason: 'x' })).json().message).toMatch(/^unitCodes\.0: unknown unit/);
  });

  it('co_sign: a summoned unit signs once; others may not', async () => {
    expect((await view(sw)).allowedActions).toContain('co_sign');
    const r = await act(sw, 'co_sign', { note: '水务局已派员' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().timeline.at(-1)).toMatchObject({ action: 'co_sign', label: '联动签收', payload: { unitCode: SW } });
    expect(r.json().allowedActions).not.toContain('co_sign');
    expect((await act(sw, 'co_sign')).statusCode).toBe(403);
    expect((await act(yt, 'co_sign')).statusCode).toBe(403);
    expect((await act(sw, 'feedback', { message: '已排查排污口' })).statusCode).toBe(200);
    expect((await act(pol, 'co_sign')).statusCode).toBe(200);
  });

  it('hand_back: the street leads again, as it was; then it resolves', async () => {
    h().clock.advance(5 * 60_000); // 10:10
    const r = await act(dh, 'hand_back', { note: '已协调水务、公安联合整治，请街道跟进答复' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'signed', leadUnit: { code: YUTANG }, coUnits: [{ code: SW }, { code: POLICE }] });
    expect((await notes(yt)).map((n) => n.kind)).toEqual(['hand_back', 'dispatch']);
    expect((await act(dh, 'hand_back', { note: 'x' })).statusCode).toBe(409);
    expect((await act(yt, 'resolve', { reply: '排污口已封堵，河道已清淤' })).statusCode).toBe(200);
  });

  it('the top of the tree has nowhere to escalate', async () => {
    const id = await submit();
    await act(op, 'dispatch', { unitCode: YUTANG }, id);
    const opCity = await h().staff('opcity', 'operator', '4403');
    expect((await act(opCity, 'transfer', { unitCode: '4403', reason: '市级直办' }, id)).statusCode).toBe(200);
    expect((await act(city, 'sign', {}, id)).statusCode).toBe(200);
    const r = await act(city, 'escalate', { reason: 'x' }, id);
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('the lead unit has no higher level to escalate to');
  });

  it('the case view shows who is on duty now and who was while each clock ran', async () => {
    // The clock engine stores clock states on the case; here they are written by hand.
    const clocks = [
      { name: 'sign', run: 1, startedAt: '2026-11-27T02:00:00.000Z', metAt: '2026-11-27T02:00:00.000Z', cancelledAt: null },
      { name: 'resolve', run: 1, startedAt: '2026-11-27T02:00:00.000Z', metAt: null, cancelledAt: null },
    ];
    await h().deps.db.orm.execute(sql`update cases set clocks = ${JSON.stringify(clocks)}::jsonb where id = ${caseId}`);
    h().clock.advance(5 * 60_000); // 10:15
    const v = await view(yt);
    expect(v.duty.now).toMatchObject({ unitCode: YUTANG, onDuty: [{ user: { username: 'yt' } }] });
    expect(v.duty.clocks.map((c: { clock: string; running: boolean; to: string }) => [c.clock, c.running, c.to]))
      .toEqual([['sign', false, '2026-11-27T02:00:00.000Z'], ['resolve', true, '2026-11-27T02:15:00.000Z']]);
    const who = (c: { units: { unitCode: string; from: string; onDuty: { user: { username: string } }[] }[] }) =>
      c.units.map((u) => [u.unitCode, u.from, u.onDuty.map((s) => s.user.username)]);
    expect(who(v.duty.clocks[0])).toEqual([[YUTANG, '2026-11-27T02:00:00.000Z', ['yt']]]);
    // The street led, then the district while it coordinated, then the street again.
    expect(who(v.duty.clocks[1])).toEqual([
      [YUTANG, '2026-11-27T02:00:00.000Z', ['yt']],
      [DISTRICT, '2026-11-27T02:05:00.000Z', ['dh']],
      [YUTANG, '2026-11-27T02:10:00.000Z', ['yt']],
    ]);
  });

  it('a summoned unit gets its own sign clock: unsigned after 10 minutes it is breached, and it and its parent are told', async () => {
    const id = await submit();
    expect((await act(op, 'dispatch', { unitCode: YUTANG }, id)).statusCode).toBe(200);
    expect((await act(yt, 'sign', {}, id)).statusCode).toBe(200);
    expect((await act(yt, 'escalate', { reason: '需要区级协调' }, id)).statusCode).toBe(200);
    const r = await act(dh, 'summon', { unitCodes: [SW], reason: '吹哨：排污口整治' }, id);
    expect(r.statusCode, r.body).toBe(200);
    const co = `co_sign:${SW}`;
    type ClockView = { name: string; label: string; state: string; target: object; dueAt: string | null };
    const coClock = async () => ((await view(dh, id)).clocks as ClockView[]).find((c) => c.name === co);
    expect(await coClock()).toMatchObject({
      label: '协办签收 · 深圳市水务局', state: 'running', target: { amount: 10, unit: 'minutes' },
      dueAt: new Date(+h().clock.now + 10 * 60_000).toISOString(),
    });
    h().clock.advance(10 * 60_000);
    await sweep(h().deps, h().clock.now);
    expect((await coClock())?.state).toBe('breached');
    const v = await view(dh, id);
    const raised = (v.timeline as { action: string; payload: { clock: string; point: string } }[]).filter((e) => e.action.startsWith('clock_'));
    expect(raised.map((e) => [e.action, e.payload.clock, e.payload.point])).toEqual([
      ['clock_warning', co, 'warn:0.5'], ['clock_warning', co, 'warn:0.8'], ['clock_breach', co, 'breach'],
    ]);
    // The co-unit's on-duty staff, and (nobody on duty there) the staff of its parent, the city.
    const breaches = async (who: Auth) => (await notes(who)).filter((n) => n.caseId === id && n.kind === 'clock_breach');
    expect(await breaches(sw)).toHaveLength(1);
    expect(await breaches(city)).toHaveLength(1);
    expect(await breaches(yt)).toEqual([]);
    // (The first case's clocks were written by hand above; this one's agree with its events.)
    expect((await verifyClocks(h().deps)).mismatches.filter((m) => m.caseId === id)).toEqual([]);
  });
});
