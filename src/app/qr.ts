/**
 * 书记在线 QR codes: every district, street, community and site has one stable code that opens the
 * submission page bound to that unit (`${PUBLIC_BASE_URL}/r/{unitCode}`). Served as PNG/SVG by the
 * API, and written as print-ready PNG files plus a PDF of posters (one page per unit) by the CLI.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Config } from '../config.ts';
import { QR_UNIT_KINDS, hasQrCode } from '../domain/channel.ts';
import { badInput, notFound } from '../domain/errors.ts';
import type { Unit } from '../domain/org.ts';
import { getUnit, getUnits, listUnits } from '../store/units.queries.ts';
import type { Deps } from './deps.ts';

/** Medium error correction survives a worn or partly covered print and keeps the code coarse. */
const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The public address of the platform, without a trailing slash. */
export function publicBaseUrl(config: Pick<Config, 'publicBaseUrl' | 'port'>): string {
  return (config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

/** What a unit's QR code encodes: its submission page. */
export function submitPageUrl(config: Pick<Config, 'publicBaseUrl' | 'port'>, unitCode: string): string {
  return `${publicBaseUrl(config)}/r/${encodeURIComponent(unitCode)}`;
}

/** A unit that has a QR code, with the names printed under it. */
export interface QrUnit {
  code: string;
  name: string;
  /** Names from the city down, e.g. 深圳市光明区玉塘街道. */
  fullName: string;
  url: string;
}

/**
 * The QR-code unit `code`, for the public page and the image routes. Throws not_found when the
 * unit does not exist or has no QR code (bureaus have mailboxes instead).
 */
export async function getQrUnit(deps: Deps, code: string): Promise<QrUnit> {
  const unit = await getUnit(deps.db.orm, code);
  if (!unit || !hasQrCode(unit)) throw notFound('QR code');
  return (await withNames(deps, [unit]))[0]!;
}

/** The QR code of a unit as a PNG (`width` pixels) or an SVG document. Throws like getQrUnit. */
export async function qrImage(deps: Deps, code: string, format: 'png' | 'svg', width = 512): Promise<Buffer | string> {
  const { url } = await getQrUnit(deps, code);
  return format === 'png' ? QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width }) : QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' });
}

async function withNames(deps: Deps, list: Unit[]): Promise<QrUnit[]> {
  const codes = new Set(list.flatMap((u) => u.ancestors));
  const names = new Map((await getUnits(deps.db.orm, [...codes])).map((u) => [u.code, u.name]));
  return list.map((u) => ({
    code: u.code, name: u.name, url: submitPageUrl(deps.config, u.code),
    fullName: u.ancestors.map((c) => names.get(c) ?? c).join(''),
  }));
}

/**
 * The unit `code` and, with `subtree`, every unit below it, keeping those that have a QR code,
 * in tree order. Throws not_found for an unknown unit, bad_input when none has a QR code.
 */
export async function qrUnits(deps: Deps, code: string, subtree: boolean): Promise<QrUnit[]> {
  const root = await getUnit(deps.db.orm, code);
  if (!root) throw notFound('unit');
  const list = [root];
  for (let offset = 0; subtree; offset += 500) {
    const page = await listUnits(deps.db.orm, { withinCode: code, limit: 500, offset });
    list.push(...page.filter((u) => u.code !== code));
    if (page.length < 500) break;
  }
  const kept = list.filter(hasQrCode).sort((a, b) => (a.ancestors.join('/') < b.ancestors.join('/') ? -1 : 1));
  if (kept.length === 0) {
    throw badInput('unit', `${code} is a ${root.kind}${subtree ? ' with no units below it that have' : ' and has no'} a QR code (${QR_UNIT_KINDS.join(', ')})`);
  }
  return withNames(deps, kept);
}

/** A font with Chinese glyphs: a .ttf/.otf file, or a .ttc collection plus the face's PostScript name. */
export interface FontSpec {
  path: string;
  face?: string;
}

/** Debian's fonts-noto-cjk, in order of preference. */
const CJK_FONTS: readonly FontSpec[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
];

/** The first installed CJK font; throws bad_input `font: …` when there is none. */
export function findCjkFont(): FontSpec {
  const found = CJK_FONTS.find((f) => existsSync(f.path));
  if (!found) throw badInput('font', 'no Chinese font found; install fonts-noto-cjk or pass --font');
  return found;
}

/** A4 posters, one unit per page: heading, the QR code drawn as vectors, name, full path, code. */
export function renderQrPdf(units: readonly QrUnit[], font: FontSpec): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { Title: '书记在线二维码', Producer: 'suqiu' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (font.face) doc.font(font.path, font.face);
  else doc.font(font.path);
  const margin = 56;
  for (const u of units) {
    doc.addPage({ margin });
    const width = doc.page.width - 2 * margin;
    // Each text sits in a fixed box, shrunk to fit `lines` lines and cut with an ellipsis beyond:
    // a long name can never push the poster onto a second page.
    const box = (text: string, size: number, y: number, lines: number, color = '#000') => {
      const w = doc.fontSize(size).widthOfString(text);
      const fitted = w <= width * lines * 0.9 ? size : Math.max(9, (size * width * lines * 0.9) / w);
      doc.fontSize(fitted).fillColor(color);
      doc.text(text, margin, y, { width, height: doc.currentLineHeight(true) * lines, align: 'center', ellipsis: true });
    };
    box('书记在线', 40, 56, 1);
    box('扫码反映诉求 · 接诉即办', 16, 122, 1, '#555');
    drawQr(doc, u.url, (doc.page.width - 340) / 2, 166, 340);
    box(u.name, 28, 526, 2);
    box(u.fullName, 14, 612, 2, '#333');
    box(`单位代码 ${u.code}`, 12, 662, 1, '#333');
    box(u.url, 10, 686, 2, '#666');
  }
  doc.end();
  return done;
}

/** Draws the QR code's dark modules as filled runs, `size` points square including the quiet zone. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  const n = modules.size;
  const cell = size / (n + 2 * QR_OPTIONS.margin);
  const at = (i: number) => (i + QR_OPTIONS.margin) * cell;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!modules.get(r, c)) continue;
      const start = c;
      while (c + 1 < n && modules.get(r, c + 1)) c++;
      doc.rect(x + at(start), y + at(r), (c - start + 1) * cell, cell);
    }
  }
  doc.fillColor('#000').fill();
}

export interface QrSheetResult {
  pngs: string[];
  pdf: string;
  units: QrUnit[];
}

/**
 * Writes `{code}.png` (print-ready, `pngWidth` pixels) for each unit of qrUnits(code, subtree) and
 * one PDF of posters `qr-{code}.pdf` into `outDir` (created if missing). `onProgress` is called
 * after each unit. Throws like qrUnits and findCjkFont.
 */
export async function writeQrSheets(
  deps: Deps,
  opts: { unitCode: string; subtree: boolean; outDir: string; font?: FontSpec; pngWidth?: number; onProgress?: (done: number, total: number) => void },
): Promise<QrSheetResult> {
  const font = opts.font ?? findCjkFont();
  const units = await qrUnits(deps, opts.unitCode, opts.subtree);
  await mkdir(opts.outDir, { recursive: true });
  const pngs: string[] = [];
  for (const [i, u] of units.entries()) {
    const file = join(opts.outDir, `${u.code}.png`);
    await writeFile(file, await QRCode.toBuffer(u.url, { ...QR_OPTIONS, type: 'png', width: opts.pngWidth ?? 1024 }));
    pngs.push(file);
    opts.onProgress?.(i + 1, units.length);
  }
  const pdf = join(opts.outDir, `qr-${opts.unitCode}.pdf`);
  await writeFile(pdf, await renderQrPdf(units, font));
  return { pngs, pdf, units };
}
