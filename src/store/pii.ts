/**
 * Personal data at rest: the one interface that encrypts, decrypts, indexes and signs with the
 * installation's master key. SM4-CBC + HMAC-SM3 (encrypt-then-MAC) from node:crypto.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pii {
  /** Encrypts text (any Unicode) into a `v1:<iv>:<ct>:<tag>` token; a fresh IV every call. */
  encrypt(plain: string): string;
  /** Decrypts a token from `encrypt`. Throws if it is malformed, tampered with or made under another key. */
  decrypt(token: string): string;
  /** Deterministic keyed hash (hex) for finding rows by an exact value; normalise the value first. */
  index(value: string): string;
  /** Keyed hash (hex) that signs integrity data such as audit anchors. */
  mac(data: string): string;
}

export interface PiiOptions {
  /** Master key as 64 hex characters (e.g. from env SUQIU_KEY). Wins over the key file. */
  key?: string;
  /** Folder holding `suqiu.key`; the file is created (mode 0600) when missing. */
  dataDir?: string;
}

const KEY_FILE = 'suqiu.key';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const VERSION = 'v1';
const IV_BYTES = 16;
const TAG_BYTES = 32;

/**
 * Builds the Pii service. The master key comes from `key`, else from `<dataDir>/suqiu.key`
 * (generated on first use), else — with neither, as in tests — a random key that lives only in
 * memory, so anything it encrypts is unreadable after the process ends.
 * Throws if the given key or the key file is not 64 hex characters, or the file cannot be
 * read or created. Error messages never contain key material.
 */
export function loadPii(opts: PiiOptions = {}): Pii {
  const master = opts.key !== undefined
    ? parseKey(opts.key, 'the given key')
    : opts.dataDir !== undefined ? readOrCreateKeyFile(opts.dataDir) : randomBytes(32);
  return makePii(master);
}

function makePii(master: Buffer): Pii {
  const sub = (label: string) => createHmac('sm3', master).update(`suqiu/v1/${label}`).digest();
  const encKey = sub('enc').subarray(0, 16);
  const tagKey = sub('enc-tag');
  const macKey = sub('mac');
  const indexKey = sub('index');
  const tagOf = (iv: Buffer, ct: Buffer) =>
    createHmac('sm3', tagKey).update(VERSION).update(iv).update(ct).digest();

  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('sm4-cbc', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, b64(iv), b64(ct), b64(tagOf(iv, ct))].join(':');
    },
    decrypt(token) {
      const parts = typeof token === 'string' ? token.split(':') : [];
      const [version, ivText, ctText, tagText] = parts;
      if (parts.length !== 4 || version !== VERSION || !ivText || !ctText || !tagText) {
        throw new Error('pii: malformed token');
      }
      const iv = Buffer.from(ivText, 'base64url');
      const ct = Buffer.from(ctText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || ct.length === 0 || ct.length % 16 !== 0 || tag.length !== TAG_BYTES) {
        throw new Error('pii: malformed token');
      }
      if (!timingSafeEqual(tag, tagOf(iv, ct))) {
        throw new Error('pii: token failed authentication (tampered with or encrypted under another key)');
      }
      const decipher = createDecipheriv('sm4-cbc', encKey, iv);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    },
    index(value) {
      return createHmac('sm3', indexKey).update(value, 'utf8').digest('hex');
    },
    mac(data) {
      return createHmac('sm3', macKey).update(data, 'utf8').digest('hex');
    },
  };
}

function readOrCreateKeyFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return parseKey(readFileSync(path, 'utf8').trim(), path);
}

function parseKey(hex: string, source: string): Buffer {
  if (!HEX_KEY.test(hex)) throw new Error(`pii: ${source} must be 64 hex characters (32 bytes)`);
  return Buffer.from(hex, 'hex');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}
