/**
 * Administering the category catalogue over HTTP: the public list, renaming, adding and
 * deactivating categories (admin only), and the Open311 service list following the changes.
 */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../src/domain/categories.ts';
import { useApp } from './app-harness.ts';

type Auth = { authorization: string };

describe('category administration on postgres', () => {
  const h = useApp('postgres', { PUBLIC_RATE_LIMIT: '1000', SESSION_IDLE_MINUTES: '1000000' });
  let admin: Auth, op: Auth;
  const req = (method: 'GET' | 'PUT' | 'DELETE', url: string, who: Auth | null, payload?: object) =>
    h().app.inject({ method, url, headers: who ?? {}, ...(payload ? { payload } : {}) });
  const codes = async (url: string, who: Auth | null = null) => ((await req('GET', url, who)).json().items as { code: string }[]).map((c) => c.code);

  it('lists the shipped catalogue to everyone', async () => {
    admin = await h().staff('root', 'admin', '4403');
    op = await h().staff('op', 'operator', '4403');
    const r = await req('GET', '/api/v1/categories', null);
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toHaveLength(CATEGORIES.length);
    expect(r.json().items[0]).toMatchObject({ code: 'streetlight', name: '路灯故障', group: '市政设施', active: true, shipped: true, updatedAt: null });
    expect((await req('GET', '/api/v1/categories?includeInactive=true', null)).statusCode).toBe(401);
    expect((await req('GET', '/api/v1/categories?includeInactive=true', op)).statusCode).toBe(200);
  });

  it('lets only the admin change the catalogue', async () => {
    expect((await req('PUT', '/api/v1/admin/categories/streetlight', op, { name: '路灯' })).statusCode).toBe(403);
    expect((await req('DELETE', '/api/v1/admin/categories/streetlight', op)).statusCode).toBe(403);
    expect((await req('PUT', '/api/v1/admin/categories/streetlight', null, { name: '路灯' })).statusCode).toBe(401);
  });

  it('renames a shipped category, keeping what was not sent', async () => {
    const r = await req('PUT', '/api/v1/admin/categories/streetlight', admin, { name: '路灯照明', keywords: ['路灯', '照明'] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ code: 'streetlight', name: '路灯照明', group: '市政设施', keywords: ['路灯', '照明'], metadata: true, active: true, shipped: true });
    const again = await req('PUT', '/api/v1/admin/categories/streetlight', admin, { description: '路灯不亮或损坏。' });
    expect(again.json()).toMatchObject({ name: '路灯照明', description: '路灯不亮或损坏。', keywords: ['路灯', '照明'] });
    const list = (await req('GET', '/api/v1/categories', null)).json().items;
    expect(list[0]).toMatchObject({ code: 'streetlight', name: '路灯照明' });
    const services = (await req('GET', '/open311/v2/services.json', null)).json();
    expect(services[0]).toMatchObject({ service_code: 'streetlight', service_name: '路灯照明', metadata: true });
  });

  it('adds a category under a new code and refuses bad input', async () => {
    const bad = async (code: string, body: object, message: RegExp) => {
      const r = await req('PUT', `/api/v1/admin/categories/${code}`, admin, body);
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(message);
    };
    await bad('e_bike', { group: '交通出行' }, /^name: is required/);
    await bad('e_bike', { name: '电动车' }, /^group: is required/);
    await bad('E-Bike', { name: '电动车', group: '交通出行' }, /^code: /);
    await bad('e_bike', { name: '道路破损', group: '交通出行' }, /^name: 道路破损 is already the name of road_damage/);
    await bad('e_bike', { name: '电动车', group: '交通出行', caseType: 'nonsense' }, /caseType/);
    await bad('other', { active: false }, /^active: the fallback category other cannot be deactivated/);
    const r = await req('PUT', '/api/v1/admin/categories/e_bike', admin, { name: '电动车充电', group: '安全隐患', keywords: ['电动车', '飞线充电'], caseType: 'report' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ code: 'e_bike', name: '电动车充电', description: '', group: '安全隐患', caseType: 'report', metadata: false, active: true, shipped: false });
    expect(r.json().updatedAt).toBe(h().clock.now.toISOString());
    expect((await codes('/api/v1/categories')).at(-1)).toBe('e_bike');
    expect((await req('GET', '/open311/v2/services/e_bike.json', null)).json()).toEqual({ service_code: 'e_bike', attributes: [] });
  });

  it('deactivates categories: gone from the public and Open311 lists, kept for staff', async () => {
    const r = await req('DELETE', '/api/v1/admin/categories/e_bike', admin);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ code: 'e_bike', name: '电动车充电', active: false });
    expect((await req('PUT', '/api/v1/admin/categories/noise', admin, { active: false })).json()).toMatchObject({ code: 'noise', active: false });
    expect((await req('DELETE', '/api/v1/admin/categories/no_such', admin)).statusCode).toBe(404);
    const pub = await codes('/api/v1/categories');
    expect(pub).not.toContain('e_bike');
    expect(pub).not.toContain('noise');
    expect(pub).toHaveLength(CATEGORIES.length - 1);
    const all = await codes('/api/v1/categories?includeInactive=true', op);
    expect(all).toEqual(expect.arrayContaining(['e_bike', 'noise']));
    expect(all).toHaveLength(CATEGORIES.length + 1);
    const services = ((await req('GET', '/open311/v2/services.json', null)).json() as { service_code: string }[]).map((s) => s.service_code);
    expect(services).not.toContain('noise');
    expect((await req('GET', '/open311/v2/services/noise.json', null)).statusCode).toBe(404);
    // Reactivating brings it back.
    expect((await req('PUT', '/api/v1/admin/categories/noise', admin, { active: true })).json()).toMatchObject({ active: true, name: '噪音扰民' });
    expect(await codes('/api/v1/categories')).toContain('noise');
  });
});
