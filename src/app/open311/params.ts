/**
 * Reading Open311 parameters. Form fields and query strings arrive as strings (or arrays when a
 * key repeats); an empty value means the same as an absent one ("Optional Arguments" in the
 * spec). Errors read `field: message` with the spec's field names.
 */
import { z } from 'zod';
import type { AttributeAnswers } from '../../domain/categories.ts';
import { badInput } from '../../domain/errors.ts';
import { parseW3cDate } from '../../domain/open311.ts';

/** Parameters as they come: query string and form or JSON body merged, the body winning. */
export type Params = Record<string, unknown>;

/** Control characters other than tab and line breaks: text is "free form, but not code". */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const blankToUndefined = (v: unknown) => {
  const s = typeof v === 'string' ? v.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim() : v;
  return s === '' || s === null ? undefined : s;
};

/** An optional parameter: blank is absent. */
export const opt = <T extends z.ZodType>(t: T) => z.preprocess(blankToUndefined, t.optional());

/** A required text parameter of at most `max` characters. */
export const required = (max: number) => z.preprocess(blankToUndefined, z.string({
  error: (iss) => (iss.input === undefined ? 'is required' : 'must be text'),
}).max(max, `must be at most ${max} characters`));

/** Optional one-line or multi-line text of at most `max` characters. */
export const text = (max: number) => opt(z.string({ error: 'must be text' }).max(max, `must be at most ${max} characters`));

/** Optional number within [min, max], given as a string or a number. */
export const num = (min: number, max: number) =>
  opt(z.coerce.number({ error: 'must be a number' }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** Optional whole number within [min, max]. */
export const whole = (min: number, max: number) => opt(z.coerce.number({ error: 'must be a number' })
  .int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** Optional W3C date-time (see parseW3cDate). */
export const date = () =>
  opt(z.string({ error: 'must be text' }).transform((s, ctx) => {
    const d = parseW3cDate(s);
    if (!d) ctx.addIssue({ code: 'custom', message: 'must be a W3C date-time with a time zone, e.g. 2026-11-01T00:00:00+08:00' });
    return d ?? new Date(NaN);
  }));

/** A comma-separated list (`a,b,c`), trimmed, without blanks. */
export const commaList = (s: string | undefined): string[] => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** Parses with a zod schema; throws bad_input `field: message` for the first problem. */
export function parseParams<S extends z.ZodType>(schema: S, params: Params): z.infer<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'request';
  throw badInput(field, issue.message);
}

const ATTRIBUTE_KEY = /^attribute\[([^\]]+)\](\[\])?$/;

/**
 * The `attribute[code]=value` and `attribute[code][]=value` fields of a form (a repeated key
 * gives several values), or an `attribute` object in a JSON body.
 */
export function attributesOf(params: Params): AttributeAnswers {
  const out: Record<string, string[]> = {};
  const add = (code: string, v: unknown) => {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'string' || typeof x === 'number') (out[code] ??= []).push(String(x));
    }
  };
  for (const [key, value] of Object.entries(params)) {
    const m = ATTRIBUTE_KEY.exec(key);
    if (m) add(m[1]!, value);
  }
  const nested = params.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    for (const [code, value] of Object.entries(nested)) add(code, value);
  }
  return out;
}
