/**
 * 书记在线 QR codes on paper: `writeQrSheets` and the `suqiu qr` command write one PNG per unit
 * that decodes (zbarimg) to the unit's page, and a PDF with one poster page per unit.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addSite } from '../src/app/add-site.ts';
import { writeQrSheets } from '../src/app/qr.ts';
import { runSuqiu } from './suqiu-cli.ts';
import { decodeQr, hasZbar } from './zbar.ts';
import { useApp } from './app-harness.ts';

const BASE = 'https://qr.example.cn';
const YUTANG = '440311005', TIANLIAO = '440311005001';

/** Page objects of a PDF (not the /Pages tree node). */
const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

/** PNG files under dir → the unit code each is named after. */
const pngCodes = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).map((f) => f.slice(0, -4)).sort();

const tmp = mkdtempSync(join(tmpdir(), 'suqiu-qr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeQrSheets', () => {
  const h = useApp('postgres', { PUBLIC_BASE_URL: BASE });

  it('a street with --subtree: the street, its communities and their sites, each PNG decoding to its page', async () => {
    // A name of the longest allowed length (60) still fits its one poster page.
    const site = await addSite(h().deps.db, TIANLIAO, { name: `田寮花园小区${'很长的名字'.repeat(10)}一二三四`, siteType: 'estate' });
    const out = join(tmp, 'subtree');
    const seen: number[] = [];
    const r = await writeQrSheets(h().deps, { unitCode: YUTANG, subtree: true, outDir: out, onProgress: (done) => seen.push(done) });
    const want = [YUTANG, TIANLIAO, site.code, '440311005002', '440311005003', '440311005004'];
    expect(r.units.map((u) => u.code)).toEqual(want);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pngCodes(out)).toEqual([...want].sort());
    expect(r.units[1]).toMatchObject({ name: '田寮社区', fullName: '深圳市光明区玉塘街道田寮社区', url: `${BASE}/r/${TIANLIAO}` });
    if (hasZbar) {
      for (const code of want) expect(decodeQr(join(out, `${code}.png`)), code).toBe(`${BASE}/r/${code}`);
    }
    const pdf = readFileSync(r.pdf);
    expect(r.pdf).toBe(join(out, `qr-${YUTANG}.pdf`));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(want.length);
    // The Chinese names are set in an embedded (subset) CJK font.
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoS(ans|erif)CJK/);
  });

  it('one unit without --subtree; a bureau has no QR code; an unknown unit is not found', async () => {
    const out = join(tmp, 'one');
    const r = await writeQrSheets(h().deps, { unitCode: TIANLIAO, subtree: false, outDir: out });
    expect(pngCodes(out)).toEqual([TIANLIAO]);
    expect(pageCount(readFileSync(r.pdf))).toBe(1);
    await expect(writeQrSheets(h().deps, { unitCode: '4403-RS', subtree: true, outDir: out })).rejects.toThrow(/^unit: 4403-RS is a bureau/);
    await expect(writeQrSheets(h().deps, { unitCode: 'NOPE-1', subtree: false, outDir: out })).rejects.toThrow(/unit not found/);
  });
});

const suqiu = (dataDir: string, args: string[]) => runSuqiu(dataDir, args, { PUBLIC_BASE_URL: BASE });

describe('suqiu qr', { timeout: 120_000 }, () => {
  it('writes a district\'s PNGs and PDF with progress, and says so', async () => {
    const dataDir = join(tmp, 'data');
    const seeded = await suqiu(dataDir, ['seed']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const out = join(tmp, 'cli');
    const r = await suqiu(dataDir, ['qr', '--unit', '440311', '--subtree', '--out', out]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // 光明区: the district, 6 streets, 31 communities.
    expect(r.stdout).toMatch(/^wrote 38 PNG files and .*qr-440311\.pdf \(38 pages\)/m);
    expect(r.stderr).toMatch(/QR codes 38\/38/);
    expect(pngCodes(out)).toHaveLength(38);
    expect(pageCount(readFileSync(join(out, 'qr-440311.pdf')))).toBe(38);
    if (hasZbar) expect(decodeQr(join(out, '440311001.png'))).toBe(`${BASE}/r/440311001`);

    const bad = await suqiu(dataDir, ['qr', '--unit', '4403-GA', '--out', join(tmp, 'none')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^error: unit: 4403-GA is a bureau/m);
    expect(existsSync(join(tmp, 'none'))).toBe(false);
  });
});
