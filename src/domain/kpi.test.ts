import { describe, expect, it } from 'vitest';
import type { ClockState } from './clocks.ts';
import {
  addCounters, caseContribution, clockOutcome, contributionDelta, FIGURE_KEYS, FIGURES, figuresOf, KPI_COUNTERS, periodOf, rate,
  topCategories, trendBuckets, typeMix, channelMix, weekStart, zeroCounters, type Counters, type KpiCaseFacts,
} from './kpi.ts';

type Clock = Pick<ClockState, 'name' | 'state' | 'onTime'>;
const met = (name: Clock['name'], onTime = true): Clock => ({ name, state: 'met', onTime });

const base: KpiCaseFacts = {
  // 01:00 on the 27th in China: the day is China's, not UTC's.
  createdAt: new Date('2026-11-26T17:00:00Z'),
  intakeUnitCode: '440311', leadUnitCode: null, channel: 'qr', type: 'consult', category: 'streetlight',
  status: 'received', dispatchedAt: null, rating: null, clocks: [],
};
const at = new Date('2026-11-27T02:00:00Z');

/** Only the counters that are 1. */
const ones = (c: Counters) => KPI_COUNTERS.filter((k) => c[k] !== 0);

describe('caseContribution', () => {
  it('keys a case by China-time acceptance day and its lead unit, else its intake unit', () => {
    expect(caseContribution(base).key).toEqual({ day: '2026-11-27', unitCode: '440311', channel: 'qr', type: 'consult', category: 'streetlight' });
    expect(caseContribution({ ...base, leadUnitCode: '440311005', category: null }).key)
      .toMatchObject({ unitCode: '440311005', category: '' });
  });

  it.each<[string, Partial<KpiCaseFacts>, string[]]>([
    ['received, not yet dispatched', {}, ['received', 'accepted']],
    ['a complaint', { type: 'complaint' }, ['received', 'accepted', 'complaints']],
    ['praise is not a complaint', { type: 'praise' }, ['received', 'accepted', 'praise']],
    ['a report is a complaint', { type: 'report' }, ['received', 'accepted', 'complaints']],
    ['merged duplicate: counted apart from everything else', { status: 'merged', type: 'complaint', dispatchedAt: at, clocks: [met('sign')] }, ['received', 'merged']],
    ['withdrawn', { status: 'withdrawn', rating: { resolved: true, satisfied: true } }, ['received', 'withdrawn']],
    ['dispatched, sign clock running', { status: 'dispatched', dispatchedAt: at, clocks: [{ name: 'sign', state: 'running', onTime: null }] },
      ['received', 'accepted', 'dispatched']],
    ['signed on time', { status: 'signed', dispatchedAt: at, clocks: [met('sign')] },
      ['received', 'accepted', 'dispatched', 'signedOnTime', 'signedTotal']],
    ['not signed and past the deadline', { status: 'dispatched', dispatchedAt: at, clocks: [{ name: 'sign', state: 'breached', onTime: null }] },
      ['received', 'accepted', 'dispatched', 'signedTotal']],
    ['signed late', { status: 'signed', dispatchedAt: at, clocks: [met('sign', false)] },
      ['received', 'accepted', 'dispatched', 'signedTotal']],
    ['closed before the contact clock was due: no outcome', { status: 'closed', dispatchedAt: at, clocks: [{ name: 'contact', state: 'cancelled', onTime: null }] },
      ['received', 'accepted', 'dispatched', 'closed']],
    ['closed after the contact clock was due: late', { status: 'closed', dispatchedAt: at, clocks: [{ name: 'contact', state: 'cancelled', onTime: false }] },
      ['received', 'accepted', 'dispatched', 'closed', 'contactTotal']],
    ['resolved with every clock on time', {
      status: 'resolved', dispatchedAt: at, clocks: [met('sign'), met('contact'), met('first_feedback'), met('resolve')],
    }, ['received', 'accepted', 'dispatched', 'resolved', 'signedOnTime', 'signedTotal', 'contactOnTime', 'contactTotal',
      'feedbackOnTime', 'feedbackTotal', 'resolveOnTime', 'resolveTotal']],
    ['petition handled on time counts as resolved on time', { status: 'resolved', clocks: [met('petition_handle'), met('petition_accept')] },
      ['received', 'accepted', 'resolved', 'resolveOnTime', 'resolveTotal']],
    ['rated resolved and satisfied, closed', { status: 'closed', dispatchedAt: at, rating: { resolved: true, satisfied: true } },
      ['received', 'accepted', 'dispatched', 'closed', 'rated', 'ratedResolved', 'ratedSatisfied']],
    ['rated unsatisfied: reopened, rating kept', { status: 'reopened', dispatchedAt: at, rating: { resolved: true, satisfied: false } },
      ['received', 'accepted', 'dispatched', 'rated', 'ratedResolved']],
    ['answered at intake', { status: 'answered' }, ['received', 'accepted', 'closed', 'answered']],
    ['not accepted (a decision, closed)', { status: 'not_accepted' }, ['received', 'accepted', 'closed', 'notAccepted']],
    ['pending: waiting for the citizen', { status: 'pending', dispatchedAt: at }, ['received', 'accepted', 'dispatched']],
  ])('%s', (_name, patch, expected) => {
    expect(ones(caseContribution({ ...base, ...patch }).counters)).toEqual(expected);
  });

  it('every counter is 0 or 1 and no numerator exceeds its denominator', () => {
    const c = caseContribution({ ...base, status: 'closed', dispatchedAt: at, rating: { resolved: false, satisfied: true }, clocks: [met('sign')] }).counters;
    expect(KPI_COUNTERS.every((k) => c[k] === 0 || c[k] === 1)).toBe(true);
    for (const k of FIGURE_KEYS) {
      const f = figuresOf(c)[k];
      if (f.kind === 'rate') expect(f.numerator).toBeLessThanOrEqual(f.denominator);
    }
  });
});

describe('contributionDelta', () => {
  const dispatched = caseContribution({ ...base, status: 'dispatched', dispatchedAt: at, leadUnitCode: '440311005' });
  const signed = caseContribution({ ...base, status: 'signed', dispatchedAt: at, leadUnitCode: '440311005', clocks: [met('sign')] });
  const received = caseContribution(base);

  it('is empty when nothing changed', () => {
    expect(contributionDelta(signed, signed)).toEqual([]);
  });

  it('adds everything for a new case', () => {
    expect(contributionDelta(null, received)).toEqual([received]);
  });

  it('is one row of differences under the same key', () => {
    const [d, ...rest] = contributionDelta(dispatched, signed);
    expect(rest).toEqual([]);
    expect(d!.key).toEqual(signed.key);
    expect(ones(d!.counters)).toEqual(['signedOnTime', 'signedTotal']);
  });

  it('moves the whole case when its unit changes: minus under the old key, plus under the new, in key order', () => {
    const d = contributionDelta(received, dispatched);
    expect(d.map((x) => [x.key.unitCode, x.counters.received, x.counters.dispatched])).toEqual([['440311', -1, 0], ['440311005', 1, 1]]);
    // Applied to rollups holding the old contribution: the old row drops to zero, the new one is the new contribution.
    expect(addCounters(received.counters, d[0]!.counters)).toEqual(zeroCounters());
    expect(d[1]).toEqual(dispatched);
  });

  it('takes everything away when the case no longer counts', () => {
    expect(contributionDelta(signed, null)[0]!.counters.received).toBe(-1);
  });
});

describe('clockOutcome', () => {
  it.each<[Clock['state'], boolean | null, 'on_time' | 'late' | null]>([
    ['pending_start', null, null], ['running', null, null], ['warned', null, null], ['paused', null, null],
    ['breached', null, 'late'], ['met', true, 'on_time'], ['met', false, 'late'], ['cancelled', null, null], ['cancelled', false, 'late'],
  ])('%s with onTime %s → %s', (state, onTime, expected) => {
    expect(clockOutcome({ state, onTime })).toBe(expected);
  });
});

describe('figuresOf', () => {
  it('computes every rate from hand-counted cases', () => {
    // Five cases accepted, one merged duplicate; hand count:
    const cases: Partial<KpiCaseFacts>[] = [
      { status: 'closed', dispatchedAt: at, clocks: [met('sign'), met('contact'), met('first_feedback'), met('resolve')], rating: { resolved: true, satisfied: true } },
      { status: 'reopened', dispatchedAt: at, clocks: [met('sign'), met('contact', false), met('first_feedback')], rating: { resolved: true, satisfied: false } },
      { status: 'resolved', dispatchedAt: at, clocks: [met('sign', false), met('contact'), met('first_feedback', false), met('resolve', false)] },
      { status: 'dispatched', dispatchedAt: at, clocks: [{ name: 'sign', state: 'breached', onTime: null }] },
      { status: 'answered' },
      { status: 'merged' },
    ];
    const c = addCounters(...cases.map((p) => caseContribution({ ...base, ...p }).counters));
    const f = figuresOf(c);
    expect(f.received.value).toBe(6);
    expect(f.duplicates.value).toBe(1);
    expect(f.volume.value).toBe(5);
    // resolved (1) + closed (closed, answered: 2) of 5
    expect(f.resolutionRate).toEqual({ kind: 'rate', value: 3 / 5, numerator: 3, denominator: 5 });
    // signed on time 2 of 4 dispatched
    expect(f.responseRate).toMatchObject({ value: 2 / 4, numerator: 2, denominator: 4 });
    // sign clocks with an outcome: met ×3 (one late) and one breached
    expect(f.signOnTimeRate).toMatchObject({ value: 2 / 4, numerator: 2, denominator: 4 });
    expect(f.contactOnTimeRate).toMatchObject({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(f.feedbackOnTimeRate).toMatchObject({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(f.resolveOnTimeRate).toMatchObject({ value: 1 / 2, numerator: 1, denominator: 2 });
    expect(f.solvedRate).toMatchObject({ value: 1, numerator: 2, denominator: 2 });
    expect(f.satisfactionRate).toMatchObject({ value: 1 / 2, numerator: 1, denominator: 2 });
  });

  it('gives null, not NaN and not 0 %, for an empty denominator', () => {
    const f = figuresOf(zeroCounters());
    for (const k of FIGURE_KEYS) {
      const x = f[k];
      if (x.kind === 'rate') expect([k, x.value, x.denominator]).toEqual([k, null, 0]);
      else expect(x.value).toBe(0);
    }
    expect(rate(0, 0)).toBeNull();
    expect(rate(0, 3)).toBe(0);
    expect(JSON.stringify(f)).not.toContain('NaN');
  });

  it('documents every figure in Chinese and English', () => {
    for (const k of FIGURE_KEYS) {
      expect(FIGURES[k].label.zh).toMatch(/\p{Script=Han}/u);
      expect(FIGURES[k].formula.zh).toContain('=');
      expect(FIGURES[k].formula.en).toContain('=');
    }
    expect(FIGURES.resolutionRate.label.zh).toBe('化解率');
    expect(FIGURES.responseRate.label.zh).toBe('响应率');
    expect(FIGURES.solvedRate.label.zh).toBe('解决率');
    expect(FIGURES.satisfactionRate.label.zh).toBe('满意率');
  });
});

describe('mix', () => {
  it('keeps praise apart from complaints (投诉 + 举报)', () => {
    const m = typeMix(new Map([['complaint', 3], ['report', 1], ['praise', 2], ['consult', 4]]));
    expect(m.complaints).toEqual({ count: 4, share: 0.4 });
    expect(m.praise).toEqual({ count: 2, share: 0.2 });
    expect(m.types.map((t) => t.key)).toEqual(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']);
    expect(typeMix(new Map()).praise).toEqual({ count: 0, share: null });
  });

  it('lists every channel, zeros included', () => {
    expect(channelMix(new Map([['qr', 3], ['hotline', 1]])).filter((c) => c.count > 0)).toEqual([
      { key: 'qr', count: 3, share: 0.75 }, { key: 'hotline', count: 1, share: 0.25 },
    ]);
  });

  it('ranks the top categories by volume, ties by code, with their own rates', () => {
    const c = (accepted: number, resolved: number) => ({ ...zeroCounters(), received: accepted, accepted, resolved });
    const top = topCategories([
      { category: 'noise', counters: c(2, 1) }, { category: '', counters: c(5, 0) }, { category: 'garbage', counters: c(2, 2) },
      { category: 'elevator', counters: c(0, 0) },
    ], 2);
    expect(top.map((t) => [t.category, t.count, t.share, t.resolutionRate.value])).toEqual([[null, 5, 5 / 9, 0], ['garbage', 2, 2 / 9, 1]]);
  });
});

describe('periods and trend', () => {
  const now = new Date('2026-11-26T17:30:00Z'); // 2026-11-27 01:30 in China

  it.each<[string | undefined, string | undefined, object]>([
    [undefined, undefined, { from: '2026-10-29', to: '2026-11-27' }],
    [undefined, '2026-03-01', { from: '2026-01-31', to: '2026-03-01' }],
    ['2026-11-27', '2026-11-27', { from: '2026-11-27', to: '2026-11-27' }],
    ['2026-11-28', '2026-11-27', { field: 'to', message: 'must not be before from' }],
    ['2026-02-30', undefined, { field: 'from', message: 'must be a date YYYY-MM-DD' }],
    ['yesterday', undefined, { field: 'from', message: 'must be a date YYYY-MM-DD' }],
    ['2020-01-01', '2026-01-01', { field: 'from', message: 'the period may span at most 1096 days' }],
  ])('from %s to %s', (from, to, expected) => {
    expect(periodOf(now, from, to)).toEqual(expected);
  });

  it('starts ISO weeks on Monday', () => {
    expect(['2026-11-23', '2026-11-27', '2026-11-29', '2026-11-30'].map(weekStart)).toEqual(['2026-11-23', '2026-11-23', '2026-11-23', '2026-11-30']);
  });

  it('fills every bucket of the period, partial weeks at both ends', () => {
    const one = (n: number, praise = 0) => ({ ...zeroCounters(), received: n, accepted: n, praise });
    const rows = [
      { day: '2026-11-20', counters: one(2) },
      { day: '2026-11-24', counters: one(1, 1) },
      { day: '2026-11-24', counters: one(3) },
      { day: '2026-12-31', counters: one(9) },
    ];
    const days = trendBuckets(rows, '2026-11-20', '2026-11-25', 'day');
    expect(days.map((b) => [b.start, b.counters.accepted])).toEqual([
      ['2026-11-20', 2], ['2026-11-21', 0], ['2026-11-22', 0], ['2026-11-23', 0], ['2026-11-24', 4], ['2026-11-25', 0],
    ]);
    const weeks = trendBuckets(rows, '2026-11-20', '2026-12-01', 'week');
    expect(weeks.map((b) => [b.start, b.end, b.counters.accepted, b.counters.praise])).toEqual([
      ['2026-11-20', '2026-11-22', 2, 0], ['2026-11-23', '2026-11-29', 4, 1], ['2026-11-30', '2026-12-01', 0, 0],
    ]);
  });
});
