/**
 * The page a 书记在线 QR code opens (`/r/{unitCode}`): a small server-rendered, mobile-first form
 * that posts to /api/v1/requests with channel `qr` and the unit, then shows the tracking number.
 * No framework; every value is escaped, and a CSP admits only this page's own script and style.
 */
import { createHash } from 'node:crypto';
import { CASE_TYPES, CASE_TYPE_LABELS } from '../domain/case.ts';

/** Escapes text for HTML content and double- or single-quoted attributes. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f4f6f8;color:#222}
main{max-width:32rem;margin:0 auto;padding:1rem}header{background:#c8102e;color:#fff;padding:1rem;border-radius:.5rem}
h1{font-size:1.3rem;margin:0}header p{margin:.25rem 0 0;opacity:.9;font-size:.9rem}
form,#out{background:#fff;border-radius:.5rem;padding:1rem;margin-top:1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input,select,textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #bbb;border-radius:.4rem}textarea{min-height:8rem}
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}.check input{width:auto}
button{width:100%;margin-top:1rem;padding:.8rem;font:inherit;font-weight:600;color:#fff;background:#c8102e;border:0;border-radius:.4rem}
button:disabled{opacity:.6}small{color:#666}#out:empty{display:none}.err{color:#b00020}.ok strong{font-size:1.3rem}`;

const SCRIPT = `
const f = document.getElementById('f'), out = document.getElementById('out');
const el = f.elements;
el.anonymous.addEventListener('change', () => { el.phone.required = !el.anonymous.checked; });
f.addEventListener('submit', async (e) => {
  e.preventDefault();
  const btn = f.querySelector('button');
  const citizen = el.anonymous.checked ? { anonymous: true } : { name: el.name.value || undefined, phone: el.phone.value };
  const body = { channel: 'qr', unitCode: f.dataset.unit, type: el.type.value, content: el.content.value, address: el.address.value || undefined, citizen };
  btn.disabled = true; out.className = ''; out.textContent = '正在提交…';
  try {
    const r = await fetch('/api/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const j = await r.json().catch(() => ({}));
    if (r.status !== 201) throw new Error(j.message || '提交失败，请稍后再试');
    f.hidden = true; out.className = 'ok'; out.textContent = '已受理。您的追踪号：';
    const no = document.createElement('strong'); no.id = 'tracking'; no.textContent = j.trackingNo; out.append(no);
    const p = document.createElement('p'); p.textContent = '请记下追踪号，凭追踪号和手机号可查询办理进度。'; out.append(p);
  } catch (err) {
    out.className = 'err'; out.textContent = err instanceof Error ? err.message : String(err); btn.disabled = false;
  }
});`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** The Content-Security-Policy of both pages: nothing but this script, this style and same-origin fetch. */
export const SUBMIT_PAGE_CSP = [
  "default-src 'none'", `script-src ${hash(SCRIPT)}`, `style-src ${hash(STYLE)}`, "connect-src 'self'",
  "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

/** The submission form of one unit. */
export function renderSubmitPage(unit: { code: string; name: string; fullName: string }): string {
  const options = CASE_TYPES.map((t) => `<option value="${t}"${t === 'help' ? ' selected' : ''}>${escapeHtml(CASE_TYPE_LABELS[t])}</option>`).join('');
  return page(`书记在线 · ${unit.name}`, `
<header><h1>书记在线 · ${escapeHtml(unit.name)}</h1><p>${escapeHtml(unit.fullName)}</p></header>
<form id="f" data-unit="${escapeHtml(unit.code)}">
<label for="content">您反映的问题</label><textarea id="content" name="content" required minlength="5" maxlength="5000" placeholder="请说明时间、地点和具体情况"></textarea>
<label for="type">类型</label><select id="type" name="type">${options}</select>
<label for="address">地点（选填）</label><input id="address" name="address" maxlength="200">
<label for="name">姓名（选填）</label><input id="name" name="name" maxlength="40" autocomplete="name">
<label for="phone">手机号</label><input id="phone" name="phone" type="tel" required maxlength="30" autocomplete="tel">
<label class="check"><input type="checkbox" name="anonymous"> 匿名反映（无法查询进度和回访）</label>
<small>您的姓名和电话加密保存，仅用于办理和回访。</small>
<button type="submit">提交</button>
</form>
<div id="out" role="status" aria-live="polite"></div>
<script>${SCRIPT}</script>`);
}

/** What a code that leads nowhere (unknown unit, or one without a QR code) shows. */
export function renderMissingPage(): string {
  return page('二维码无效', '<header><h1>二维码无效</h1><p>未找到该服务中心，请联系工作人员。</p></header>');
}
