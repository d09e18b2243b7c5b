/**
 * Tamper evidence for the event log: each case's events form an SM3 hash chain, and periodic
 * anchors digest the chain heads so a deleted case or event is noticed too. Pure computation.
 */
import { createHash } from 'node:crypto';

/** The `prevHash` of a case's first event and of the first anchor. */
export const GENESIS = '0'.repeat(64);

/** The stored fields of an event that its hash covers. */
export interface ChainEvent {
  caseId: string;
  seq: number;
  at: Date;
  actorId: string;
  actorRole: string;
  actorUnit: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  payload: unknown;
}

/** One chain head recorded in an anchor: `[caseId, seq, hash]`. */
export type ChainHead = [caseId: string, seq: number, hash: string];

const HASH = /^[0-9a-f]{64}$/;

/**
 * Serialises a JSON-like value deterministically: object keys sorted (by UTF-16 code units) at
 * every depth, no whitespace, Dates as ISO strings, otherwise JSON.stringify's rules (undefined
 * properties dropped, non-finite numbers → null). An object read back from PostgreSQL jsonb,
 * which reorders keys, therefore serialises exactly as the object that was written.
 * Throws TypeError for a BigInt or a circular structure, RangeError for an invalid Date.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, new Set()) ?? 'null';
}

function serialise(value: unknown, seen: Set<object>): string | undefined {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return serialise((value as { toJSON(): unknown }).toJSON(), seen);
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('canonicalJson: BigInt is not JSON');
    return JSON.stringify(value) as string | undefined;
  }
  if (seen.has(value)) throw new TypeError('canonicalJson: circular structure');
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[' + value.map((v) => serialise(v, seen) ?? 'null').join(',') + ']';
  } else {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const v = serialise((value as Record<string, unknown>)[key], seen);
      if (v !== undefined) parts.push(JSON.stringify(key) + ':' + v);
    }
    out = '{' + parts.join(',') + '}';
  }
  seen.delete(value);
  return out;
}

function sm3(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/**
 * The hash of an event: SM3 (hex) over the previous event's hash followed by the canonical JSON
 * of the event's fields (`at` with milliseconds, as stored by timestamptz). The case id is
 * lower-cased because PostgreSQL returns uuids lower-case; a missing payload counts as null.
 * Throws if prevHash is not 64 lower-case hex characters or `at` is an invalid Date.
 */
export function eventHash(prevHash: string, e: ChainEvent): string {
  if (!HASH.test(prevHash)) throw new Error('eventHash: prevHash must be 64 lower-case hex characters');
  return sm3(prevHash + canonicalJson({
    caseId: e.caseId.toLowerCase(),
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorRole: e.actorRole,
    actorUnit: e.actorUnit ?? null,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    payload: e.payload === undefined ? null : e.payload,
  }));
}

/**
 * What the code that appends an event stores: the next seq, the link to the previous head and the
 * new hash. `prev` is the case's current head (`cases.eventSeq`, `cases.headHash`); a new case
 * has `{ seq: 0, hash: null }`.
 * Throws if the head is inconsistent (a hash without events or events without a hash).
 */
export function chainNext(
  prev: { seq: number; hash: string | null },
  e: Omit<ChainEvent, 'seq'>,
): { seq: number; prevHash: string; hash: string } {
  if (!Number.isInteger(prev.seq) || prev.seq < 0 || (prev.seq === 0) !== (prev.hash === null)) {
    throw new Error(`chainNext: inconsistent chain head (seq ${prev.seq}, hash ${prev.hash === null ? 'null' : 'set'})`);
  }
  const seq = prev.seq + 1;
  const prevHash = prev.hash ?? GENESIS;
  return { seq, prevHash, hash: eventHash(prevHash, { ...e, seq }) };
}

/**
 * The hash of an audit anchor: SM3 (hex) over the previous anchor's hash and the canonical JSON
 * of the heads sorted by case id then seq, so the order they were queried in does not matter.
 * Throws if prevAnchorHash is not 64 lower-case hex characters.
 */
export function headsDigest(prevAnchorHash: string, heads: readonly ChainHead[]): string {
  if (!HASH.test(prevAnchorHash)) throw new Error('headsDigest: prevAnchorHash must be 64 lower-case hex characters');
  const sorted = [...heads].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return sm3(prevAnchorHash + canonicalJson(sorted));
}
