/**
 * `npm run bench -- <name> [args…]` runs bench/<name>.bench.ts, whose default export is
 * `async function run(args: string[])`. Without a name (or with an unknown one) lists them.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';
const available = readdirSync(here)
  .filter((f) => f.endsWith(SUFFIX))
  .map((f) => f.slice(0, -SUFFIX.length))
  .sort();

const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  if (name) console.error(`unknown benchmark: ${name}\n`);
  console.log('usage: npm run bench -- <name> [args…]\n\nbenchmarks:');
  console.log(available.length ? available.map((n) => `  ${n}`).join('\n') : '  (none yet: add bench/<name>.bench.ts)');
  process.exit(name ? 2 : 0);
}

const mod = (await import(pathToFileURL(join(here, name + SUFFIX)).href)) as {
  default?: (args: string[]) => Promise<void>;
};
if (typeof mod.default !== 'function') {
  console.error(`bench/${name}${SUFFIX} has no default export function run(args)`);
  process.exit(2);
}
await mod.default(args);
