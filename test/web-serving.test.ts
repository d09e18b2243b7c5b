/**
 * Serving the web app and its small server glue: the SPA fallback never answers for the API,
 * Open311, the docs or /healthz; assets are cached for a year and pre-compressed; the QR page
 * keeps its URL (404 for a unit without a code); the actions' JSON Schemas; the admin's accounts
 * and API keys (admin only, no password hashes).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/app/add-user.ts';
import { makeLogger, openDeps, type Deps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { loadWebApp, WEB_CSP } from '../src/http/web-app.ts';
import { loadPii } from '../src/store/pii.ts';
import { openBackend } from './db.ts';

const SHELL = '<!doctype html><html><head><title>suqiu</title></head><body><div id="root"></div><script type="module" src="/assets/index-abc.js"></script></body></html>';
const JS = 'console.log("suqiu");'.repeat(100);

describe('serving the web app', () => {
  let app: FastifyInstance, deps: Deps, dist: string;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'suqiu-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), SHELL);
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), JS);
    writeFileSync(join(dist, 'assets', 'index-abc.js.gz'), gzipSync(JS));
    const db = await openBackend('postgres');
    deps = await openDeps(loadConfig({} as NodeJS.ProcessEnv), { db, pii: loadPii(), log: makeLogger('silent') });
    await seedOrg(db);
    app = await buildApp(deps, { web: loadWebApp(dist) });
    const password = 'web-pass-13579';
    for (const [username, role] of [['adm', 'admin'], ['hd', 'handler']] as const) {
      await addUser(deps, { username, password, role, unitCode: role === 'admin' ? '4403' : '440311005' });
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      headers[role] = { authorization: `Bearer ${r.json().token}` };
    }
  });

  afterAll(async () => {
    await app?.close();
    await deps?.db.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers client routes with the shell and its CSP', async () => {
    for (const url of ['/', '/submit', '/track/SZ-20261127-000001', '/staff', '/staff/cases/abc?tab=1', '/mailboxes/4403-RS']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toBe(SHELL);
      expect(r.headers['content-security-policy']).toBe(WEB_CSP);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('never answers for the API, Open311, the docs, /healthz or a missing file', async () => {
    for (const url of ['/api/v1/nope', '/api', '/open311/v2/nope.json', '/docs/nope', '/healthz/x', '/assets/missing-123.js', '/robots.txt']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body, url).not.toContain('<div id="root">');
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json().status).toBe('ok');
  });

  it('serves hashed assets for a year, pre-compressed when the client takes gzip', async () => {
    const r = await app.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(plain.body).toBe(JS);
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('keeps the QR page\'s URL: the app for a unit with a code, 404 otherwise', async () => {
    const ok = await app.inject({ method: 'GET', url: '/r/440311005' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(SHELL);
    const bureau = await app.inject({ method: 'GET', url: '/r/4403-RS' });
    expect(bureau.statusCode).toBe(404);
    expect(bureau.body).toBe(SHELL);
  });

  it('gives staff every action\'s body as JSON Schema', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/actions' })).statusCode).toBe(401);
    const r = await app.inject({ method: 'GET', url: '/api/v1/actions', headers: headers.handler });
    expect(r.statusCode).toBe(200);
    const forms = new Map((r.json().items as { action: string; label: string; schema: Record<string, unknown> }[]).map((f) => [f.action, f]));
    expect(forms.get('resolve')).toMatchObject({ label: '办结答复', schema: { type: 'object', required: ['reply'], properties: { reply: { type: 'string', maxLength: 5000 } } } });
    expect(forms.get('rule_return')!.schema.oneOf).toHaveLength(2);
    expect(forms.has('attach')).toBe(false);
  });

  it('lets the administrator alone list and add accounts, never showing a password hash', async () => {
    const body = { username: 'new.op', password: 'a-Long-pass-2468', role: 'operator', unitCode: '440311' };
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: headers.handler })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: headers.handler, payload: body })).statusCode).toBe(403);
    const added = await app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: headers.admin, payload: body });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ username: 'new.op', role: 'operator', unitCode: '440311', unitName: '光明区' });
    const again = await app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: headers.admin, payload: body });
    expect(again.statusCode).toBe(409);
    const weak = await app.inject({ method: 'POST', url: '/api/v1/admin/users', headers: headers.admin, payload: { ...body, username: 'weak.one', password: '123' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/^password: /);
    const list = await app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: headers.admin });
    expect(list.json().items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['adm', 'hd', 'new.op']));
    expect(list.body).not.toMatch(/argon2|passwordHash/);
  });

  it('lets the administrator issue, list and revoke Open311 API keys', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/api-keys', headers: headers.handler })).statusCode).toBe(403);
    const made = await app.inject({ method: 'POST', url: '/api/v1/admin/api-keys', headers: headers.admin, payload: { name: '12345 热线' } });
    expect(made.statusCode, made.body).toBe(201);
    const { id, key } = made.json();
    expect(key).toMatch(/^sq_/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/admin/api-keys', headers: headers.admin });
    expect(list.body).not.toContain(key);
    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/admin/api-keys/${id}`, headers: headers.admin });
    expect(revoked.json().revokedAt).not.toBeNull();
  });
});
