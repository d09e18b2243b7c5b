/**
 * Administering the clocks over HTTP: the policies (admin only; replacing them recomputes the open
 * cases), the calendar overrides, and the warning for deadlines in a year with no published
 * holiday calendar.
 */
import { describe, expect, it } from 'vitest';
import { verifyClocks } from '../src/app/recompute-clocks.ts';
import { DEFAULT_POLICIES } from '../src/domain/clock-policy.ts';
import { useApp } from './app-harness.ts';

const YUTANG = '440311005';
const MIN = 60_000;
type Auth = { authorization: string };

describe('clock administration on pglite', () => {
  const h = useApp('pglite', { PUBLIC_RATE_LIMIT: '1000', SESSION_IDLE_MINUTES: '1000000' });
  let admin: Auth, op: Auth, handler: Auth;
  const req = (method: 'GET' | 'PUT' | 'POST', url: string, who: Auth | null, payload?: object) =>
    h().app.inject({ method, url, headers: who ?? {}, ...(payload ? { payload } : {}) });
  const dispatched = async () => {
    const r = await req('POST', '/api/v1/requests', null, { content: '小区垃圾清运不及时', unitCode: YUTANG, citizen: { anonymous: true } });
    const id = r.json().caseId as string;
    expect((await req('POST', `/api/v1/cases/${id}/actions/dispatch`, op, { unitCode: YUTANG })).statusCode).toBe(200);
    return id;
  };
  const dueOf = async (id: string, clock: string) =>
    ((await req('GET', `/api/v1/cases/${id}`, op)).json().clocks as { name: string; dueAt: string }[]).find((c) => c.name === clock)!.dueAt;

  it('lists the shipped policies to the admin only', async () => {
    admin = await h().staff('root', 'admin', '4403');
    op = await h().staff('op', 'operator', '4403');
    handler = await h().staff('h', 'handler', YUTANG);
    const r = await req('GET', '/api/v1/admin/clock-policies', admin);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ defaults: true, policies: DEFAULT_POLICIES.map((p) => ({ id: p.id })) });
    expect((await req('GET', '/api/v1/admin/clock-policies', handler)).statusCode).toBe(403);
    expect((await req('GET', '/api/v1/admin/calendar/warnings', op)).statusCode).toBe(403);
    expect((await req('GET', '/api/v1/admin/clock-policies', null)).statusCode).toBe(401);
    const docs = await req('GET', '/docs/json', null);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining([
      '/api/v1/admin/clock-policies', '/api/v1/admin/calendar-overrides', '/api/v1/admin/calendar/warnings',
    ]));
  });

  it('refuses a list without a fallback or with a bad clock, naming the field', async () => {
    const noFallback = DEFAULT_POLICIES.slice(0, -1);
    const r = await req('PUT', '/api/v1/admin/clock-policies', admin, { policies: noFallback });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/last policy must match every case/);
    const bad = structuredClone(DEFAULT_POLICIES) as unknown as { clocks: { target: { amount: number } }[] }[];
    bad[1]!.clocks[0]!.target.amount = -1;
    const r2 = await req('PUT', '/api/v1/admin/clock-policies', admin, { policies: bad });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().message).toMatch(/^policies\.1\.clocks\.0\.target\.amount: /);
  });

  it('replacing the policies recomputes the open cases', async () => {
    const id = await dispatched();
    const dispatchedAt = +h().clock.now;
    expect(Date.parse(await dueOf(id, 'sign'))).toBe(dispatchedAt + 10 * MIN);
    const policies = structuredClone(DEFAULT_POLICIES) as unknown as { id: string; clocks: { name: string; target: { amount: number } }[] }[];
    policies.find((p) => p.id === 'general')!.clocks.find((c) => c.name === 'sign')!.target.amount = 20;
    const r = await req('PUT', '/api/v1/admin/clock-policies', admin, { policies });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().recomputed).toBeGreaterThanOrEqual(1);
    expect(Date.parse(await dueOf(id, 'sign'))).toBe(dispatchedAt + 20 * MIN);
    expect((await req('GET', '/api/v1/admin/clock-policies', admin)).json().defaults).toBe(false);
    expect((await verifyClocks(h().deps)).mismatches).toEqual([]);
  });

  it('warns about deadlines counted over an unpublished year until its holidays are loaded', async () => {
    const { clock } = h();
    clock.now = new Date('2026-12-28T02:00:00Z');
    const id = await dispatched();
    const before = await dueOf(id, 'resolve');
    expect(before.slice(0, 4)).toBe('2027');
    const w = await req('GET', '/api/v1/admin/calendar/warnings', admin);
    expect(w.statusCode).toBe(200);
    expect(w.json().years).toMatchObject([{ year: 2027 }]);

    expect((await req('POST', '/api/v1/admin/calendar-overrides', admin, { date: '2027-02-30', kind: 'holiday' })).statusCode).toBe(400);
    expect((await req('POST', '/api/v1/admin/calendar-overrides', admin, { date: '2027-01-01', kind: 'rest' })).statusCode).toBe(400);
    const added = await req('POST', '/api/v1/admin/calendar-overrides', admin, { date: '2027-01-01', kind: 'holiday', name: '元旦' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().recomputed).toBeGreaterThanOrEqual(1);
    expect((await req('GET', '/api/v1/admin/calendar-overrides', admin)).json().overrides).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect((await req('GET', '/api/v1/admin/calendar/warnings', admin)).json().years).toEqual([]);
    // 2027 counted weekends only before; New Year's Day off now pushes the due time one working day on.
    expect(Date.parse(await dueOf(id, 'resolve')) - Date.parse(before)).toBe(24 * 60 * MIN);
    expect((await verifyClocks(h().deps)).mismatches).toEqual([]);
  });
});
