/** What the command modules share: how they get the platform, and how they show progress. */
import type { Deps } from '../app/deps.ts';

/** Opens the platform around one command and always closes it (main.ts withDeps). */
export type WithDeps = <T>(fn: (deps: Deps) => Promise<T>) => Promise<T>;

/** Progress on stderr: one rewritten line on a terminal, a line every 10 % otherwise. */
export function progress(what: string) {
  const tty = process.stderr.isTTY;
  let shown = -1;
  return {
    update(done: number, total: number) {
      if (tty) process.stderr.write(`\r${what} ${done}/${total} cases`);
      const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (!tty && tenth !== shown) {
        shown = tenth;
        process.stderr.write(`${what} ${done}/${total} cases\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}
