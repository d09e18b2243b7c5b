/** Runs the `suqiu` command as a child process, the way an operator does, on a PGlite data folder. */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/**
 * `suqiu ARGS` with DATA_DIR set and the test run's DATABASE_URL, SUQIU_KEY, PORT and LOG_LEVEL
 * left out (so it uses the embedded database and its own key file); `env` adds variables.
 */
export function runSuqiu(dataDir: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  for (const k of ['DATABASE_URL', 'SUQIU_KEY', 'PORT', 'LOG_LEVEL']) delete childEnv[k];
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'suqiu.js'), ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
