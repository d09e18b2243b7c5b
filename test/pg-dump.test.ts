/**
 * Done-when check: "a dump of the database contains no plaintext phone number". Requests with
 * known phones and names go in through the real use case on PostgreSQL; the real `pg_dump` then
 * dumps the whole database, and the text is searched for every form of them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeLogger, openDeps, type Deps } from '../src/app/deps.ts';
import { seedOrg } from '../src/app/seed-org.ts';
import { SubmitBody, submitRequest } from '../src/app/submit-request.ts';
import { loadConfig } from '../src/config.ts';
import { rowsOf } from '../src/store/db.ts';
import { loadPii } from '../src/store/pii.ts';
import { freshPostgres } from './db.ts';
import { databaseUrl, findPgBin } from './pg-cluster.ts';

/** Citizens as they typed themselves: the stored number is normalised, so both forms are searched. */
const CITIZENS = [
  { name: '张伟民', phone: '13812345678', typed: '138-1234-5678' },
  { name: '欧阳娜娜', phone: '13987654321', typed: '+86 139 8765 4321' },
  { name: '李小龙', phone: '15011112222', typed: '（150）1111-2222' },
  { name: '陈静', phone: '075512345678', typed: '0755-12345678' },
];

/** Every way a phone number might show up in text. */
function phoneForms(digits: string, typed: string): string[] {
  const d = digits;
  return [d, typed, `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`, `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`, d.slice(-8)];
}

function pgDump(url: string): Promise<string> {
  const bin = join(findPgBin(), 'pg_dump');
  if (!existsSync(bin)) throw new Error(`pg_dump not found at ${bin}`);
  // Over TCP to the trust-auth test cluster: pg_dump itself may run as root (only the server may not).
  return new Promise((resolve, reject) => {
    execFile(bin, ['--no-owner', '--no-privileges', `--dbname=${url}`], { encoding: 'utf8', maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`pg_dump failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('pg_dump of a database with citizens’ requests', () => {
  let deps: Deps | undefined;
  const caseIds: string[] = [];
  const trackingNos: string[] = [];

  beforeAll(async () => {
    const db = await freshPostgres();
    deps = await openDeps(loadConfig({}), { db, pii: loadPii(), now: () => new Date('2026-11-27T02:00:00Z'), log: makeLogger('silent') });
    await seedOrg(db);
    for (const [i, c] of CITIZENS.entries()) {
      const { caseId, trackingNo } = await submitRequest(deps, null, SubmitBody.parse({
        content: `第${i + 1}号测试诉求：小区门口的路灯坏了，晚上出行不便。`, unitCode: '440311005',
        citizen: { name: c.name, phone: c.typed },
      }));
      caseIds.push(caseId);
      trackingNos.push(trackingNo);
    }
  });
  afterAll(async () => {
    await deps?.db.close();
  });

  it('contains the cases but no phone number in any form and no name', async () => {
    const [{ name }] = (await rowsOf<{ name: string }>(deps!.db.orm, sql`select current_database() as name`)) as [{ name: string }];
    const dump = await pgDump(databaseUrl(inject('pgUrl'), name));

    // The dump is real and complete: schema, the cases and their events are in it.
    expect(dump).toMatch(/CREATE TABLE public\.cases /);
    expect(dump).toMatch(/COPY public\.case_events /);
    for (const id of caseIds) expect(dump).toContain(id);
    for (const no of trackingNos) expect(dump).toContain(no);
    expect(dump).toContain('第1号测试诉求');
    // Sealed personal data is there, as ciphertext tokens.
    expect(dump.match(/\bv1:[\w-]+:[\w-]+:[\w-]+/g)?.length ?? 0).toBeGreaterThanOrEqual(CITIZENS.length * 2);

    // Each leak is reported with its line, not as a diff of the whole dump.
    const secrets = CITIZENS.flatMap((c) => [
      ...phoneForms(c.phone, c.typed),
      c.name,
      ...(c.name.length > 2 ? [c.name.slice(1)] : []), // the given name alone
    ]);
    const leaks = secrets.flatMap((s) => dump.split('\n').filter((line) => line.includes(s)).map((line) => `${s} in: ${line.slice(0, 300)}`));
    expect(leaks).toEqual([]);
  });
});
