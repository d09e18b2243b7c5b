/** `suqiu qr`: print-ready 书记在线 QR codes (PNG per unit + a PDF of posters) for a unit or its subtree. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WithDeps } from './common.ts';


/** Adds the `qr` command to the program; `withDeps` opens and closes the platform around it. */
export function registerQr(program: Command, withDeps: WithDeps): void {
  program.command('qr')
    .description('write the QR code of a unit (and with --subtree every district/street/community/site below it) as PNG files and a PDF')
    .requiredOption('--unit <code>', 'unit code, e.g. 440311005')
    .option('--subtree', 'also every unit below it that has a QR code')
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--font <file>', 'font with Chinese glyphs for the PDF (default: Noto Sans CJK from fonts-noto-cjk)')
    .option('--font-face <name>', 'PostScript name of the face inside a .ttc collection, e.g. NotoSansCJKsc-Regular')
    .action((o: { unit: string; subtree?: boolean; out: string; font?: string; fontFace?: string }) => withDeps(async (deps) => {
      const { writeQrSheets } = await import('../app/qr.ts');
      const tty = process.stderr.isTTY;
      const r = await writeQrSheets(deps, {
        unitCode: o.unit, subtree: !!o.subtree, outDir: resolve(o.out),
        font: o.font ? { path: o.font, face: o.fontFace } : undefined,
        onProgress: (done, total) => {
          if (tty) process.stderr.write(`\rQR codes ${done}/${total}`);
          else if (done === total || done % 50 === 0) process.stderr.write(`QR codes ${done}/${total}\n`);
        },
      });
      if (tty) process.stderr.write('\n');
      console.log(`wrote ${r.pngs.length} PNG files and ${r.pdf} (${r.units.length} pages) in ${resolve(o.out)}`);
    }));
}
