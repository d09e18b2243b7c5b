/**
 * The audit of the event log: `anchorAudit` periodically signs the chain heads that moved, and
 * `verifyAudit` re-checks every case chain and every anchor, naming each row that is wrong.
 * Problems name rows by id, case id, seq and anchor id only — never personal data.
 */
import { timingSafeEqual } from 'node:crypto';
import { asc, count, desc, gt, inArray, sql } from 'drizzle-orm';
import { type ChainHead, GENESIS, eventHash, headsDigest } from '../domain/hash-chain.ts';
import { rowsOf, type Db, type Tx } from '../store/db.ts';
import type { Pii } from '../store/pii.ts';
import { auditAnchors, caseEvents, cases } from '../store/schema.ts';
import { ADVISORY_LOCKS } from '../store/advisory-locks.ts';

export interface AuditReport {
  ok: boolean;
  cases: number;
  events: number;
  anchors: number;
  problems: string[];
}

/** Arbitrary constant: serialises concurrent anchor runs so the anchor chain never forks. */
const ANCHOR_LOCK = ADVISORY_LOCKS.auditAnchor;
const CASE_BATCH = 250;
const ANCHOR_BATCH = 20;
const HEAD_CHECK_BATCH = 1000;
const MAX_PROBLEMS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;

/**
 * Writes a signed anchor over the heads `[caseId, seq, hash]` of every case whose chain grew
 * since it was last anchored, linked to the previous anchor, so deleting a case or trimming a
 * chain afterwards is detectable. Writes nothing (anchorId null) when no head moved. Runs in one
 * transaction under an advisory lock, so several nodes may call it at once.
 * Cost: proportional to the cases that moved (a partial index keeps them at hand).
 * Throws if the previous anchor's hash is malformed (the anchor chain was tampered with).
 */
export async function anchorAudit(db: Db, pii: Pii, now: Date): Promise<{ anchorId: number | null; heads: number }> {
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ANCHOR_LOCK})`);
    const [last] = await tx.select({ hash: auditAnchors.hash }).from(auditAnchors).orderBy(desc(auditAnchors.id)).limit(1);
    const moved = await rowsOf<{ id: string; seq: number; hash: string }>(tx, sql`
      select id, event_seq as seq, head_hash as hash from cases
      where event_seq <> anchored_seq and head_hash is not null
      order by id`);
    if (moved.length === 0) return { anchorId: null, heads: 0 };
    const heads: ChainHead[] = moved.map((r) => [r.id, r.seq, r.hash]);
    const prevHash = last?.hash ?? GENESIS;
    const hash = headsDigest(prevHash, heads);
    const [row] = await tx.insert(auditAnchors)
      .values({ at: now, heads, caseCount: heads.length, prevHash, hash, mac: pii.mac(hash) })
      .returning({ id: auditAnchors.id });
    await tx.execute(sql`
      update cases c set anchored_seq = x.seq
      from jsonb_to_recordset(${JSON.stringify(moved)}::jsonb) as x(id uuid, seq int)
      where c.id = x.id`);
    return { anchorId: row!.id, heads: heads.length };
  });
}

/**
 * Re-checks the whole event log: every case chain (seq 1..n contiguous, prev_hash links, each
 * hash recomputed from the stored fields, the case's event_seq/head_hash equal to its last
 * event), events whose case row is gone, the anchor chain (links, digests, MACs) and that every
 * anchored head still exists unchanged. Reads cases in batches, each batch in a repeatable-read
 * snapshot. `onProgress(done, total)` counts case rows, then anchors. At most 1000 problems are
 * listed, followed by a count of the rest. Throws only on database errors.
 */
export async function verifyAudit(
  db: Db,
  pii: Pii,
  onProgress?: (done: number, total: number) => void,
): Promise<AuditReport> {
  const problems = new Problems();
  const [caseTotal] = await db.orm.select({ n: count() }).from(cases);
  const [anchorTotal] = await db.orm.select({ n: count() }).from(auditAnchors);
  let total = (caseTotal?.n ?? 0) + (anchorTotal?.n ?? 0);
  let done = 0;
  const progress = (n: number) => {
    done += n;
    total = Math.max(total, done);
    onProgress?.(done, total);
  };

  let caseCount = 0;
  let eventCount = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await readCaseBatch(db, after);
    if (batch.cases.length === 0) break;
    for (const c of batch.cases) checkChain(c, batch.events.get(c.id) ?? [], problems);
    caseCount += batch.cases.length;
    eventCount += batch.eventCount;
    after = batch.cases[batch.cases.length - 1]!.id;
    progress(batch.cases.length);
  }
  eventCount += await checkOrphanEvents(db.orm, problems);
  const anchorCount = await checkAnchors(db, pii, problems, progress);

  return { ok: problems.total === 0, cases: caseCount, events: eventCount, anchors: anchorCount, problems: problems.list() };
}

type EventRow = typeof caseEvents.$inferSelect;
interface CaseHead { id: string; eventSeq: number; headHash: string | null }

async function readCaseBatch(db: Db, after: string | null) {
  return db.orm.transaction(async (tx) => {
    const heads: CaseHead[] = await tx.select({ id: cases.id, eventSeq: cases.eventSeq, headHash: cases.headHash })
      .from(cases).where(after === null ? undefined : gt(cases.id, after)).orderBy(asc(cases.id)).limit(CASE_BATCH);
    const events = new Map<string, EventRow[]>();
    if (heads.length === 0) return { cases: heads, events, eventCount: 0 };
    const rows = await tx.select().from(caseEvents)
      .where(inArray(caseEvents.caseId, heads.map((c) => c.id)))
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
    for (const e of rows) {
      const list = events.get(e.caseId);
      if (list) list.push(e);
      else events.set(e.caseId, [e]);
    }
    return { cases: heads, events, eventCount: rows.length };
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

/** Reports each broken link once, then carries on from the stored hash so one edit is one problem. */
function checkChain(c: CaseHead, events: EventRow[], problems: Problems): void {
  let expectedSeq = 1;
  let prevHash = GENESIS;
  for (const e of events) {
    const row = `case_events id=${e.id} (case ${c.id} seq ${e.seq})`;
    if (e.seq > expectedSeq) {
      const gap = e.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}..${e.seq - 1}`;
      problems.add(`case ${c.id}: events ${gap} missing (before case_events id=${e.id})`);
    } else if (e.seq < expectedSeq) {
      problems.add(`${row}: seq out of range (expected ${expectedSeq})`);
    } else if (e.prevHash !== prevHash) {
      problems.add(`${row}: prev_hash does not link to the previous event`);
    }
    if (recompute(e) !== e.hash) problems.add(`${row}: hash mismatch`);
    expectedSeq = e.seq + 1;
    prevHash = e.hash;
  }
  const last = events[events.length - 1];
  if (c.eventSeq !== (last?.seq ?? 0) || c.headHash !== (last?.hash ?? null)) {
    problems.add(`case ${c.id}: event_seq/head_hash (seq ${c.eventSeq}) do not match its last event (seq ${last?.seq ?? 'none'})`);
  }
}

function recompute(e: EventRow): string | null {
  try {
    return eventHash(e.prevHash, e);
  } catch {
    return null;
  }
}

async function checkOrphanEvents(tx: Tx, problems: Problems): Promise<number> {
  const rows = await rowsOf<{ case_id: string; n: number; first_id: string }>(tx, sql`
    select e.case_id, count(*)::int as n, min(e.id)::text as first_id
    from case_events e
    where not exists (select 1 from cases c where c.id = e.case_id)
    group by e.case_id order by e.case_id`);
  let events = 0;
  for (const r of rows) {
    problems.add(`case ${r.case_id} missing but has ${r.n} events (first case_events id=${r.first_id})`);
    events += r.n;
  }
  return events;
}

async function checkAnchors(db: Db, pii: Pii, problems: Problems, progress: (n: number) => void): Promise<number> {
  let prevHash = GENESIS;
  let prevId: number | null = null;
  let anchors = 0;
  const missingCases = new Set<string>();
  for (;;) {
    const batch = await db.orm.select().from(auditAnchors)
      .where(prevId === null ? undefined : gt(auditAnchors.id, prevId)).orderBy(asc(auditAnchors.id)).limit(ANCHOR_BATCH);
    if (batch.length === 0) break;
    for (const a of batch) {
      const row = `audit_anchors id=${a.id}`;
      if (a.prevHash !== prevHash) {
        problems.add(`${row}: prev_hash does not link to ${prevId === null ? 'the start' : `anchor ${prevId}`}`);
      }
      const heads = parseHeads(a.heads);
      if (!heads) {
        problems.add(`${row}: heads malformed`);
      } else {
        if (a.caseCount !== heads.length) problems.add(`${row}: case_count ${a.caseCount} but ${heads.length} heads`);
        if (digestOrNull(a.prevHash, heads) !== a.hash) problems.add(`${row}: hash does not match its heads`);
        await checkHeadsExist(db.orm, a.id, heads, problems, missingCases);
      }
      if (!sameHex(a.mac, pii.mac(a.hash))) problems.add(`${row}: mac invalid (altered, or signed with another key)`);
      prevHash = a.hash;
      prevId = a.id;
    }
    anchors += batch.length;
    progress(batch.length);
  }
  return anchors;
}

/** Flags anchored heads whose event is gone or changed, in a few set queries per anchor. */
async function checkHeadsExist(tx: Tx, anchorId: number, heads: ChainHead[], problems: Problems, missingCases: Set<string>) {
  for (let i = 0; i < heads.length; i += HEAD_CHECK_BATCH) {
    const chunk = heads.slice(i, i + HEAD_CHECK_BATCH).map(([caseId, seq, hash]) => ({ case_id: caseId, seq, hash }));
    const bad = await rowsOf<{ case_id: string; seq: number; event_id: string | null; case_exists: boolean }>(tx, sql`
      select x.case_id, x.seq, e.id::text as event_id, (c.id is not null) as case_exists
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(case_id uuid, seq int, hash text)
        left join case_events e on e.case_id = x.case_id and e.seq = x.seq
        left join cases c on c.id = x.case_id
      where e.id is null or e.hash <> x.hash
      order by x.case_id, x.seq`);
    for (const r of bad) {
      if (!r.case_exists) {
        if (!missingCases.has(r.case_id)) problems.add(`case ${r.case_id} missing (anchored in anchor ${anchorId})`);
        missingCases.add(r.case_id);
      } else if (r.event_id === null) {
        problems.add(`case ${r.case_id}: anchored event seq ${r.seq} missing (anchor ${anchorId})`);
      } else {
        problems.add(`case_events id=${r.event_id} (case ${r.case_id} seq ${r.seq}): hash differs from anchor ${anchorId}`);
      }
    }
  }
}

function parseHeads(value: unknown): ChainHead[] | null {
  if (!Array.isArray(value)) return null;
  const ok = value.every((h) => Array.isArray(h) && h.length === 3 && typeof h[0] === 'string' && UUID.test(h[0])
    && Number.isInteger(h[1]) && h[1] > 0 && h[1] < 2 ** 31 && typeof h[2] === 'string' && HASH.test(h[2]));
  return ok ? (value as ChainHead[]) : null;
}

function digestOrNull(prevHash: string, heads: ChainHead[]): string | null {
  try {
    return headsDigest(prevHash, heads);
  } catch {
    return null;
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Both drivers (pg and PGlite) return raw query results with a `rows` array. */
class Problems {
  total = 0;
  private items: string[] = [];
  add(problem: string): void {
    this.total++;
    if (this.items.length < MAX_PROBLEMS) this.items.push(problem);
  }
  list(): string[] {
    const more = this.total - this.items.length;
    return more > 0 ? [...this.items, `… and ${more} more problems`] : [...this.items];
  }
}
