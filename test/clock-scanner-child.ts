/**
 * A scanner process for the crash test (test/clock-crash.test.ts): runs the clock scanner against
 * DATABASE_URL with a fast fake clock, now = FAKE_F0 + (real now − FAKE_R0) × FAKE_SPEED, so
 * that a killed and restarted process continues the same timeline. Prints `ready` once scanning.
 */
import { closeDeps, makeLogger, openDeps } from '../src/app/deps.ts';
import { loadConfig } from '../src/config.ts';
import { startClockScanner } from '../src/jobs/clock-scanner.job.ts';

const [f0, r0, speed] = ['FAKE_F0', 'FAKE_R0', 'FAKE_SPEED'].map((k) => Number(process.env[k]));
if (![f0, r0, speed].every(Number.isFinite)) throw new Error('FAKE_F0, FAKE_R0 and FAKE_SPEED are required');
const now = () => new Date(f0! + (Date.now() - r0!) * speed!);

const deps = await openDeps(loadConfig(), { now, log: makeLogger('warn') });
const scanner = startClockScanner(deps, { intervalMs: Number(process.env.SCAN_INTERVAL_MS ?? 50), batch: 4 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void scanner.stop().then(() => closeDeps(deps)).then(() => process.exit(0));
});
