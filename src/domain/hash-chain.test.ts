import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainEvent, type ChainHead, GENESIS, canonicalJson, chainNext, eventHash, headsDigest } from './hash-chain.ts';

const event: ChainEvent = {
  caseId: '2f1c7e0a-5b7d-4c1e-9a53-0d6f1b2c3d4e',
  seq: 1,
  at: new Date('2025-03-01T08:30:00.123Z'),
  actorId: 'u-1',
  actorRole: 'operator',
  actorUnit: '440305',
  action: 'accept',
  fromStatus: null,
  toStatus: 'received',
  payload: { channel: 'qr', tags: ['噪音', 'night'], detail: { a: 1, b: null } },
};

/** Rebuilds an object with its keys in reverse order at every depth, as jsonb may hand it back. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

describe('canonicalJson', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: [{ d: 1, c: 2 }] }, '{"a":[{"c":2,"d":1}],"b":1}'],
    [{ z: undefined, y: null }, '{"y":null}'],
    [[undefined, () => 1, NaN, -0], '[null,null,null,0]'],
    [{ at: new Date('2025-01-02T03:04:05.006Z') }, '{"at":"2025-01-02T03:04:05.006Z"}'],
    [{ 中文: '深圳 "引号"\n' }, '{"中文":"深圳 \\"引号\\"\\n"}'],
    [{ B: 1, a: 2, _: 3 }, '{"B":1,"_":3,"a":2}'],
    ['text', '"text"'],
    [42, '42'],
    [null, 'null'],
    [undefined, 'null'],
  ])('%j → %s', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('throws on what JSON cannot hold', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(new Date(NaN))).toThrow(RangeError);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('is stable through a JSON round trip (as through jsonb)', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const once = canonicalJson(x);
      expect(canonicalJson(JSON.parse(once))).toBe(once);
    }));
  });

  it('does not depend on key order', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      expect(canonicalJson(reverseKeys(x))).toBe(canonicalJson(x));
    }));
  });
});

describe('eventHash', () => {
  const base = eventHash(GENESIS, event);

  it('is SM3 hex and pinned (checked with openssl dgst -sm3; changing it breaks stored chains)', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(base).toBe('2d0a61385d3014d97e1e6756e3b4cb23ec28985de110989e2220e52e64097e22');
  });

  it('gives the same hash for the event as read back from the database', () => {
    const readBack = { ...event, caseId: event.caseId.toUpperCase(), payload: JSON.parse(JSON.stringify(reverseKeys(event.payload))) };
    expect(eventHash(GENESIS, readBack)).toBe(base);
  });

  it.each<[string, Partial<ChainEvent>]>([
    ['caseId', { caseId: '2f1c7e0a-5b7d-4c1e-9a53-0d6f1b2c3d4f' }],
    ['seq', { seq: 2 }],
    ['at (1 ms)', { at: new Date('2025-03-01T08:30:00.124Z') }],
    ['actorId', { actorId: 'u-2' }],
    ['actorRole', { actorRole: 'admin' }],
    ['actorUnit', { actorUnit: null }],
    ['action', { action: 'dispatch' }],
    ['fromStatus', { fromStatus: 'received' }],
    ['toStatus', { toStatus: null }],
    ['payload value', { payload: { channel: 'qr', tags: ['噪音', 'night'], detail: { a: 2, b: null } } }],
    ['payload array order', { payload: { channel: 'qr', tags: ['night', '噪音'], detail: { a: 1, b: null } } }],
    ['payload null vs missing key', { payload: { channel: 'qr', tags: ['噪音', 'night'], detail: { a: 1 } } }],
  ])('changes when %s changes', (_field, change) => {
    expect(eventHash(GENESIS, { ...event, ...change })).not.toBe(base);
  });

  it('changes with the previous hash', () => {
    expect(eventHash('f'.repeat(64), event)).not.toBe(base);
  });

  it('does not confuse field boundaries', () => {
    const a = eventHash(GENESIS, { ...event, actorId: 'ab', actorRole: 'c' });
    const b = eventHash(GENESIS, { ...event, actorId: 'a', actorRole: 'bc' });
    expect(a).not.toBe(b);
  });

  it.each(['', 'abc', 'F'.repeat(64), 'g'.repeat(64)])('throws on prevHash %j', (prev) => {
    expect(() => eventHash(prev, event)).toThrow(/prevHash/);
  });
});

describe('chainNext', () => {
  const { seq: _seq, ...rest } = event;

  it('starts a chain at seq 1 from GENESIS and links the next event', () => {
    const first = chainNext({ seq: 0, hash: null }, rest);
    expect(first).toEqual({ seq: 1, prevHash: GENESIS, hash: eventHash(GENESIS, event) });
    const second = chainNext({ seq: first.seq, hash: first.hash }, { ...rest, action: 'dispatch' });
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(eventHash(first.hash, { ...rest, seq: 2, action: 'dispatch' }));
  });

  it.each<[number, string | null]>([[0, 'a'.repeat(64)], [3, null], [-1, null], [1.5, 'a'.repeat(64)]])(
    'throws on an inconsistent head (seq %j, hash %j)',
    (seq, hash) => {
      expect(() => chainNext({ seq, hash }, rest)).toThrow(/inconsistent chain head/);
    },
  );
});

describe('headsDigest', () => {
  const heads: ChainHead[] = [
    ['b0000000-0000-0000-0000-000000000000', 3, 'a'.repeat(64)],
    ['a0000000-0000-0000-0000-000000000000', 7, 'b'.repeat(64)],
  ];
  const digest = headsDigest(GENESIS, heads);

  it('ignores the order of heads', () => {
    expect(headsDigest(GENESIS, [...heads].reverse())).toBe(digest);
  });

  it.each<[string, ChainHead[]]>([
    ['a seq', [[heads[0]![0], 4, heads[0]![2]], heads[1]!]],
    ['a hash', [[heads[0]![0], 3, 'c'.repeat(64)], heads[1]!]],
    ['a case id', [['c0000000-0000-0000-0000-000000000000', 3, heads[0]![2]], heads[1]!]],
    ['a missing head', [heads[0]!]],
    ['no heads', []],
  ])('changes with %s', (_what, changed) => {
    expect(headsDigest(GENESIS, changed)).not.toBe(digest);
  });

  it('chains on the previous anchor hash', () => {
    expect(headsDigest(digest, heads)).not.toBe(digest);
    expect(() => headsDigest('nope', heads)).toThrow(/prevAnchorHash/);
  });
});
