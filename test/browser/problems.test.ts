/**
 * 共性问题 in Chromium: three weeks of look-alike street-light complaints in 玉塘 become a proposed
 * problem; the street's leader opens 共性问题, sees it with its count, opens it, confirms it under
 * a name of their own and marks it fixed. Screenshots go to test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeProblems } from '../../src/app/problems/propose-problems.ts';
import { submitRequest } from '../../src/app/submit-request.ts';
import { plantLights } from '../fixtures/problem-texts.ts';
import { hasChromium, launch, shot, startServer, watch, type Server } from './harness.ts';

const YUTANG = '440311005';

describe.skipIf(!hasChromium)('common problems in Chromium', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let leader: { username: string; password: string };

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    const end = Date.now();
    const clock = { now: new Date(end) };
    const deps = { ...server.deps, now: () => clock.now };
    let n = 0;
    const submit = (content: string, unitCode: string) =>
      submitRequest(deps, null, { content, type: 'complaint', category: 'streetlight', unitCode, channel: 'web', urgency: 'normal', citizen: { phone: `136${String(10_000_000 + ++n).slice(-8)}`, anonymous: false } });
    await plantLights(submit, (t) => { clock.now = t; }, end);
    const r = await proposeProblems(server.deps, 'all');
    expect(r.proposed).toHaveLength(1);
    leader = await server.user('yt.lead', 'leader', YUTANG, '玉塘街道领导');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the street\'s leader confirms, names and fixes the proposed problem', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const p: Page = await ctx.newPage();
    p.setDefaultTimeout(15_000);
    const w = watch(p);
    await p.goto(`${server.url}/staff/login`);
    await p.locator('#username').fill(leader.username);
    await p.locator('#password').fill(leader.password);
    await p.locator('button[type=submit]').click();
    await p.locator('.ant-layout-header').waitFor();
    await p.locator('.ant-layout-header').getByText('共性问题').click();

    const row = p.locator('.ant-table-row').first();
    await expect.poll(() => row.textContent()).toMatch(/玉塘街道 · 路灯故障 · .*田寮.*待确认.*玉塘街道.*路灯故障12/);
    await shot(p, '20-problems-list');
    await row.click();
    const drawer = p.locator('.ant-drawer');
    await expect.poll(() => drawer.textContent()).toContain('近 8 周');
    await drawer.getByRole('button', { name: /^确\s?认$/ }).click();
    const dialog = p.locator('.ant-modal').filter({ has: p.locator('.ant-modal-title') });
    await dialog.locator('#name').fill('田寮路路灯反复不亮');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toBe('田寮路路灯反复不亮');
    await expect.poll(() => row.textContent()).toContain('田寮路路灯反复不亮');
    await expect.poll(() => drawer.locator('.ant-tag').first().textContent()).toBe('跟踪中');

    await drawer.getByRole('button', { name: '标记已整改' }).click();
    await dialog.locator('#note').fill('更换整条路的供电线路');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => drawer.locator('.ant-tag').first().textContent()).toBe('已整改');
    await expect.poll(() => drawer.textContent()).toContain('整改后');
    await dialog.waitFor({ state: 'hidden' });
    await shot(p, '21-problem-fixed');
    expect(w.errors).toEqual([]);
    await ctx.close();
  });
});
