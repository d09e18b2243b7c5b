/**
 * Attachments (photos and PDFs on a case): which file types are accepted — decided by the bytes,
 * never by the name or the declared type —, who may read which, how many a case may hold, and
 * the filename a download carries. Pure.
 */
import type { Actor } from './actor.ts';
import type { CaseState } from './case.ts';
import { categoryOf } from './case.ts';

export const ATTACHMENT_TYPES = {
  'image/jpeg': { ext: 'jpg', image: true },
  'image/png': { ext: 'png', image: true },
  'image/webp': { ext: 'webp', image: true },
  'image/heic': { ext: 'heic', image: true },
  'application/pdf': { ext: 'pdf', image: false },
} as const;
export type AttachmentMime = keyof typeof ATTACHMENT_TYPES;

/**
 * Why a file was attached. `submission` and `supplement` come from the citizen (with the request,
 * and later); `reply` is staff's answer material, shown to the citizen; `internal` is staff's own.
 */
export const ATTACHMENT_PURPOSES = ['submission', 'supplement', 'reply', 'internal'] as const;
export type AttachmentPurpose = (typeof ATTACHMENT_PURPOSES)[number];

/** What the citizen may read on the tracking page: their own files and the reply material. */
const CITIZEN_READS: readonly AttachmentPurpose[] = ['submission', 'supplement', 'reply'];

export interface AttachmentLimits {
  /** Bytes per file. */
  maxBytes: number;
  /** Files per case and side (the citizen's files and staff's files are counted apart). */
  perCase: number;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/**
 * The type of a file from its first bytes (magic numbers), or null for anything else. HEIF files
 * count as HEIC when the `ftyp` box names an HEIF brand; AVIF and other ISO-BMFF files do not.
 */
export function sniffMime(b: Uint8Array): AttachmentMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return 'application/pdf';
  if (b.length >= 16 && ascii(b, 4, 8) === 'ftyp') {
    const size = Math.min(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, b.length);
    if (HEIF_BRANDS.has(ascii(b, 8, 12))) return 'image/heic';
    for (let i = 16; i + 4 <= size; i += 4) if (HEIF_BRANDS.has(ascii(b, i, i + 4))) return 'image/heic';
  }
  return null;
}

/** The purpose of a file the citizen adds: part of the request while it is new, a supplement after. */
export function citizenPurpose(c: Pick<CaseState, 'status'>): AttachmentPurpose {
  return categoryOf(c.status) === 'new' ? 'submission' : 'supplement';
}

/** Whether an actor who may see the case may also read a file of this purpose. */
export function mayReadAttachment(actor: Actor, purpose: string): boolean {
  return actor.kind === 'staff' || (CITIZEN_READS as readonly string[]).includes(purpose);
}

/** The side a purpose counts against for the per-case limit. */
export const sideOf = (purpose: AttachmentPurpose): 'citizen' | 'staff' =>
  purpose === 'submission' || purpose === 'supplement' ? 'citizen' : 'staff';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f"\\/:*?<>|\u200b-\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A filename safe to store and to send back: the last path segment, without control, bidi or
 * path characters, at most 80 characters, ending in the extension of the detected type (so
 * `photo.exe` that is really a JPEG comes back as `photo.jpg`). Never throws.
 */
export function safeFilename(name: string | null | undefined, mime: AttachmentMime): string {
  const ext = ATTACHMENT_TYPES[mime].ext;
  const last = String(name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  let base = last.replace(UNSAFE, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  const dot = base.lastIndexOf('.');
  if (dot > 0) base = base.slice(0, dot);
  base = Array.from(base).slice(0, 80).join('').trim() || 'attachment';
  return `${base}.${ext}`;
}

/**
 * The Content-Disposition header for a download: images inline, PDFs as a download, with an
 * ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 8187).
 */
export function contentDisposition(filename: string, mime: AttachmentMime): string {
  const kind = ATTACHMENT_TYPES[mime].image ? 'inline' : 'attachment';
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
