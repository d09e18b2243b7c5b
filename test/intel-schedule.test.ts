/**
 * The scheduled intel work as `serve` runs it (src/jobs/intel.job.ts), one step at a time with the
 * test's clock: the weak-signals check runs at once and then every interval; a category corrected
 * by staff is learnt by the day's retraining (the first check after 02:00 China time), once a day.
 */
import { describe, expect, it } from 'vitest';
import { trainModel } from '../src/app/intel/models.ts';
import { readLabelledCsv } from '../src/intel/csv.ts';
import { intelStep, type IntelScheduleState } from '../src/jobs/intel.job.ts';
import { activeModelId, getModelTraining } from '../src/store/intel.queries.ts';
import { caseLshKeys } from '../src/store/schema.ts';
import { eq } from 'drizzle-orm';
import { useApp } from './app-harness.ts';
import { BACKENDS } from './db.ts';

const MESSAGES = new URL('../../shared/data/msgabench-citizen-messages.csv', import.meta.url);
const OPTS = { retrainHour: 2, signalsEveryMs: 3_600_000 };

describe.each(BACKENDS)('scheduled intel on %s', (kind) => {
  const h = useApp(kind, { PUBLIC_RATE_LIMIT: '1000' });

  it('checks signals through the day and retrains at night with the corrections', async () => {
    // The harness clock reads 2026-11-27 10:00 China time.
    const samples = readLabelledCsv(MESSAGES, '留言', '问题类型').filter((_, i) => i % 19 === 0);
    const first = await trainModel(h().deps, { samples, source: { test: true } });
    const op = await h().staff('op', 'operator', '440311');
    const text = '楼上邻居每天半夜拖椅子，吵得人睡不着，沟通多次无果';
    // A request from two months ago: its duplicate look-up keys are older than any look-up reads.
    const now = h().clock.now;
    h().clock.now = new Date(+now - 60 * 86_400_000);
    const old = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: '田寮社区路灯不亮两个月了', unitCode: '440311005', citizen: { phone: '13800004321' } } });
    expect(old.statusCode, old.body).toBe(201);
    h().clock.now = now;
    const keysOf = async (caseId: string) => (await h().deps.db.orm.select().from(caseLshKeys).where(eq(caseLshKeys.caseId, caseId))).length;
    expect(await keysOf(old.json().caseId)).toBe(16);
    const sub = await h().app.inject({ method: 'POST', url: '/api/v1/requests', payload: { content: text, unitCode: '440311005', citizen: { phone: '13800001234' } } });
    expect(sub.statusCode, sub.body).toBe(201);
    h().clock.advance(60_000);
    const put = await h().app.inject({ method: 'PUT', url: `/api/v1/cases/${sub.json().caseId}/category`, headers: { authorization: op.authorization }, payload: { category: '投诉/求助' } });
    expect(put.statusCode, put.body).toBe(200);

    const state: IntelScheduleState = { lastSignalsAt: null };
    // The first check of the day after 02:00 claims the day's retraining: the correction is learnt at once.
    const day = await intelStep(h().deps, OPTS, state);
    expect(day.signals).toEqual({ day: '2026-11-27', alerts: 0, notified: 0 });
    expect(day.retrained).toMatchObject({ corrections: 1, samples: first.samples + 1 });
    expect(await activeModelId(h().deps.db.orm, 'category')).toBe(day.retrained!.id);
    // The day's pruning dropped the old request's keys only.
    expect(day.prunedKeys).toBe(16);
    expect(await keysOf(old.json().caseId)).toBe(0);
    expect(await keysOf(sub.json().caseId)).toBe(16);

    // A later correction waits for the next night; signals wait for their interval.
    h().clock.advance(30 * 60_000);
    const put2 = await h().app.inject({ method: 'PUT', url: `/api/v1/cases/${sub.json().caseId}/category`, headers: { authorization: op.authorization }, payload: { category: '建言' } });
    expect(put2.statusCode, put2.body).toBe(200);
    expect(await intelStep(h().deps, OPTS, state)).toEqual({ signals: null, retrained: null, prunedKeys: null });
    // 01:50 the next night: before the hour.
    h().clock.now = new Date('2026-11-27T17:50:00Z');
    expect(await intelStep(h().deps, OPTS, state)).toEqual({ signals: { day: '2026-11-28', alerts: 0, notified: 0 }, retrained: null, prunedKeys: null });
    // 02:05: retrained with the latest category of the case replacing the earlier one.
    h().clock.now = new Date('2026-11-27T18:05:00Z');
    const night = await intelStep(h().deps, OPTS, state);
    expect(night.retrained).toMatchObject({ corrections: 1, samples: first.samples + 1 });
    const active = await activeModelId(h().deps.db.orm, 'category');
    expect(active).toBe(night.retrained!.id);
    const training = (await getModelTraining(h().deps.db.orm, active!))!.training as { text: string; label: string }[];
    expect(training).toContainEqual({ text, label: '建言' });
    expect(training).not.toContainEqual({ text, label: '投诉/求助' });
    h().clock.advance(5 * 60_000);
    expect((await intelStep(h().deps, OPTS, state)).retrained).toBeNull();
  }, 120_000);
});
