/**
 * Builds the web app (web/ → web/dist) when it is missing or older than its sources, so that
 * `npm start` serves everything on a fresh checkout and starts at once when the build is fresh.
 * The build runs Vite in a child process (its memory is returned when it ends) into a temporary
 * folder that then replaces web/dist, so two processes building at once never serve a half-written
 * build.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_ROOT = join(PROJECT_ROOT, 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');
/** The Shenzhen district boundaries bundled into the dashboard (see web/vite.config.ts). */
export const DISTRICTS_GEOJSON = join(PROJECT_ROOT, '..', 'shared', 'data', 'shenzhen-districts.geojson');

/** Newest modification time (ms) among the files the build reads. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['src', 'public']) if (existsSync(join(WEB_ROOT, d))) walk(join(WEB_ROOT, d));
  for (const f of [join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'vite.config.ts'), DISTRICTS_GEOJSON]) {
    if (existsSync(f)) newest = Math.max(newest, statSync(f).mtimeMs);
  }
  return newest;
}

/** `missing` (never built), `stale` (a source changed since) or `fresh`. */
export function webBuildState(): 'missing' | 'stale' | 'fresh' {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return 'missing';
  return statSync(index).mtimeMs < newestSource() ? 'stale' : 'fresh';
}

/** Runs `vite build`; resolves when web/dist holds the new build. Throws with Vite's exit code. */
export async function buildWeb(opts: { quiet?: boolean } = {}): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const tmp = join(WEB_ROOT, `.dist-${process.pid}-${Date.now()}`);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [vite, 'build', '--config', join(WEB_ROOT, 'vite.config.ts'), '--outDir', tmp, '--emptyOutDir'], {
        // Vite takes NODE_ENV from the environment when set (vitest sets `test`): a production build always.
        cwd: WEB_ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: opts.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`the web build failed (vite exited with ${code})`);
    rmSync(WEB_DIST, { recursive: true, force: true });
    renameSync(tmp, WEB_DIST);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Builds the web app unless the build is fresh; returns web/dist. When the build fails, an older
 * build (if any) is served and the error is logged; without any build it throws.
 */
export async function ensureWebBuilt(log: { info(m: string): void; error(o: object, m: string): void }): Promise<string> {
  const state = webBuildState();
  if (state === 'fresh') return WEB_DIST;
  log.info(state === 'missing' ? 'building the web app (first start)…' : 'the web app changed: rebuilding…');
  const t0 = Date.now();
  try {
    await buildWeb();
    log.info(`web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    if (state === 'missing') throw err;
    log.error({ err }, 'the web build failed; serving the previous build');
  }
  return WEB_DIST;
}
