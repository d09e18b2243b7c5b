import { describe, expect, it } from 'vitest';
import { CASE_TYPES } from './case.ts';
import { ATTRIBUTE_DATATYPES, CATEGORIES, FALLBACK_CATEGORY, categoryByCode, categoryOfCase, describeAttributes, validateAttributes } from './categories.ts';

describe('category catalogue', () => {
  it('has 20–30 well-formed categories with unique ASCII codes and names', () => {
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(20);
    expect(CATEGORIES.length).toBeLessThanOrEqual(30);
    expect(new Set(CATEGORIES.map((c) => c.code)).size).toBe(CATEGORIES.length);
    expect(new Set(CATEGORIES.map((c) => c.name)).size).toBe(CATEGORIES.length);
    for (const c of CATEGORIES) {
      expect(c.code, c.code).toMatch(/^[a-z][a-z0-9_]{1,39}$/);
      expect(c.name.length, c.code).toBeGreaterThan(0);
      expect(c.description.length, c.code).toBeGreaterThan(0);
      expect(c.keywords.length, c.code).toBeGreaterThan(0);
      expect(c.group.length, c.code).toBeGreaterThan(0);
      expect(CASE_TYPES).toContain(c.caseType);
      expect(c.metadata, c.code).toBe(c.attributes.length > 0);
    }
    expect(categoryByCode(FALLBACK_CATEGORY)?.name).toBe('其他');
  });

  it('gives attributes distinct codes and orders, and lists choices exactly for list types', () => {
    for (const c of CATEGORIES) {
      expect(new Set(c.attributes.map((a) => a.code)).size, c.code).toBe(c.attributes.length);
      expect(new Set(c.attributes.map((a) => a.order)).size, c.code).toBe(c.attributes.length);
      for (const a of c.attributes) {
        expect(a.code).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(ATTRIBUTE_DATATYPES).toContain(a.datatype);
        expect(a.order).toBeGreaterThanOrEqual(1);
        const isList = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist';
        expect(!!a.values?.length, `${c.code}.${a.code}`).toBe(isList);
        if (a.values) expect(new Set(a.values.map((v) => v.key)).size).toBe(a.values.length);
      }
    }
    const noise = categoryByCode('noise')!;
    expect(noise.attributes.find((a) => a.code === 'noise_time')?.datatype).toBe('singlevaluelist');
  });

  it('reads stored categories by code, then by Chinese name, else as 其他', () => {
    expect(categoryOfCase('streetlight').code).toBe('streetlight');
    expect(categoryOfCase('路灯故障').code).toBe('streetlight');
    expect(categoryOfCase('市政设施').code).toBe('other');
    expect(categoryOfCase(null).code).toBe('other');
  });

  it('validates answers', () => {
    const noise = categoryByCode('noise')!, air = categoryByCode('air_pollution')!, wage = categoryByCode('wage_arrears')!;
    const ok: [typeof noise, Record<string, string | string[]>, Record<string, string | string[]>][] = [
      [noise, { noise_source: 'business', noise_time: 'night', extra: 'x' }, { noise_source: 'business', noise_time: 'night' }],
      [air, { pollution_type: ['dust', 'odour', 'dust'] }, { pollution_type: ['dust', 'odour'] }],
      [air, { pollution_type: 'dust' }, { pollution_type: ['dust'] }],
      [wage, { workers: ' 23 ', since: '2026-08-01' }, { workers: '23', since: '2026-08-01' }],
      [categoryByCode('manhole_cover')!, { anything: 'x' }, {}],
    ];
    for (const [c, answers, out] of ok) expect(validateAttributes(c, answers)).toEqual(out);
    const bad: [typeof noise, Record<string, string | string[]>, RegExp][] = [
      [noise, { noise_source: 'business' }, /^attribute\[noise_time\]: is required$/],
      [noise, { noise_source: 'business', noise_time: ['day', 'night'] }, /^attribute\[noise_time\]: takes one value$/],
      [noise, { noise_source: 'aliens', noise_time: 'day' }, /^attribute\[noise_source\]: must be one of construction, /],
      [air, { pollution_type: ['dust', 'smog'] }, /^attribute\[pollution_type\]: must be one of/],
      [wage, { workers: 'many' }, /^attribute\[workers\]: must be a number$/],
      [wage, { workers: '3', since: 'last spring' }, /^attribute\[since\]: must be an ISO 8601 date$/],
      [categoryByCode('streetlight')!, { pole_number: 'A\nB' }, /^attribute\[pole_number\]: must be one line$/],
    ];
    for (const [c, answers, message] of bad) expect(() => validateAttributes(c, answers), JSON.stringify(answers)).toThrow(message);
  });

  it('describes answers as labelled lines in attribute order', () => {
    expect(describeAttributes(categoryByCode('noise')!, { noise_time: 'night', noise_source: 'construction' }))
      .toEqual(['噪音来源：建筑施工', '噪音时段：夜间（22:00–次日6:00）']);
    expect(describeAttributes(categoryByCode('air_pollution')!, { pollution_type: ['dust', 'odour'] })).toEqual(['污染类型：扬尘、异味']);
  });
});
