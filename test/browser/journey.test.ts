/**
 * The closed loop in a real browser (Debian's Chromium through playwright-core) against the real
 * server with the built web app: a citizen submits from 玉塘街道's QR page on a phone; the district
 * operator dispatches it; the street's handler sees it in 待签收 with a countdown, signs and
 * resolves it with a reply (and reveals the phone, audited); a handler of the sibling 光明街道
 * never sees it; the citizen tracks, rates and thanks; the district leader's dashboard figures
 * move accordingly. Screenshots of every page go to test-results/screenshots/, and the
 * JavaScript each route loads and the workbench's time to first render to
 * test-results/web-metrics.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foldRollups } from '../../src/app/kpi-rollups.ts';
import { PROJECT_ROOT, WEB_DIST } from '../../src/cli/web-build.ts';
import { hasChromium, launch, shot, startServer, watch, type Server } from './harness.ts';

const YUTANG = '440311005', GUANGMING_DISTRICT = '440311';
const PHONE = '13912345678';
const CONTENT = '田寮社区 8 栋门口的路灯坏了一个多月，晚上很黑，老人孩子出行不安全，请尽快修理。';
const REPLY = '经现场核查，路灯线路老化，已于今日更换并恢复照明。感谢您的反映。';
const MOBILE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 900 } };

/** gzip bytes of each built asset, from the build's sizes.json. */
const gzipOf = (): Record<string, number> => JSON.parse(readFileSync(join(WEB_DIST, 'sizes.json'), 'utf8')).gzip;
const metrics: Record<string, unknown> = {};
/** The gzip size of the JavaScript a page loaded, in kB. */
function jsKb(loaded: Map<string, number>): number {
  const gz = gzipOf();
  return Math.round([...loaded.keys()].reduce((s, p) => s + (gz[p.replace(/^\//, '')] ?? 0), 0) / 102.4) / 10;
}

describe.skipIf(!hasChromium)('the web app in Chromium', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let trackingNo = '';
  let caseId = '';
  let operator: { username: string; password: string }, handler: typeof operator, sibling: typeof operator, leader: typeof operator;
  const open: BrowserContext[] = [];

  async function page(opts: typeof MOBILE | typeof DESKTOP): Promise<Page> {
    const ctx = await browser.newContext({ ...opts, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    open.push(ctx);
    const p = await ctx.newPage();
    p.setDefaultTimeout(15_000);
    return p;
  }

  async function login(p: Page, who: { username: string; password: string }, path = '/staff/') {
    await p.goto(server.url + path);
    await p.locator('#username').fill(who.username);
    await p.locator('#password').fill(who.password);
    await p.locator('button[type=submit]').click();
    await p.locator('.ant-layout-header').waitFor();
  }

  /** Opens the action's form, fills it, confirms; waits for the new status. */
  async function act(p: Page, action: string, status: string, fill?: (p: Page) => Promise<void>) {
    await p.locator(`[data-action=${action}]`).click();
    const dialog = p.locator('.ant-modal').filter({ has: p.locator('.ant-modal-title') });
    await dialog.waitFor();
    if (fill) await fill(p);
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => p.locator('[data-testid=case-status]').textContent()).toBe(status);
  }

  async function kpis(p: Page) {
    const read = async (k: string) => (await p.locator(`[data-testid=kpi-${k}] .ant-statistic-content`).textContent())?.trim();
    return { volume: await read('volume'), resolution: await read('resolutionRate'), satisfaction: await read('satisfactionRate') };
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    operator = await server.user('gm.op', 'operator', GUANGMING_DISTRICT, '光明区受理员');
    handler = await server.user('yt.handler', 'handler', YUTANG, '玉塘街道承办人');
    sibling = await server.user('gm.handler', 'handler', '440311001', '光明街道承办人');
    leader = await server.user('gm.lead', 'leader', GUANGMING_DISTRICT, '光明区领导');
  }, 120_000);

  afterAll(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (Object.keys(metrics).length) {
      writeFileSync(join(PROJECT_ROOT, 'test-results', 'web-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      console.log('[web metrics]', JSON.stringify(metrics));
    }
  });

  // A failed step leaves a picture of every page still open, named after the test.
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const pages = open.flatMap((c) => c.pages());
    for (const [i, p] of pages.entries()) await shot(p, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => undefined);
  });

  let dashboardBefore: Awaited<ReturnType<typeof kpis>>;

  it('the leader\'s dashboard starts from the server\'s figures', async () => {
    const p = await page(DESKTOP);
    const w = watch(p);
    await login(p, leader);
    await p.locator('[data-testid=kpi-volume]').waitFor();
    await p.locator('canvas').first().waitFor();
    dashboardBefore = await kpis(p);
    expect(dashboardBefore.volume).toBe('0');
    expect(dashboardBefore.satisfaction).toBe('—');
    await expect.poll(() => p.locator('[data-testid=dash-title]').textContent()).toContain('光明区');
    await shot(p, '10-dashboard-before');
    metrics.dashboardJsKb = jsKb(w.js);
    expect(w.errors).toEqual([]);
  });

  it('a citizen submits from the street\'s QR page on a phone', async () => {
    const p = await page(MOBILE);
    const w = watch(p);
    await p.goto(`${server.url}/r/${YUTANG}`);
    await expect.poll(() => p.getByTestId('unit-name').textContent()).toBe('书记在线 · 玉塘街道');
    await expect.poll(() => p.locator('.c-hero p').textContent()).toBe('深圳市光明区玉塘街道');
    metrics.citizenJsKb = jsKb(w.js);
    expect([...w.js.keys()].some((f) => /StaffApp|Dashboard|UnitPicker/.test(f)), [...w.js.keys()].join()).toBe(false);
    await shot(p, '01-citizen-qr');
    // Plain words for a mistake, before anything is sent.
    await p.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('至少 5 个字');
    await p.getByLabel('您反映的问题').fill(CONTENT);
    await p.getByLabel('类型').selectOption('complaint');
    await p.getByLabel('地点（选填）').fill('光明区玉塘街道田寮社区 8 栋');
    await p.getByLabel('姓名（选填）').fill('李四');
    await p.getByLabel('手机号').fill(PHONE);
    await p.getByRole('button', { name: '提交' }).click();
    trackingNo = (await p.locator('#tracking-no').textContent())!.trim();
    expect(trackingNo).toMatch(/^SZ-\d{8}-\d{6}$/);
    await shot(p, '02-citizen-submitted');
    expect(w.errors).toEqual([]);
  });

  it('the citizen page speaks English on request', async () => {
    const p = await page(MOBILE);
    await p.goto(`${server.url}/r/${YUTANG}`);
    await p.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => p.getByTestId('unit-name').textContent()).toBe('Secretary online · 玉塘街道');
    await expect.poll(() => p.getByLabel('Mobile phone').count()).toBe(1);
    await shot(p, '01b-citizen-qr-english');
    await p.goto(`${server.url}/r/NOPE-404`);
    await expect.poll(() => p.locator('h1').textContent()).toBe('Invalid QR code');
  });

  it('the district operator finds it in 待派单 and dispatches it to the street', async () => {
    const p = await page(DESKTOP);
    const w = watch(p);
    await login(p, operator);
    // The street's handler is on duty, so the dispatch notifies them (SSE).
    const token = await p.evaluate<string>("JSON.parse(sessionStorage.getItem('suqiu.staff')).token");
    const now = Date.now();
    const roster = await fetch(`${server.url}/api/v1/units/${YUTANG}/roster`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shifts: [{ username: handler.username, startsAt: new Date(now - 3_600_000).toISOString(), endsAt: new Date(now + 8 * 3_600_000).toISOString(), label: '白班' }] }),
    });
    expect(roster.status, await roster.text()).toBe(201);

    await p.goto(`${server.url}/staff/?tab=new`);
    await p.getByRole('link', { name: trackingNo }).click();
    await p.locator('[data-testid=case-no]').waitFor();
    caseId = p.url().split('/').pop()!;
    expect(await p.locator('[data-testid=masked-phone]').textContent()).toBe('139****5678');
    await p.locator('[data-action=dispatch]:not([disabled])').waitFor();
    await shot(p, '03-operator-case');
    await act(p, 'dispatch', '已派单', async () => {
      await p.locator('.ant-modal #unitCode').click();
      await p.locator('.ant-modal #unitCode').fill('玉塘');
      await p.locator('.ant-select-item-option-content', { hasText: '玉塘街道 · 街道' }).click();
    });
    await shot(p, '04-operator-dispatched');

    await p.goto(`${server.url}/staff/desk`);
    await p.locator('form').first().waitFor();
    // The routing rules suggest a unit as the request is typed; one click picks it for dispatch.
    await p.locator('#content').fill('玉塘街道田寮社区文化广场有人打架斗殴，请派人处理');
    await p.locator('#address').click();
    const route = p.getByTestId('route-suggestion');
    await route.waitFor();
    expect(await route.textContent()).toContain('光明分局');
    await p.getByTestId('route-pick').click();
    await expect.poll(() => p.locator('.ant-form-item', { has: p.locator('#unitCode') }).textContent()).toContain('光明分局');
    await shot(p, '12-operator-desk');
    expect(w.errors).toEqual([]);
  });

  it('the street\'s handler sees it in 待签收 with a countdown, signs and resolves it with a reply', async () => {
    const p = await page(DESKTOP);
    const w = watch(p);
    await login(p, handler);
    const row = p.locator('tr', { has: p.getByRole('link', { name: trackingNo }) });
    await row.waitFor();
    await expect.poll(() => p.getByTestId('tab-toSign').textContent()).toMatch(/待签收\s*1/);
    const countdown = row.getByTestId('countdown');
    await expect.poll(() => countdown.textContent()).toMatch(/^签收 · 剩余 \d+分\d+秒$/);
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
    expect(await countdown.evaluate('(e) => getComputedStyle(e).color')).not.toBe('rgba(0, 0, 0, 0.88)');
    // The dispatch reached the on-duty handler's bell.
    await expect.poll(() => p.locator('[data-testid=bell]').getAttribute('aria-label')).toMatch(/[1-9]\d* 条未读/);
    await shot(p, '05-handler-inbox');

    await row.getByRole('link', { name: trackingNo }).click();
    await p.locator('[data-testid=case-no]').waitFor();
    const buttons = await p.locator('[data-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));
    expect(buttons).toContain('sign');
    expect(buttons).not.toContain('resolve');
    await act(p, 'sign', '已签收');
    await p.getByTestId('reveal-phone').click();
    await p.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await expect.poll(() => p.getByTestId('revealed-phone').textContent()).toBe(PHONE);
    await act(p, 'resolve', '已办结', async () => {
      await p.locator('.ant-modal #reply').fill(REPLY);
    });
    await expect.poll(() => p.getByTestId('case-reply').textContent()).toBe(REPLY);
    await expect.poll(() => p.locator('.ant-timeline').textContent()).toContain('查看个人信息');
    await shot(p, '06-handler-resolved');
    expect(w.errors).toEqual([]);
  });

  it('a handler of the sibling street never sees it', async () => {
    const p = await page(DESKTOP);
    await login(p, sibling);
    for (const tab of ['new', 'toSign', 'open', 'soon', 'overdue', 'resolved', 'closed']) {
      await p.goto(`${server.url}/staff/?tab=${tab}`);
      await p.locator('.ant-table').waitFor();
      await expect.poll(() => p.locator('.ant-spin-spinning').count()).toBe(0);
      expect(await p.getByText(trackingNo).count(), tab).toBe(0);
    }
    await shot(p, '07-sibling-inbox');
    await p.goto(`${server.url}/staff/cases/${caseId}`);
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('没有找到');
    await shot(p, '07b-sibling-case-404');
  });

  it('the citizen tracks it, rates it and sends a thank-you letter', async () => {
    const p = await page(MOBILE);
    const w = watch(p);
    await p.goto(`${server.url}/track`);
    await p.getByLabel('追踪号').fill(trackingNo);
    await p.getByLabel('提交时填写的手机号').fill(PHONE);
    await p.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => p.getByTestId('status').textContent()).toBe('已办结');
    expect(await p.getByTestId('reply').textContent()).toBe(REPLY);
    await expect.poll(() => p.locator('.c-timeline').textContent()).toContain('办结答复');
    expect(await p.locator('.c-timeline').textContent()).not.toContain('查看个人信息');
    await shot(p, '08-citizen-track');
    await p.locator('fieldset', { hasText: '您的问题解决了吗' }).getByText('是').click();
    await p.locator('fieldset', { hasText: '您对办理结果满意吗' }).getByText('是').click();
    await p.getByLabel('还想说的话（选填）').fill('修得很快，谢谢！');
    await p.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => p.getByTestId('status').textContent()).toBe('已关闭').catch(async (e) => {
      await shot(p, '09-citizen-rate-failed');
      throw e;
    });
    await p.getByRole('button', { name: '写表扬信' }).click();
    await p.getByLabel('表扬信内容').fill('感谢玉塘街道的同志，路灯当天就修好了！');
    await p.locator('form', { hasText: '表扬信内容' }).getByRole('button', { name: '写表扬信' }).click();
    await expect.poll(() => p.getByTestId('notice').textContent()).toMatch(/表扬信已送达，编号 SZ-\d{8}-\d{6}/);
    await shot(p, '09-citizen-rated-thanked');
    metrics.trackJsKb = jsKb(w.js);
    expect(w.errors).toEqual([]);
  });

  it('the leader\'s dashboard figures change accordingly', async () => {
    await foldRollups(server.deps.db);
    const p = await page(DESKTOP);
    await login(p, leader);
    await p.locator('[data-testid=kpi-volume]').waitFor();
    // The thank-you letter is a request of its own (表扬), so the volume grows by two.
    await expect.poll(() => kpis(p)).toEqual({ volume: '2', resolution: '50.0%', satisfaction: '100.0%' });
    expect(dashboardBefore.volume).toBe('0');
    await p.locator('[data-testid=kpi-satisfactionRate]').hover();
    await expect.poll(() => p.locator('.ant-tooltip').last().textContent()).toContain('满意率 =');
    await shot(p, '10-dashboard-after');
    await p.goto(`${server.url}/staff/dashboard?screen=1`);
    await p.getByTestId('big-screen').waitFor();
    await expect.poll(() => kpis(p)).toEqual({ volume: '2', resolution: '50.0%', satisfaction: '100.0%' });
    await p.locator('canvas').first().waitFor();
    await shot(p, '11-dashboard-big-screen');
  });

  it('the administrator adds a site under a community and sees the accounts', async () => {
    const admin = await server.user('city.admin', 'admin', '4403', '系统管理员');
    const p = await page(DESKTOP);
    const w = watch(p);
    await login(p, admin);
    await p.locator('.ant-tree').waitFor();
    const node = (name: string) => p.locator('.ant-tree-treenode', { has: p.getByText(name, { exact: true }) }).first();
    for (const name of ['深圳市', '光明区', '玉塘街道']) {
      await node(name).locator('.ant-tree-switcher').click();
    }
    await node('田寮社区').getByRole('button', { name: '添加站点' }).click();
    const dialog = p.locator('.ant-modal');
    await dialog.locator('#name').fill('田寮花园小区');
    await dialog.locator('#siteType').click();
    await p.locator('.ant-select-item-option-content', { hasText: '小区' }).first().click();
    // The list closes with an animation; until it is gone it covers the dialog's buttons.
    await p.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await node('田寮花园小区').waitFor();
    await p.waitForTimeout(500); // the tree's expand animation
    await shot(p, '17-admin-org-tree');
    await p.goto(`${server.url}/staff/admin/users`);
    await expect.poll(() => p.locator('.ant-table-tbody').textContent()).toContain('yt.handler');
    await shot(p, '18-admin-users');
    await p.goto(`${server.url}/staff/admin/clocks`);
    await p.locator('.ant-table-row').first().waitFor();
    await shot(p, '19-admin-clocks');
    await p.goto(`${server.url}/staff/admin/categories`);
    await expect.poll(() => p.locator('.ant-table-tbody').textContent()).toContain('路灯故障');
    await shot(p, '19b-admin-categories');
    expect(w.errors).toEqual([]);
  });

  it('the workbench renders fast and the citizen pages stay light', async () => {
    // Cold start of the workbench for a logged-in handler: a fresh browser profile, nothing cached.
    const r = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(handler) });
    const { token } = await r.json() as { token: string };
    const me = await (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    const p = await page(DESKTOP);
    await p.addInitScript({ content: `sessionStorage.setItem('suqiu.staff', ${JSON.stringify(JSON.stringify({ token, me }))})` });
    const w = watch(p);
    const t0 = Date.now();
    await p.goto(`${server.url}/staff/`);
    await p.locator('.ant-table').waitFor();
    const shell = Date.now() - t0;
    await expect.poll(() => p.getByTestId('tab-closed').textContent()).toMatch(/已办结\s*\d/);
    const withData = Date.now() - t0;
    const fcp = await p.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    metrics.workbench = { firstContentfulPaintMs: fcp && Math.round(fcp), inboxShownMs: shell, inboxWithCountsMs: withData };
    metrics.workbenchJsKb = jsKb(w.js);
    const sizes = JSON.parse(readFileSync(join(WEB_DIST, 'sizes.json'), 'utf8')).routes as Record<string, { gzip: number }>;
    metrics.routesGzipKb = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, Math.round(v.gzip / 102.4) / 10]));
    expect(metrics.citizenJsKb as number).toBeLessThanOrEqual(150);
    expect(metrics.trackJsKb as number).toBeLessThanOrEqual(150);
    expect(sizes.citizen!.gzip).toBeLessThanOrEqual(150 * 1024);
    await shot(p, '13-handler-inbox-closed');
    for (const [name, path] of [['14-citizen-home', '/'], ['15-citizen-mailboxes', '/mailboxes'], ['16-citizen-general', '/submit']] as const) {
      const m = await page(MOBILE);
      await m.goto(server.url + path);
      await m.locator('main').waitFor();
      await m.waitForLoadState('networkidle');
      await shot(m, name);
    }
  });
});
