import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPii } from './pii.ts';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

describe('encrypt / decrypt', () => {
  const pii = loadPii({ key: KEY_A });

  it.each(['', '13812345678', '张三', '欧阳娜娜 · 深圳市南山区粤海街道 🏠', 'x'.repeat(1000)])(
    'round-trips %j',
    (plain) => {
      const token = pii.encrypt(plain);
      expect(token).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
      if (plain) expect(token).not.toContain(plain);
      expect(pii.decrypt(token)).toBe(plain);
    },
  );

  it('uses a fresh IV every time', () => {
    const a = pii.encrypt('张三');
    const b = pii.encrypt('张三');
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
  });

  it('decrypts with the same key in another instance, not with another key', () => {
    const token = pii.encrypt('张三');
    expect(loadPii({ key: KEY_A.toUpperCase() }).decrypt(token)).toBe('张三');
    expect(() => loadPii({ key: KEY_B }).decrypt(token)).toThrow(/failed authentication/);
  });

  const flip = (s: string) => {
    const buf = Buffer.from(s, 'base64url');
    buf[0] = buf[0]! ^ 1;
    return buf.toString('base64url');
  };
  it.each([1, 2, 3])('rejects a token whose part %i was changed', (part) => {
    const parts = pii.encrypt('13812345678').split(':');
    parts[part] = flip(parts[part]!);
    expect(() => pii.decrypt(parts.join(':'))).toThrow(/failed authentication/);
  });

  it('rejects swapped ciphertexts between tokens', () => {
    const [v, iv, , tag] = pii.encrypt('张三').split(':');
    const ct2 = pii.encrypt('李四').split(':')[2];
    expect(() => pii.decrypt([v, iv, ct2, tag].join(':'))).toThrow(/failed authentication/);
  });

  it.each(['', 'v1:abc', 'v2:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AAAA', 'v1:AA:AA:AA:AA', 'plain text'])(
    'rejects malformed token %j',
    (token) => {
      expect(() => pii.decrypt(token)).toThrow(/malformed token/);
    },
  );
});

describe('index and mac', () => {
  const a = loadPii({ key: KEY_A });
  const b = loadPii({ key: KEY_B });

  it('index is deterministic hex and depends on the key', () => {
    expect(a.index('13812345678')).toBe(a.index('13812345678'));
    expect(a.index('13812345678')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.index('13812345678')).not.toBe(a.index('13812345679'));
    expect(a.index('13812345678')).not.toBe(b.index('13812345678'));
  });

  it('mac uses a different subkey from index', () => {
    expect(a.mac('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(a.mac('x')).toBe(a.mac('x'));
    expect(a.mac('x')).not.toBe(a.index('x'));
    expect(a.mac('x')).not.toBe(b.mac('x'));
  });
});

describe('loadPii key sources', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'suqiu-pii-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the key file with mode 0600 and reuses it', () => {
    const dir = join(tempDir(), 'data');
    const first = loadPii({ dataDir: dir });
    const file = join(dir, 'suqiu.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const token = first.encrypt('张三');
    const before = readFileSync(file, 'utf8');
    const second = loadPii({ dataDir: dir });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(second.decrypt(token)).toBe('张三');
    expect(second.index('1')).toBe(first.index('1'));
  });

  it('prefers an explicit key over the key file', () => {
    const dir = tempDir();
    const fromFile = loadPii({ dataDir: dir });
    const explicit = loadPii({ key: KEY_A, dataDir: dir });
    expect(explicit.index('1')).toBe(loadPii({ key: KEY_A }).index('1'));
    expect(explicit.index('1')).not.toBe(fromFile.index('1'));
  });

  it('rejects a bad key without echoing it', () => {
    expect(() => loadPii({ key: 'secret-but-short' })).toThrow(/64 hex/);
    try {
      loadPii({ key: 'secret-but-short' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'suqiu.key'), 'nothex');
    expect(() => loadPii({ dataDir: dir })).toThrow(/64 hex/);
  });

  it('without key or folder uses a random in-memory key', () => {
    expect(loadPii().index('1')).not.toBe(loadPii().index('1'));
  });
});
