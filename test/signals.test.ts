/**
 * Weak signals over HTTP: a street receives a steady trickle of street-light complaints for two
 * weeks (the clock moved day by day, the KPI deltas folded), then twelve in one day. The street's
 * leader sees one alert with its explanation; the district's leader sees it too (and the district's
 * own series rising); a sibling district's leader and the admin see none; the day before shows
 * nothing; the leaders are notified once however often the run repeats.
 */
import { like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { foldRollups } from '../src/app/kpi-rollups.ts';
import { runSignals } from '../src/app/signals.ts';
import { outbox } from '../src/store/schema.ts';
import { useApp } from './app-harness.ts';

const DISTRICT = '440311', YUTANG = '440311005', FUTIAN = '440304';
const DAY = '2026-11-27';
type Auth = { authorization: string; id: string };

describe('weak signals on postgres', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '1000' });
  const PLACES = ['田寮社区', '玉塘社区', '红星社区', '长圳社区', '马山头社区', '塘尾社区'];
  let n = 0;
  let street: Auth, district: Auth;
  const submit = async (payload: object = {}) => {
    n++;
    const r = await h().app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: {
        content: `${PLACES[n % PLACES.length]}第${n}号路灯不亮，已经${n % 5 + 2}天了，请尽快维修`, type: 'complaint', category: 'streetlight',
        unitCode: YUTANG, citizen: { phone: `138${String(10_000_000 + n).slice(-8)}` }, ...payload,
      },
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  const get = async (who: Auth, url: string) => {
    const r = await h().app.inject({ method: 'GET', url, headers: { authorization: who.authorization } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('a baseline over two weeks, then a spike of twelve: one alert for the street and category, explained', async () => {
    const end = h().clock.now.getTime();
    // 0–2 a day for the 14 days before, at 10:00 China time.
    const pattern = [1, 0, 2, 1, 0, 1, 1, 2, 0, 1, 1, 0, 2, 1];
    for (let d = 14; d >= 1; d--) {
      h().clock.now = new Date(end - d * 86_400_000);
      for (let i = 0; i < pattern[14 - d]!; i++) await submit();
      await foldRollups(h().deps.db);
    }
    h().clock.now = new Date(end);
    for (let i = 0; i < 12; i++) await submit();
    await foldRollups(h().deps.db);

    street = await h().staff('leader.yutang', 'leader', YUTANG);
    district = await h().staff('leader.gm', 'leader', DISTRICT);
    const futian = await h().staff('leader.ft', 'leader', FUTIAN);
    const admin = await h().staff('admin', 'admin', '4403');

    const s = await get(street, `/api/v1/intel/signals?day=${DAY}`);
    expect(s).toMatchObject({ day: DAY, windowDays: 28, from: '2026-10-30', to: '2026-11-26' });
    expect(s.alerts).toHaveLength(1);
    const [a] = s.alerts;
    const baseline = pattern.reduce((x, y) => x + y, 0) / 28;
    expect(a).toMatchObject({ unitCode: YUTANG, category: 'streetlight', day: DAY, count: 12, unit: { code: YUTANG, kind: 'street' } });
    expect(a.baseline).toBeCloseTo(baseline, 10);
    expect(a.threshold).toBeLessThanOrEqual(12);
    expect(a.score).toBeGreaterThan(3);
    expect(a.explanation).toContain(`近28日日均 ${baseline.toFixed(1)} 件，今日 12 件，超出`);
    expect(a.explanation).toContain(a.categoryName);

    // The district's leader sees the street's alert (and the district's own series, the same cases).
    const d = await get(district, `/api/v1/intel/signals?day=${DAY}`);
    expect(d.alerts.map((x: { unitCode: string; category: string }) => [x.unitCode, x.category]).sort())
      .toEqual([[DISTRICT, 'streetlight'], [YUTANG, 'streetlight']]);

    expect((await get(futian, `/api/v1/intel/signals?day=${DAY}`)).alerts).toEqual([]);
    expect((await get(admin, `/api/v1/intel/signals?day=${DAY}`)).alerts).toEqual([]);
    // The day before was within its baseline; default day is today.
    expect((await get(street, '/api/v1/intel/signals?day=2026-11-26')).alerts).toEqual([]);
    expect((await get(street, '/api/v1/intel/signals')).alerts).toHaveLength(1);
  });

  it('a unit outside the scope is 404; a bad day is 400', async () => {
    const futian = await h().staff('leader.ft2', 'leader', FUTIAN);
    const r = await h().app.inject({ method: 'GET', url: `/api/v1/intel/signals?unitCode=${YUTANG}`, headers: { authorization: futian.authorization } });
    expect(r.statusCode).toBe(404);
    const b = await h().app.inject({ method: 'GET', url: '/api/v1/intel/signals?day=2026-13-01', headers: { authorization: futian.authorization } });
    expect(b.statusCode).toBe(400);
  });

  it('notifies the leaders of the alerted units once per unit, category and day', async () => {
    const first = await runSignals(h().deps, { day: DAY, notify: true });
    expect(first.alerts.map((a) => a.unitCode).sort()).toEqual([DISTRICT, YUTANG]);
    expect(first.notified).toBe(2); // leader.yutang for the street, leader.gm for the district (in-app)
    const again = await runSignals(h().deps, { day: DAY, notify: true });
    expect(again.notified).toBe(0);
    const rows = await h().deps.db.orm.select().from(outbox).where(like(outbox.dedupeKey, 'signal:%'));
    expect(rows.map((r) => r.dedupeKey).sort()).toEqual([
      `signal:${DISTRICT}:streetlight:${DAY}:inapp:${district.id}`,
      `signal:${YUTANG}:streetlight:${DAY}:inapp:${street.id}`,
    ].sort());
    expect(rows.every((r) => r.channel === 'inapp' && (r.payload as { kind: string }).kind === 'weak_signal')).toBe(true);
  });
});
