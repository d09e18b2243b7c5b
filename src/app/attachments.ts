/**
 * Attachments: photos and PDFs that citizens add to their request (with it, right after it with
 * the access token from the submission, or later) and that staff add to a reply. A file is
 * judged by its bytes (domain/attachment.ts), stripped of its metadata (domain/strip-metadata.ts),
 * hashed (SHA-256 of what is stored) and written under the attachments folder; its row and its
 * `attach` event are written in one transaction with the case locked, which is also where the
 * per-case limit is counted. Reading follows the case's visibility: outside it, 404.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { z } from 'zod';
import type { Actor } from '../domain/actor.ts';
import { actorId } from '../domain/actor.ts';
import {
  ATTACHMENT_PURPOSES, citizenPurpose, mayReadAttachment, safeFilename, sideOf, sniffMime, type AttachmentMime, type AttachmentPurpose,
} from '../domain/attachment.ts';
import { DomainError, badInput, notFound } from '../domain/errors.ts';
import { canSee } from '../domain/policy.ts';
import { MalformedFileError, stripMetadata } from '../domain/strip-metadata.ts';
import { attachmentPath, readAttachmentFile, removeAttachmentFile, writeAttachmentFile } from '../store/attachment-files.ts';
import { countAttachments, getAttachment, insertAttachment, listAttachments, type AttachmentRow } from '../store/attachments.queries.ts';
import { getCase, toState } from '../store/cases.queries.ts';
import { proveOwner, type Proof } from './citizen-proof.ts';
import type { Deps } from './deps.ts';
import { performAction } from './perform-action.ts';

/** What staff may say a file is for; citizens' files are `submission` or `supplement` by the case's status. */
export const StaffPurpose = z.enum(['reply', 'internal']).default('reply');

export interface Upload {
  bytes: Buffer;
  /** As the sender named it; only used, cleaned, for the download name. */
  filename?: string | null;
}

const isUuid = (s: string) => z.string().uuid().safeParse(s).success;

/** The metadata a client sees of an attachment. */
export const presentAttachment = (a: AttachmentRow) => ({
  id: a.id, filename: a.filename, mime: a.mime, size: a.size, sha256: a.sha256, purpose: a.purpose, createdAt: a.createdAt,
});

/** Checks type and size and strips metadata. Throws too_large, bad_input (empty), unsupported_type. */
function prepare(deps: Deps, upload: Upload): { mime: AttachmentMime; bytes: Buffer } {
  if (upload.bytes.length === 0) throw badInput('file', 'is empty');
  if (upload.bytes.length > deps.config.attachmentMaxBytes) {
    throw new DomainError('too_large', `file: must be at most ${(deps.config.attachmentMaxBytes / 1048576).toFixed(1)} MB`);
  }
  const mime = sniffMime(upload.bytes);
  if (!mime) throw new DomainError('unsupported_type', 'file: must be a JPEG, PNG, WebP or HEIC photo or a PDF (judged by its content, not its name)');
  try {
    return { mime, bytes: stripMetadata(mime, upload.bytes) };
  } catch (e) {
    if (e instanceof MalformedFileError) throw new DomainError('unsupported_type', `file: ${e.message}`);
    throw e;
  }
}

/**
 * Adds a file to a case as `actor`. Throws not_found outside the actor's view, invalid_transition
 * for a merged or withdrawn case, conflict when the actor's side already holds the per-case
 * maximum, and the errors of `prepare`.
 */
export async function addAttachment(deps: Deps, actor: Actor, caseId: string, upload: Upload, staffPurpose: AttachmentPurpose = 'reply') {
  if (!isUuid(caseId)) throw notFound('case');
  const { mime, bytes } = prepare(deps, upload);
  const id = randomUUID();
  const rel = attachmentPath(caseId.toLowerCase(), id);
  const root = deps.config.attachmentsDir;
  let written = false;
  try {
    const r = await performAction(deps, actor, caseId, 'attach', async (tx, c) => {
      const purpose = actor.kind === 'citizen' ? citizenPurpose(c) : staffPurpose;
      const side = sideOf(purpose);
      const held = await countAttachments(tx, c.id, ATTACHMENT_PURPOSES.filter((p) => sideOf(p) === side));
      if (held >= deps.config.attachmentsPerCase) {
        throw new DomainError('conflict', `file: a request takes at most ${deps.config.attachmentsPerCase} files from the ${side}`);
      }
      const row = await getCase(tx, c.id);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // Written with the case locked: the count above stays true, and no file exists for a case
      // the actor may not touch. A failed commit removes it below.
      await writeAttachmentFile(root, rel, bytes);
      written = true;
      await insertAttachment(tx, {
        id, caseId: c.id, eventSeq: (row?.eventSeq ?? 0) + 1, purpose, filename: safeFilename(upload.filename, mime), mime,
        size: bytes.length, sha256, storagePath: rel, createdAt: deps.now(), createdBy: actorId(actor),
      });
      return { attachmentId: id, purpose, mime, size: bytes.length, sha256 };
    });
    const stored = await getAttachment(deps.db.orm, r.case.id, id);
    return presentAttachment(stored!);
  } catch (e) {
    if (written) await removeAttachmentFile(root, rel).catch((err) => deps.log.error({ err, attachmentId: id }, 'could not remove an uncommitted attachment'));
    throw e;
  }
}

/** The case's attachments the actor may read; 404 outside the actor's view. */
export async function listAttachmentViews(deps: Deps, actor: Actor, caseId: string) {
  const row = isUuid(caseId) ? await getCase(deps.db.orm, caseId) : null;
  if (!row || !canSee(actor, toState(row))) throw notFound('case');
  return (await listAttachments(deps.db.orm, row.id)).filter((a) => mayReadAttachment(actor, a.purpose)).map(presentAttachment);
}

/** One attachment's row and file; not_found for anything the actor may not read. */
export async function openAttachment(deps: Deps, actor: Actor, caseId: string, attachmentId: string): Promise<{ meta: AttachmentRow; stream: ReadStream; size: number }> {
  const row = isUuid(caseId) && isUuid(attachmentId) ? await getCase(deps.db.orm, caseId) : null;
  if (!row || !canSee(actor, toState(row))) throw notFound('attachment');
  const meta = await getAttachment(deps.db.orm, row.id, attachmentId.toLowerCase());
  if (!meta || !mayReadAttachment(actor, meta.purpose)) throw notFound('attachment');
  const file = await readAttachmentFile(deps.config.attachmentsDir, meta.storagePath);
  if (!file) {
    deps.log.error({ attachmentId: meta.id, caseId: row.id }, 'attachment file missing');
    throw notFound('attachment');
  }
  return { meta, ...file };
}

/** The citizen uploads to their case (proof: phone, code or access token). */
export async function uploadAsCitizen(deps: Deps, trackingNo: string, proof: Proof, upload: Upload) {
  const { row, actor } = await proveOwner(deps, trackingNo, proof);
  return addAttachment(deps, actor, row.id, upload);
}

/** The citizen downloads a file of their case they may read. */
export async function openAsCitizen(deps: Deps, trackingNo: string, proof: Proof, attachmentId: string) {
  const { row, actor } = await proveOwner(deps, trackingNo, proof);
  return openAttachment(deps, actor, row.id, attachmentId);
}
