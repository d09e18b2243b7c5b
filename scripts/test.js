#!/usr/bin/env node
/**
 * `npm test [-- vitest args]`: type-checks the project (tsc --noEmit), then runs `vitest run`
 * with the extra arguments. Without arguments the real-browser tests (test/browser) run after the
 * rest, on their own: a browser clicking through animated dialogs needs the machine's attention,
 * which two cores busy with database tests do not give it. Everything runs even if a step fails,
 * so one run shows everything; the exit code is non-zero if any failed.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs a command with inherited stdio; resolves to its exit code (signals count as failure). */
function run(label, cmd, args) {
  console.log(`\n> ${label}: ${[cmd.replace(root + '/', ''), ...args].join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`${label}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      const rc = code ?? (signal ? 128 : 1);
      console.log(`> ${label}: ${rc === 0 ? 'ok' : `FAILED (${signal ?? `exit ${rc}`})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(rc);
    });
  });
}

// Ctrl-C reaches the children through the terminal; don't die before they report.
process.on('SIGINT', () => {});

const tscServer = await run('typecheck', bin('tsc'), ['--noEmit', '-p', join(root, 'tsconfig.json')]);
// The web app has its own settings (DOM, JSX, bundler resolution).
const tscWeb = await run('typecheck web', bin('tsc'), ['--noEmit', '-p', join(root, 'web', 'tsconfig.json')]);
const tsc = tscServer || tscWeb;
const extra = process.argv.slice(2);
const vitest = extra.length
  ? await run('vitest', bin('vitest'), ['run', ...extra])
  : (await run('vitest', bin('vitest'), ['run', '--exclude', 'test/browser/**'])) | (await run('vitest (browser)', bin('vitest'), ['run', 'test/browser', '--no-file-parallelism']));

if (tsc !== 0 || vitest !== 0) {
  console.error(`\ntest failed:${tsc !== 0 ? ' typecheck' : ''}${vitest !== 0 ? ' vitest' : ''}`);
  process.exit(1);
}
