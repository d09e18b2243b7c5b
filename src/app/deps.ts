/**
 * What every use case needs: the database, the personal-data sealer, a clock and a logger.
 * Tests pass their own `now` instead of sleeping.
 */
import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';
import { makeDb, migrate, type Db } from '../store/db.ts';
import { loadPii, type Pii } from '../store/pii.ts';

export interface Deps {
  db: Db;
  pii: Pii;
  now: () => Date;
  log: Logger;
  config: Config;
}

/** Paths scrubbed from every log line: personal data never reaches the logs. */
export const LOG_REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'citizen', '*.citizen', 'phone', '*.phone', 'name', '*.password', 'password',
  'callerNumber', '*.callerNumber',
];

export function makeLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: LOG_REDACT, censor: '[redacted]' },
    // Query strings can carry a phone number (tracking): log the path only.
    serializers: { req: (req: { method: string; url: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }) },
  });
}

/** Opens the database (migrating it) and the key; close with `closeDeps`. */
export async function openDeps(
  config: Config,
  opts: { now?: () => Date; log?: Logger; db?: Db; pii?: Pii; logLevel?: string } = {},
): Promise<Deps> {
  const db = opts.db ?? (await makeDb({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir }));
  try {
    await migrate(db);
    const pii = opts.pii ?? loadPii({ key: config.key, dataDir: config.dataDir });
    return { db, pii, now: opts.now ?? (() => new Date()), log: opts.log ?? makeLogger(opts.logLevel ?? config.logLevel), config };
  } catch (e) {
    await db.close();
    throw e;
  }
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.db.close();
}
