/**
 * Clocks over HTTP with the test's clock (no sleeping): warnings and breaches raised by the
 * scanner exactly once (also with two scanners at once on PostgreSQL), their events on the
 * timeline and their notices in the outbox, pauses while pending, extensions, the `due` filters,
 * and `verifyClocks` agreeing with what every event stored.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyClocks } from '../src/app/recompute-clocks.ts';
import { makeWorkCalendar } from '../src/domain/work-calendar.ts';
import { makeChannels } from '../src/app/notify/index.ts';
import { sweep } from '../src/jobs/clock-scanner.job.ts';
import { sweepOutbox } from '../src/jobs/outbox-sender.job.ts';
import { rowsOf } from '../src/store/db.ts';
import { insertShifts } from '../src/store/rosters.queries.ts';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';
import { openSse } from './sse-client.ts';

const YUTANG = '440311005', GUANGMING_DISTRICT = '440311', SIBLING = '440311001';
const MIN = 60_000, HOUR = 60 * MIN;
type Auth = { authorization: string; id: string };
interface ClockView { name: string; state: string; dueAt: string | null; remainingMs: number | null; run: number; warnPoints: { fraction: number; at: string | null }[] }

describe.each(BACKENDS)('clocks on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000', SESSION_IDLE_MINUTES: '1000000' });
  let op: Auth, handler: Auth, streetLeader: Auth, leader: Auth, districtHandler: Auth, siblingLeader: Auth;

  const submit = async (body: object = {}) => {
    const r = await h().app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '小区门口路灯坏了，晚上出行不安全', type: 'complaint', unitCode: YUTANG, citizen: { phone: '13700002222' }, ...body },
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().caseId as string;
  };
  const act = async (who: Auth, id: string, action: string, payload: object = {}, status = 200) => {
    const r = await h().app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/${action}`, headers: { authorization: who.authorization }, payload });
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };
  const view = async (id: string, who: Auth = op) => {
    const r = await h().app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers: { authorization: who.authorization } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { clocks: ClockView[]; supervised: boolean; due: string | null; timeline: { action: string; payload: Record<string, unknown>; actor: { role: string; name: string | null } }[] };
  };
  const clock = async (id: string, name: string) => (await view(id)).clocks.find((c) => c.name === name)!;
  const points = (id: string) => rowsOf<{ clock: string; run: number; point: string; late: boolean; due_at: string | Date; fired_at: string | Date }>(h().deps.db.orm,
    sql`select clock, run, point, late, due_at, fired_at from clock_points where case_id = ${id} order by due_at, point`);
  const clockEvents = (id: string) => rowsOf<{ action: string; payload: Record<string, unknown>; at: Date }>(h().deps.db.orm,
    sql`select action, payload, at from case_events where case_id = ${id} and action like 'clock_%' order by seq`);
  const run = (at = h().clock.now) => sweep(h().deps, at, { batch: 3 });
  /** A case dispatched to 玉塘街道 now. */
  const dispatched = async (body: object = {}) => {
    const id = await submit(body);
    await act(op, id, 'dispatch', { unitCode: YUTANG });
    return id;
  };

  it('sets up staff: the street handles, its district is the parent', async () => {
    op = await h().staff('op', 'operator', '4403');
    handler = await h().staff('h.yutang', 'handler', YUTANG);
    streetLeader = await h().staff('l.yutang', 'leader', YUTANG);
    leader = await h().staff('l.district', 'leader', GUANGMING_DISTRICT);
    districtHandler = await h().staff('h.district', 'handler', GUANGMING_DISTRICT);
    siblingLeader = await h().staff('l.sibling', 'leader', SIBLING);
  });

  it('warns at 5 and 8 minutes and breaches the sign clock at 10, each once, on time', async () => {
    const { clock: t } = h();
    const id = await dispatched();
    const start = +t.now;
    t.advance(5 * MIN - 1);
    await run();
    expect(await points(id)).toEqual([]);
    t.advance(1);
    await run();
    expect((await points(id)).map((p) => [p.point, p.late])).toEqual([['warn:0.5', false]]);
    expect((await clock(id, 'sign')).state).toBe('warned');
    t.advance(3 * MIN);
    await run();
    t.advance(2 * MIN);
    await run();
    await run();
    const fired = await points(id);
    expect(fired.map((p) => [p.clock, p.run, p.point, p.late, +new Date(p.due_at) - start])).toEqual([
      ['sign', 1, 'warn:0.5', false, 5 * MIN], ['sign', 1, 'warn:0.8', false, 8 * MIN], ['sign', 1, 'breach', false, 10 * MIN],
    ]);
    expect(fired.every((p) => +new Date(p.fired_at) >= +new Date(p.due_at))).toBe(true);
    expect((await clockEvents(id)).map((e) => [e.action, e.payload.point, e.payload.late])).toEqual([
      ['clock_warning', 'warn:0.5', false], ['clock_warning', 'warn:0.8', false], ['clock_breach', 'breach', false],
    ]);
  });

  it('a case left unsigned for 10 minutes shows a breached sign clock after one sweep, its breach on the timeline, notices to the street and its district', async () => {
    const { clock: t, deps } = h();
    const id = await dispatched();
    t.advance(10 * MIN);
    await run();
    const v = await view(id);
    expect(v.clocks.find((c) => c.name === 'sign')).toMatchObject({ state: 'breached', remainingMs: 0 });
    const breach = v.timeline.find((e) => e.action === 'clock_breach')!;
    expect(breach).toMatchObject({ payload: { clock: 'sign', run: 1, point: 'breach', late: false }, actor: { role: 'system', name: '系统' } });
    // The warnings were due 5 and 2 minutes before this sweep: raised too, marked late.
    expect((await points(id)).map((p) => [p.point, p.late])).toEqual([['warn:0.5', true], ['warn:0.8', true], ['breach', false]]);
    const outbox = await rowsOf<{ recipient: string; dedupe_key: string; payload: { kind: string; caseId: string } }>(deps.db.orm,
      sql`select recipient, dedupe_key, payload from outbox where dedupe_key like ${`clock:${id}:%`} and channel = 'inapp' order by dedupe_key`);
    // No roster yet: the handlers and leaders of the street and of its district are told.
    expect(outbox.map((o) => o.recipient).sort()).toEqual([handler.id, streetLeader.id, leader.id, districtHandler.id].sort());
    expect(outbox.every((o) => o.payload.kind === 'clock_breach' && o.payload.caseId === id)).toBe(true);
    expect(outbox.map((o) => o.dedupe_key)).toContain(`clock:${id}:sign:1:breach:${GUANGMING_DISTRICT}:inapp:${leader.id}`);
    // Delivered by the outbox sender, they become in-app notifications.
    const notify = makeChannels(deps);
    try {
      while ((await sweepOutbox(deps, notify.channels, { batch: 200 })).claimed > 0);
    } finally {
      notify.close();
    }
    const inbox = await rowsOf<{ user_id: string }>(deps.db.orm, sql`select user_id from notifications where case_id = ${id} and kind = 'clock_breach'`);
    expect(inbox.map((n) => n.user_id).sort()).toEqual([handler.id, streetLeader.id, leader.id, districtHandler.id].sort());
    expect(v.supervised).toBe(false);
    await run();
    t.advance(MIN);
    await run();
    expect((await clockEvents(id)).filter((e) => e.action === 'clock_breach')).toHaveLength(1);
  });

  it('tells whoever the roster puts on duty, where a unit has one', async () => {
    const { clock: t, deps } = h();
    await insertShifts(deps.db.orm, GUANGMING_DISTRICT, [{ userId: districtHandler.id, startsAt: t.now, endsAt: new Date(+t.now + 12 * HOUR), label: null }]);
    const id = await dispatched();
    t.advance(10 * MIN);
    await run();
    const told = await rowsOf<{ recipient: string; dedupe_key: string }>(deps.db.orm,
      sql`select recipient, dedupe_key from outbox where dedupe_key like ${`clock:${id}:sign:1:breach:%`} and channel = 'inapp'`);
    const byUnit = (unit: string) => told.filter((o) => o.dedupe_key.includes(`:breach:${unit}:`)).map((o) => o.recipient).sort();
    expect(byUnit(GUANGMING_DISTRICT)).toEqual([districtHandler.id]);
    expect(byUnit(YUTANG)).toEqual([handler.id, streetLeader.id].sort());
  });

  it('a sign breach reaches the parent unit\'s on-duty member live over SSE', async () => {
    const { clock: t, deps, app } = h();
    await insertShifts(deps.db.orm, GUANGMING_DISTRICT, [{ userId: districtHandler.id, startsAt: t.now, endsAt: new Date(+t.now + 12 * HOUR), label: null }]);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await openSse(`${base}/api/v1/notifications/stream`, { authorization: districtHandler.authorization });
    try {
      const id = await dispatched();
      t.advance(10 * MIN);
      await run();
      const notify = makeChannels(deps);
      try {
        while ((await sweepOutbox(deps, notify.channels, { batch: 200 })).claimed > 0);
      } finally {
        notify.close();
      }
      let e = await stream.next(10_000);
      while (JSON.parse(e.data).caseId !== id || JSON.parse(e.data).kind !== 'clock_breach') e = await stream.next(10_000);
      expect(e.event).toBe('notification');
      expect(JSON.parse(e.data)).toMatchObject({ userId: districtHandler.id, caseId: id, kind: 'clock_breach' });
      expect((await view(id)).clocks.find((c) => c.name === 'sign')).toMatchObject({ state: 'breached' });
    } finally {
      stream.close();
    }
  });

  it('lists overdue and soon-due cases', async () => {
    const { clock: t, app } = h();
    const late = await dispatched();
    t.advance(9 * MIN);
    const soon = await dispatched();
    t.advance(9 * MIN);
    const fresh = await dispatched();
    await run();
    const list = async (due: string) => {
      const r = await app.inject({ method: 'GET', url: `/api/v1/cases?due=${due}&limit=200`, headers: { authorization: op.authorization } });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as { id: string; due: string | null }[]);
    };
    const overdue = await list('overdue');
    expect(overdue.map((c) => c.id)).toContain(late);
    expect(overdue.map((c) => c.id)).not.toContain(soon);
    expect(overdue.every((c) => c.due === 'overdue')).toBe(true);
    const dueSoon = (await list('soon')).map((c) => c.id);
    // 8 of its 10 minutes gone: past the 80 % point. The fresh case's sign clock is due in 10 minutes too: within 2 h.
    expect(dueSoon).toContain(soon);
    expect(dueSoon).toContain(fresh);
    expect(dueSoon).not.toContain(late);
    expect((await h().app.inject({ method: 'GET', url: '/api/v1/cases?due=later', headers: { authorization: op.authorization } })).statusCode).toBe(400);
  });

  it('pending pauses the clocks: nothing breaches while waiting, the due time moves by the pause', async () => {
    const { clock: t } = h();
    const id = await dispatched({ urgency: 'urgent' });
    const accepted = +t.now;
    t.advance(MIN);
    await act(handler, id, 'sign');
    await act(handler, id, 'contact', { method: 'phone', note: '已联系' });
    await act(handler, id, 'feedback', { message: '正在处理' });
    expect(new Date((await clock(id, 'resolve')).dueAt!).getTime()).toBe(accepted + 24 * HOUR);
    t.advance(HOUR);
    await act(handler, id, 'pend', { reason: '等待诉求人补充照片' });
    t.advance(3 * 24 * HOUR);
    await run();
    const paused = await clock(id, 'resolve');
    expect(paused).toMatchObject({ state: 'paused', dueAt: null });
    expect((await points(id)).filter((p) => p.clock === 'resolve')).toEqual([]);
    await act(handler, id, 'resume');
    expect(new Date((await clock(id, 'resolve')).dueAt!).getTime()).toBe(accepted + 24 * HOUR + 3 * 24 * HOUR);
  });

  it('an approved extension moves the resolve due time; limits, refusals and who decides', async () => {
    const { clock: t } = h();
    const id = await dispatched();
    await act(handler, id, 'sign');
    const before = new Date((await clock(id, 'resolve')).dueAt!);
    await act(handler, id, 'extend', { clock: 'resolve', amount: 8, unit: 'days', reason: '需协调多部门' }, 400);
    await act(handler, id, 'extend', { clock: 'sign', amount: 1, unit: 'days', reason: '—' }, 400);
    await act(leader, id, 'approve_extension', {}, 409);
    await act(handler, id, 'extend', { clock: 'resolve', amount: 2, unit: 'days', reason: '需协调多部门' });
    await act(handler, id, 'extend', { clock: 'resolve', amount: 1, unit: 'days', reason: '再次申请' }, 409);
    await act(siblingLeader, id, 'approve_extension', {}, 404);
    await act(handler, id, 'approve_extension', {}, 403);
    await act(leader, id, 'refuse_extension', { reason: '时限内可以办结' });
    expect(new Date((await clock(id, 'resolve')).dueAt!)).toEqual(before);
    await act(handler, id, 'extend', { clock: 'resolve', amount: 3, unit: 'days', reason: '需协调多部门' });
    t.advance(MIN);
    const approved = await act(leader, id, 'approve_extension', { note: '同意' });
    const resolve = approved.clocks.find((c: ClockView) => c.name === 'resolve') as ClockView & { extensions: unknown[] };
    expect(resolve.extensions).toEqual([{ amount: 3, unit: 'days' }]);
    expect(new Date(resolve.dueAt!)).toEqual(makeWorkCalendar().addWorkingDays(before, 3));
    expect(approved.timeline.map((e: { action: string }) => e.action)).toContain('extend_approved');
    await act(handler, id, 'extend', { clock: 'resolve', amount: 1, unit: 'days', reason: '还需延期' }, 400);
  });

  it('a resolution breach puts the case under supervision and tells the leaders', async () => {
    const { clock: t, deps } = h();
    const id = await dispatched({ urgency: 'emergency' });
    await act(handler, id, 'sign');
    t.advance(2 * HOUR);
    await run();
    expect((await view(id)).supervised).toBe(true);
    const notices = await rowsOf<{ recipient: string }>(deps.db.orm,
      sql`select recipient from outbox where dedupe_key like ${`clock:${id}:resolve:%`} and channel = 'inapp'`);
    expect(notices.map((n) => n.recipient)).toEqual([streetLeader.id]);
  });

  it('a point with a clock_points row but no event (a tampered log) is never raised twice and holds up no other case', async () => {
    const { clock: t, deps } = h();
    const stuck = await dispatched();
    const other = await dispatched();
    await deps.db.orm.execute(sql`insert into clock_points (case_id, clock, run, point, due_at, fired_at, late)
      values (${stuck}, 'sign', 1, 'warn:0.5', ${t.now.toISOString()}, ${t.now.toISOString()}, false)`);
    t.advance(5 * MIN);
    await run();
    expect(await clockEvents(stuck)).toEqual([]);
    expect((await clockEvents(other)).map((e) => e.payload.point)).toEqual(['warn:0.5']);
    t.advance(3 * MIN);
    await run();
    expect((await clockEvents(stuck)).map((e) => e.payload.point)).toEqual(['warn:0.8']);
    await act(handler, stuck, 'sign');
    await act(handler, other, 'sign');
  });

  it('what every event stored equals what the events say; a hand-edited clock is reported', async () => {
    const { deps } = h();
    const ok = await verifyClocks(deps);
    expect(ok.cases).toBeGreaterThan(5);
    expect(ok.mismatches).toEqual([]);
    const [c] = await rowsOf<{ id: string }>(deps.db.orm, sql`select id from cases where status_category <> 'closed' order by id limit 1`);
    await deps.db.orm.execute(sql`update cases set clocks = jsonb_set(clocks, '{0,targetMs}', '1') where id = ${c!.id}`);
    const bad = await verifyClocks(deps);
    expect(bad.mismatches.map((m) => [m.caseId, m.field])).toEqual([[c!.id, 'clocks']]);
  });
});

describe('two scanners at once on postgres', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '1000' });

  it('raise each point exactly once', async () => {
    const { app, clock: t, deps, staff } = h();
    const op = await staff('op', 'operator', '4403');
    await staff('h.yutang', 'handler', YUTANG);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: `第${i}件：路灯坏了很久了`, unitCode: YUTANG, citizen: { anonymous: true } } });
      const id = r.json().caseId as string;
      await app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions/dispatch`, headers: { authorization: op.authorization }, payload: { unitCode: YUTANG } });
      ids.push(id);
    }
    t.advance(10 * MIN);
    const [a, b] = await Promise.all([sweep(deps, t.now, { batch: 2 }), sweep(deps, t.now, { batch: 2 })]);
    expect(a.raised + b.raised).toBe(12 * 3);
    const perCase = await rowsOf<{ case_id: string; breaches: number; warnings: number }>(deps.db.orm, sql`
      select case_id, count(*) filter (where action = 'clock_breach')::int as breaches, count(*) filter (where action = 'clock_warning')::int as warnings
      from case_events where action like 'clock_%' group by case_id`);
    expect(perCase).toHaveLength(12);
    expect(perCase.every((r) => r.breaches === 1 && r.warnings === 2)).toBe(true);
    const again = await Promise.all([sweep(deps, t.now), sweep(deps, t.now)]);
    expect(again[0].raised + again[1].raised).toBe(0);
    expect((await verifyClocks(deps)).mismatches).toEqual([]);
  });
});
