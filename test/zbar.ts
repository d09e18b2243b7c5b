/** Reading QR codes back with zbarimg (Debian's zbar-tools, installed by .ci/run). */
import { execFileSync } from 'node:child_process';

/** Whether zbarimg is installed here. */
export const hasZbar = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The text of the one QR code in an image file (zbarimg prints D-Bus noise on stderr: dropped). */
export const decodeQr = (file: string): string =>
  execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
