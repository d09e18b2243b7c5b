/**
 * Open311 API keys for partner systems that submit requests. A key is shown once when it is
 * made; the database keeps its SM3 hash (a key is 192 random bits, so a fast hash is enough) and
 * a short prefix to tell keys apart in lists.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DomainError, badInput, notFound } from '../domain/errors.ts';
import {
  findApiKeys, getApiKeyByHash, insertApiKey, listApiKeyRows, setApiKeyRevoked, touchApiKey, type ApiKeyRow,
} from '../store/api-keys.queries.ts';
import type { Deps } from './deps.ts';

const KEY_PREFIX = 'sq_';
/** `sq_` and 7 characters of the random part: enough to tell keys apart, useless to guess one. */
const DISPLAY_LENGTH = 10;

const hashKey = (key: string) => createHash('sm3').update(key, 'utf8').digest('hex');

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const view = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id, name: r.name, prefix: r.prefix, createdAt: r.createdAt, revokedAt: r.revokedAt, lastUsedAt: r.lastUsedAt,
});

const Name = z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters');

/**
 * Makes a key for a named partner. The returned `key` is the only time it is visible.
 * @throws bad_input for an empty or over-long name
 */
export async function addApiKey(deps: Deps, name: string): Promise<ApiKeyView & { key: string }> {
  const parsed = Name.safeParse(name);
  if (!parsed.success) throw badInput('name', parsed.error.issues[0]!.message);
  const key = KEY_PREFIX + randomBytes(24).toString('base64url');
  const row = await insertApiKey(deps.db.orm, {
    name: parsed.data, prefix: key.slice(0, DISPLAY_LENGTH), keyHash: hashKey(key), createdAt: deps.now(),
  });
  return { ...view(row), key };
}

/** Every key, oldest first, revoked ones included (they say when). */
export async function listApiKeys(deps: Deps): Promise<ApiKeyView[]> {
  return (await listApiKeyRows(deps.db.orm)).map(view);
}

/**
 * Revokes the key with this id or display prefix (or the start of one). Revoking twice is fine.
 * @throws not_found when nothing matches, conflict when a prefix matches several keys
 */
export async function revokeApiKey(deps: Deps, ref: string): Promise<ApiKeyView> {
  const r = ref.trim();
  if (r.length < 4) throw badInput('ref', 'give the key id or at least 4 characters of its prefix');
  const hits = await findApiKeys(deps.db.orm, r, z.uuid().safeParse(r).success);
  if (hits.length === 0) throw notFound(`api key ${r}`);
  if (hits.length > 1) throw new DomainError('conflict', `ref: ${r} matches ${hits.length} keys; give more of the prefix or the id`);
  const row = hits[0]!;
  if (row.revokedAt) return view(row);
  const at = deps.now();
  await setApiKeyRevoked(deps.db.orm, row.id, at);
  return view({ ...row, revokedAt: at });
}

/**
 * The partner behind a key, for a request that needs one; records when the key was last used.
 * @throws forbidden for a missing, unknown or revoked key (one message: no hint which)
 */
export async function authenticateApiKey(deps: Deps, key: string | undefined): Promise<{ id: string; name: string }> {
  if (!key) throw new DomainError('forbidden', 'api_key: is required to submit a request');
  const row = key.startsWith(KEY_PREFIX) && key.length < 100 ? await getApiKeyByHash(deps.db.orm, hashKey(key)) : null;
  if (!row || row.revokedAt) throw new DomainError('forbidden', 'api_key: is not a valid key');
  await touchApiKey(deps.db.orm, row.id, deps.now());
  return { id: row.id, name: row.name };
}
