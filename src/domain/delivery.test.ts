import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs, signBody, verifySignature } from './delivery.ts';
import { CITIZEN_SMS, MERGED_REPORTER_SMS, SMS_TEMPLATES, smsText, staffNoticeText, unitNotices } from './notify.ts';

describe('retry schedule', () => {
  it.each([[1, 30_000], [2, 60_000], [3, 120_000], [8, 3_600_000], [MAX_ATTEMPTS - 1, 3_600_000], [MAX_ATTEMPTS, null]])(
    'after %i failed attempts waits %s ms', (attempts, want) => {
      expect(retryDelayMs(attempts)).toBe(want);
    });
});

describe('webhook signature', () => {
  const at = new Date('2026-11-27T02:00:00Z');
  const body = '{"event":"dispatch"}';
  const header = signBody('s3cret', body, at);
  it('has a time and both MACs', () => {
    expect(header).toMatch(/^t=1795744800,v1=[0-9a-f]{64},sm3=[0-9a-f]{64}$/);
  });
  it.each([
    ['the same body and secret', 's3cret', body, at, true],
    ['another secret', 'other', body, at, false],
    ['a changed body', 's3cret', '{"event":"resolve"}', at, false],
    ['too late (a replay)', 's3cret', body, new Date(+at + 301_000), false],
  ] as const)('verifies %s → %s', (_n, secret, b, now, want) => {
    expect(verifySignature(header, secret, b, now)).toBe(want);
  });
  it('accepts the SM3 MAC alone', () => {
    const sm3Only = header.replace(/,v1=[0-9a-f]+/, '');
    expect(verifySignature(sm3Only, 's3cret', body, at)).toBe(true);
  });
});

describe('who is told what', () => {
  it.each([
    ['dispatch: the new lead', null, { leadUnitCode: 'S', coUnitCodes: [] }, [{ unitCode: 'S', as: 'lead' }]],
    ['accept: nobody', null, { leadUnitCode: null, coUnitCodes: [] }, []],
    ['a note: nobody', { leadUnitCode: 'S', coUnitCodes: ['X'] }, { leadUnitCode: 'S', coUnitCodes: ['X'] }, []],
    ['escalate: the parent', { leadUnitCode: 'S', coUnitCodes: [] }, { leadUnitCode: 'D', coUnitCodes: [] }, [{ unitCode: 'D', as: 'lead' }]],
    ['summon: each new co-unit', { leadUnitCode: 'D', coUnitCodes: ['X'] }, { leadUnitCode: 'D', coUnitCodes: ['X', 'Y', 'Z'] },
      [{ unitCode: 'Y', as: 'co' }, { unitCode: 'Z', as: 'co' }]],
  ] as const)('%s', (_n, before, after, want) => {
    expect(unitNotices(before, after)).toEqual(want);
  });
  it('staff notices carry the tracking number and no free text', () => {
    expect(staffNoticeText('dispatch', 'SZ-20261127-000001', { unitCode: 'S', as: 'lead' }).title).toBe('新派单 SZ-20261127-000001');
    expect(staffNoticeText('summon', 'SZ-1', { unitCode: 'X', as: 'co' }).body).toMatch(/吹哨报到/);
  });
  it('citizens hear of acceptance, feedback, resolution and merging, with the tracking number only', () => {
    expect(Object.keys(CITIZEN_SMS).sort()).toEqual(['accept', 'answer', 'feedback', 'merge', 'resolve']);
    // Reporters merged into a case hear of its progress and answer, not of its acceptance.
    expect(Object.keys(MERGED_REPORTER_SMS).sort()).toEqual(['answer', 'feedback', 'resolve']);
    for (const tpl of SMS_TEMPLATES) expect(smsText(tpl, 'SZ-20261127-000042')).toContain('SZ-20261127-000042');
  });
});
