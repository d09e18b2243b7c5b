/**
 * Talking to the suqiu API: JSON in and out, errors as `ApiError` with the HTTP status, the
 * server's code and its `field: message`. `errorText` turns any of them into plain words.
 */
import type { T } from './i18n.tsx';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly body: Record<string, unknown> = {}) {
    super(message);
  }
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A key that makes a retried create safe (the server keeps the first answer). */
  idempotencyKey?: string;
}

/** Called with every 401 answered to a request that carried a staff token (the session ended). */
let onUnauthorized: (() => void) | null = null;
export const setUnauthorizedHandler = (fn: (() => void) | null) => {
  onUnauthorized = fn;
};

export async function api<R = unknown>(path: string, opts: ApiOptions = {}): Promise<R> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  const res = await fetch(path, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body, signal: opts.signal });
  if (res.status === 204) return undefined as R;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const j = (json ?? {}) as { error?: string; message?: string };
    if (res.status === 401 && opts.token) onUnauthorized?.();
    throw new ApiError(res.status, j.error ?? 'http', j.message ?? res.statusText, (json ?? {}) as Record<string, unknown>);
  }
  return json as R;
}

/** A fresh Idempotency-Key. */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

const MESSAGES: [RegExp, (t: T, m: RegExpMatchArray) => string][] = [
  [/^is required/, (t) => t('err.required')],
  [/^must not be empty/, (t) => t('err.required')],
  [/^is not a phone number/, (t) => t('err.phone')],
  [/must be at least (\d+) characters/, (t, m) => t('err.min', { n: m[1]! })],
  [/must be at most (\d+) characters/, (t, m) => t('err.max', { n: m[1]! })],
  [/^unknown unit/, (t) => t('err.unit')],
  [/must be a unit code/, (t) => t('err.unit')],
];

/** `field: message` from the server in the reader's words, when we know them. */
function inputProblem(t: T, message: string): string {
  const m = /^([\w.[\]]+): (.*)$/.exec(message);
  if (!m) return message;
  const [, field, rest] = m as unknown as [string, string, string];
  const label = t.has(`field.${field}`) ? t(`field.${field}` as never) : field;
  for (const [re, say] of MESSAGES) {
    const hit = rest.match(re);
    if (hit) return `${label}：${say(t, hit)}`;
  }
  return `${label}：${rest}`;
}

/** Plain words for any error thrown by `api` (or the network). */
export function errorText(t: T, e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.status) {
      case 400: return t('err.input', { detail: inputProblem(t, e.message) });
      case 401: return e.code === 'unauthenticated' && /password|credentials/i.test(e.message) ? t('err.credentials') : t('err.login');
      case 403: return t('err.forbidden');
      case 404: return t('err.notFound');
      case 409: return t('err.state');
      case 413: return t('err.tooLarge');
      case 415: return t('err.type');
      case 422: return t('err.retry');
      case 423: return t('err.locked');
      case 429: return t('err.rate');
      default: return e.status >= 500 ? t('err.server') : e.message;
    }
  }
  if (e instanceof TypeError) return t('err.network');
  return e instanceof Error ? e.message : String(e);
}
