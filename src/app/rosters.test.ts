/**
 * Rosters against a real database: the on-duty query, saving shifts all or nothing, CSV import
 * errors naming their lines, and (PostgreSQL) two concurrent imports that would overlap.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useApp } from '../../test/app-harness.ts';
import { BACKENDS } from '../../test/db.ts';
import type { Actor } from '../domain/actor.ts';
import { rowsOf } from '../store/db.ts';
import { onDutyUserIds } from '../store/rosters.queries.ts';
import { rosterText } from '../cli/roster.ts';
import { addShifts, deleteShift, importRosterCsv, whoIsOnDuty } from './rosters.ts';

const YUTANG = '440311005', MATIAN = '440311006';
const at = (local: string) => new Date(`${local}+08:00`);

describe.each(BACKENDS)('rosters on %s', (kind) => {
  const h = useApp(kind);
  let alice = '', bob = '', op: Actor;

  it('sets up people', async () => {
    alice = (await h().staff('alice', 'handler', YUTANG)).id;
    bob = (await h().staff('bob', 'handler', YUTANG)).id;
    await h().staff('root', 'admin', '4403');
    op = { kind: 'staff', id: (await h().staff('op', 'operator', '440311')).id, role: 'operator', unitCode: '440311' };
  });

  it('onDutyUserIds returns whoever covers the instant, start inclusive, end exclusive', async () => {
    const { deps } = h();
    await importRosterCsv(deps, YUTANG, [
      'username,starts_at,ends_at,label',
      'alice,2026-12-01 08:00,2026-12-01 16:00,一班',
      'bob,2026-12-01 16:00,2026-12-02 00:00,二班',
      'bob,2026-12-01 08:00,2026-12-01 12:00,',
    ].join('\n'));
    const orm = deps.db.orm;
    expect(await onDutyUserIds(orm, YUTANG, at('2026-12-01T07:59:59'))).toEqual([]);
    expect((await onDutyUserIds(orm, YUTANG, at('2026-12-01T08:00:00'))).sort()).toEqual([alice, bob].sort());
    expect(await onDutyUserIds(orm, YUTANG, at('2026-12-01T12:00:00'))).toEqual([alice]);
    expect(await onDutyUserIds(orm, YUTANG, at('2026-12-01T16:00:00'))).toEqual([bob]);
    expect(await onDutyUserIds(orm, MATIAN, at('2026-12-01T12:00:00'))).toEqual([]);
    // A disabled account is nobody's duty.
    await orm.execute(sql`update users set disabled = true where id = ${bob}`);
    expect(await onDutyUserIds(orm, YUTANG, at('2026-12-01T17:00:00'))).toEqual([]);
    await orm.execute(sql`update users set disabled = false where id = ${bob}`);
    const view = await whoIsOnDuty(deps, op, YUTANG, at('2026-12-01T09:00:00'));
    expect(view.onDuty.map((s) => [s.user.username, s.label])).toEqual([['alice', '一班'], ['bob', null]]);
  });

  it('a CSV with problems names every line and saves nothing', async () => {
    const { deps } = h();
    const count = async () => Number((await rowsOf<{ n: string }>(deps.db.orm, sql`select count(*) as n from duty_shifts`))[0]!.n);
    const before = await count();
    const csv = [
      'username,starts_at,ends_at,label',
      'alice,2026-12-03 08:00,2026-12-03 16:00,fine',
      'nobody,2026-12-03 08:00,2026-12-03 16:00,',
      'alice,2026-12-01 10:00,2026-12-01 18:00,',
      'bob,2026-12-03 08:00,yesterday,',
      'root,2026-12-03 08:00,2026-12-03 16:00,',
      'alice,2026-12-03 15:00,2026-12-03 20:00,',
    ].join('\n');
    const err = await importRosterCsv(deps, YUTANG, csv).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'bad_input' });
    expect((err as Error).message.split('\n')).toEqual([
      'line 3: username: no account named nobody',
      "line 4: starts_at: overlaps the same person's shift 2026-12-01 08:00–2026-12-01 16:00 at 440311005",
      "line 5: ends_at: not a time: 'yesterday' (use 2026-11-27 16:00 or an ISO datetime with a zone)",
      'line 6: username: root is an admin, who stands no duty',
      'line 7: starts_at: overlaps shift #1 of the same person in this batch',
    ]);
    expect(await count()).toBe(before);
    await expect(importRosterCsv(deps, '999999', csv)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('templates go through the same checks; only operators and leaders above manage; started shifts stay', async () => {
    const { deps } = h();
    const r = await addShifts(deps, op, MATIAN, { template: { kind: 'three_8h', date: '2026-12-05', start: '08:00', days: 1, usernames: ['alice', 'bob'] } });
    expect(r.shifts.map((s) => [s.user.username, s.label])).toEqual([['alice', '一班'], ['bob', '二班'], ['alice', '三班']]);
    await expect(addShifts(deps, op, YUTANG, { shifts: [{ username: 'alice', startsAt: at('2026-12-05T12:00:00'), endsAt: at('2026-12-05T13:00:00') }] }))
      .rejects.toThrow(/^shifts\.0\.startsAt: overlaps the same person's shift 2026-12-05 08:00–2026-12-05 16:00 at 440311006$/);
    const handler: Actor = { kind: 'staff', id: alice, role: 'handler', unitCode: YUTANG };
    await expect(addShifts(deps, handler, YUTANG, { shifts: [{ username: 'alice', startsAt: at('2026-12-09T08:00:00'), endsAt: at('2026-12-09T09:00:00') }] }))
      .rejects.toMatchObject({ code: 'forbidden' });
    h().clock.now = at('2026-12-05T09:00:00');
    await expect(deleteShift(deps, op, MATIAN, r.shifts[0]!.id)).rejects.toMatchObject({ code: 'conflict' });
    await deleteShift(deps, op, MATIAN, r.shifts[1]!.id);
    await expect(deleteShift(deps, op, MATIAN, r.shifts[1]!.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await rosterText(deps, MATIAN)).toBe([
      '马田街道 440311006 — on duty at 2026-12-05 09:00 (China time):',
      '  2026-12-05 08:00 – 2026-12-05 16:00  alice            alice  (一班)',
      'starting in the next 24 hours:',
      '  2026-12-06 00:00 – 2026-12-06 08:00  alice            alice  (三班)',
    ].join('\n'));
  });

  if (kind === 'postgres') {
    it('two concurrent imports of overlapping shifts: one wins, the other names the overlap', async () => {
      const { deps } = h();
      const csv = (label: string) => `username,starts_at,ends_at,label\nbob,2026-12-20 08:00,2026-12-20 16:00,${label}\n`;
      const results = await Promise.allSettled([importRosterCsv(deps, YUTANG, csv('a')), importRosterCsv(deps, MATIAN, csv('b'))]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason.message).toMatch(/^line 2: starts_at: overlaps the same person's shift 2026-12-20 08:00–2026-12-20 16:00/);
    });
  }
});
