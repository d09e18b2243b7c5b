/**
 * KPI rollups under concurrency on PostgreSQL: events on many cases at once, folds and a rebuild
 * running at the same time; afterwards the rollups equal a fresh rebuild and every case counted
 * exactly once.
 */
import { describe, expect, it } from 'vitest';
import { foldRollups, rebuildRollups } from '../src/app/kpi-rollups.ts';
import { allRollups } from '../src/store/kpi.queries.ts';
import { useApp } from './app-harness.ts';

const STREETS = ['440311005', '440311001', '440311002'];

describe('KPI rollups under concurrency on postgres', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '10000' });

  it('events, folds and a rebuild at once leave the rollups equal to a rebuild', async () => {
    const { app, deps } = h();
    const op = await h().staff('op.c', 'operator', '4403');
    const one = async (i: number) => {
      const r = await app.inject({
        method: 'POST', url: '/api/v1/requests',
        payload: { content: `第${i}号诉求：小区门口积水严重`, type: i % 5 === 0 ? 'praise' : 'complaint', unitCode: STREETS[i % 3], citizen: { phone: `1381234${String(i).padStart(4, '0')}` } },
      });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().caseId as string;
      const d = await app.inject({
        method: 'POST', url: `/api/v1/cases/${id}/actions/dispatch`, headers: { authorization: op.authorization }, payload: { unitCode: STREETS[(i + 1) % 3] },
      });
      expect(d.statusCode, d.body).toBe(200);
    };
    let stop = false;
    const folding = (async () => {
      while (!stop) {
        await foldRollups(deps.db, 7);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => one(i)),
        (async () => {
          await new Promise((r) => setTimeout(r, 50));
          await rebuildRollups(deps);
        })(),
      ]);
    } finally {
      stop = true;
      await folding;
    }
    await foldRollups(deps.db);
    const folded = await allRollups(deps.db.orm);
    const city = folded.rollups.filter((r) => r.unitCode === '4403');
    expect(city.reduce((n, r) => n + r.received, 0)).toBe(60);
    expect(city.reduce((n, r) => n + r.dispatched, 0)).toBe(60);
    expect(folded.rollups.every((r) => r.received > 0)).toBe(true);
    expect(folded.mix.every((r) => r.accepted > 0)).toBe(true);
    const r = await rebuildRollups(deps);
    expect(r).toMatchObject({ cases: 60, changed: 0 });
    expect(await allRollups(deps.db.orm)).toEqual(folded);
  });
});
