import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS, chainNext, headsDigest } from '../domain/hash-chain.ts';
import { type Db, makeDb, migrate } from '../store/db.ts';
import { loadPii } from '../store/pii.ts';
import { auditAnchors, caseEvents, cases } from '../store/schema.ts';
import { anchorAudit, verifyAudit } from './audit.ts';

const pii = loadPii({ key: '1'.repeat(64) });
const t0 = new Date('2025-03-01T08:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
let db: Db;
let tracking = 0;

beforeAll(async () => {
  db = await makeDb();
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.orm.execute(sql`truncate cases, case_events, audit_anchors restart identity`);
});

/** A case row plus `n` hash-chained events, written the way the use cases write them. */
async function seedCase(n: number): Promise<string> {
  const id = randomUUID();
  await db.orm.insert(cases).values({
    id, trackingNo: `T${++tracking}`, channel: 'qr', type: '投诉', content: '夜间施工噪音',
    intakeUnitCode: '440305', scopeUnits: ['440300', '440305'], status: 'received', statusCategory: 'new',
    createdAt: t0, updatedAt: t0,
  });
  await appendEvents(id, n);
  return id;
}

async function appendEvents(caseId: string, n: number): Promise<void> {
  const [head] = await db.orm.select({ seq: cases.eventSeq, hash: cases.headHash }).from(cases).where(eq(cases.id, caseId));
  let prev = head!;
  for (let i = 0; i < n; i++) {
    const e = {
      caseId, at: minutes(prev.seq), actorId: 'u-1', actorRole: 'operator', actorUnit: i % 2 ? null : '440305',
      action: prev.seq === 0 ? 'accept' : 'feedback', fromStatus: prev.seq === 0 ? null : 'received', toStatus: 'received',
      payload: { note: `第${prev.seq + 1}次`, nested: { z: 1, a: [1, 'x', null] } },
    };
    const link = chainNext(prev, e);
    await db.orm.insert(caseEvents).values({ ...e, ...link });
    prev = { seq: link.seq, hash: link.hash };
  }
  await db.orm.update(cases).set({ eventSeq: prev.seq, headHash: prev.hash }).where(eq(cases.id, caseId));
}

async function eventId(caseId: string, seq: number): Promise<number> {
  const rows = await db.orm.select({ id: caseEvents.id }).from(caseEvents)
    .where(sql`${caseEvents.caseId} = ${caseId} and ${caseEvents.seq} = ${seq}`);
  return rows[0]!.id;
}

describe('anchorAudit', () => {
  it('anchors only heads that moved, linking anchors', async () => {
    const [a, b] = [await seedCase(3), await seedCase(2)];
    await seedCase(0);
    const first = await anchorAudit(db, pii, minutes(10));
    expect(first).toEqual({ anchorId: 1, heads: 2 });
    expect(await anchorAudit(db, pii, minutes(11))).toEqual({ anchorId: null, heads: 0 });

    await appendEvents(b, 2);
    const second = await anchorAudit(db, pii, minutes(12));
    expect(second).toEqual({ anchorId: 2, heads: 1 });

    const rows = await db.orm.select().from(auditAnchors).orderBy(auditAnchors.id);
    expect(rows[0]!.prevHash).toBe(GENESIS);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows[1]!.heads).toEqual([[b, 4, expect.stringMatching(/^[0-9a-f]{64}$/)]]);
    expect(rows[1]!.hash).toBe(headsDigest(rows[0]!.hash, rows[1]!.heads as never));
    expect(rows[1]!.mac).toBe(pii.mac(rows[1]!.hash));
    expect((rows[0]!.heads as unknown[]).map((h) => (h as unknown[])[0]).sort()).toEqual([a, b].sort());
  });
});

describe('verifyAudit', () => {
  let a: string;
  let b: string;
  beforeEach(async () => {
    a = await seedCase(4);
    b = await seedCase(3);
    await seedCase(0);
    await anchorAudit(db, pii, minutes(30));
  });

  it('passes on an untouched log and reports progress', async () => {
    await appendEvents(a, 1); // moved since the anchor: still fine
    const seen: [number, number][] = [];
    const report = await verifyAudit(db, pii, (done, total) => seen.push([done, total]));
    expect(report).toEqual({ ok: true, cases: 3, events: 8, anchors: 1, problems: [] });
    expect(seen.at(-1)).toEqual([4, 4]);
  });

  it('names an event whose payload was edited', async () => {
    const id = await eventId(a, 2);
    await db.orm.execute(sql`update case_events set payload = '{"note":"改过"}' where id = ${id}`);
    const report = await verifyAudit(db, pii);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`case_events id=${id} (case ${a} seq 2): hash mismatch`]);
  });

  it('names a deleted event in the middle and at the end', async () => {
    const mid = await eventId(a, 2);
    const next = await eventId(a, 3);
    await db.orm.execute(sql`delete from case_events where id = ${mid}`);
    const report = await verifyAudit(db, pii);
    expect(report.problems).toEqual([`case ${a}: events seq 2 missing (before case_events id=${next})`]);

    await db.orm.execute(sql`delete from case_events where case_id = ${b} and seq = 3`);
    const report2 = await verifyAudit(db, pii);
    expect(report2.problems).toContain(`case ${b}: event_seq/head_hash (seq 3) do not match its last event (seq 2)`);
    expect(report2.problems).toContain(`case ${b}: anchored event seq 3 missing (anchor 1)`);
  });

  it('names a case deleted with its events after anchoring', async () => {
    await db.orm.execute(sql`delete from case_events where case_id = ${b}`);
    await db.orm.execute(sql`delete from cases where id = ${b}`);
    const report = await verifyAudit(db, pii);
    expect(report.problems).toEqual([`case ${b} missing (anchored in anchor 1)`]);
  });

  it('names events left behind by a deleted case row', async () => {
    const first = await eventId(b, 1);
    await db.orm.execute(sql`delete from cases where id = ${b}`);
    const report = await verifyAudit(db, pii);
    expect(report.problems).toEqual([`case ${b} missing but has 3 events (first case_events id=${first})`]);
    expect(report.events).toBe(7);
  });

  it('names a tampered anchor mac, hash and heads', async () => {
    await db.orm.execute(sql`update audit_anchors set mac = ${'0'.repeat(64)} where id = 1`);
    expect((await verifyAudit(db, pii)).problems).toEqual(['audit_anchors id=1: mac invalid (altered, or signed with another key)']);

    await db.orm.execute(sql`update audit_anchors set heads = heads - 0, case_count = case_count - 1 where id = 1`);
    expect((await verifyAudit(db, pii)).problems).toEqual([
      'audit_anchors id=1: hash does not match its heads',
      'audit_anchors id=1: mac invalid (altered, or signed with another key)',
    ]);

    await db.orm.execute(sql`update audit_anchors set heads = '{"x":1}' where id = 1`);
    expect((await verifyAudit(db, pii)).problems).toContain('audit_anchors id=1: heads malformed');
  });

  it('rejects anchors signed with another key', async () => {
    const report = await verifyAudit(db, loadPii({ key: '2'.repeat(64) }));
    expect(report.problems).toEqual(['audit_anchors id=1: mac invalid (altered, or signed with another key)']);
  });

  it('names a deleted anchor in the middle of the anchor chain', async () => {
    await appendEvents(a, 1);
    await anchorAudit(db, pii, minutes(40));
    await appendEvents(b, 1);
    await anchorAudit(db, pii, minutes(50));
    await db.orm.execute(sql`delete from audit_anchors where id = 2`);
    expect((await verifyAudit(db, pii)).problems).toEqual(['audit_anchors id=3: prev_hash does not link to anchor 1']);
  });

  it('names a rewritten chain whose hashes were all recomputed, through the anchor', async () => {
    const [last] = await db.orm.select().from(caseEvents).where(sql`case_id = ${b} and seq = 3`);
    await db.orm.execute(sql`delete from case_events where id = ${last!.id}`);
    await db.orm.execute(sql`update cases set event_seq = 2, head_hash = ${last!.prevHash} where id = ${b}`);
    const forged = chainNext({ seq: 2, hash: last!.prevHash }, { ...last!, payload: { note: '伪造' } });
    await db.orm.insert(caseEvents).values({ ...last!, id: undefined, payload: { note: '伪造' }, ...forged });
    await db.orm.execute(sql`update cases set event_seq = 3, head_hash = ${forged.hash} where id = ${b}`);
    const id = await eventId(b, 3);
    const report = await verifyAudit(db, pii);
    expect(report.problems).toEqual([`case_events id=${id} (case ${b} seq 3): hash differs from anchor 1`]);
  });
});
