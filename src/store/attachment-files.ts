/**
 * Attachment files on disk under the attachments folder (config ATTACHMENTS_DIR, default
 * DATA_DIR/attachments): `<first two hex of the case id>/<case id>/<attachment id>`, no name or
 * extension from the sender. A file is written to a temporary name, flushed and renamed, so a
 * crash never leaves half a file under a real name.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The stored path of a case's attachment, relative to the folder (so the folder can move). */
export function attachmentPath(caseId: string, attachmentId: string): string {
  if (!UUID.test(caseId) || !UUID.test(attachmentId)) throw new Error('attachment ids must be lower-case uuids');
  return join(caseId.slice(0, 2), caseId, attachmentId);
}

function absolute(root: string, rel: string): string {
  const abs = resolve(root, rel);
  if (!abs.startsWith(resolve(root) + sep)) throw new Error('attachment path outside its folder');
  return abs;
}

/** Writes the bytes durably at `rel`; an existing file is never overwritten. */
export async function writeAttachmentFile(root: string, rel: string, bytes: Uint8Array): Promise<void> {
  const abs = absolute(root, rel);
  await mkdir(dirname(abs), { recursive: true, mode: 0o700 });
  const tmp = `${abs}.tmp-${randomBytes(6).toString('hex')}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Removes a file whose database row was never committed. */
export async function removeAttachmentFile(root: string, rel: string): Promise<void> {
  await rm(absolute(root, rel), { force: true });
}

/** A stream of the file and its size; null when the file is missing. */
export async function readAttachmentFile(root: string, rel: string): Promise<{ stream: ReadStream; size: number } | null> {
  const abs = absolute(root, rel);
  try {
    const s = await stat(abs);
    return { stream: createReadStream(abs), size: s.size };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
