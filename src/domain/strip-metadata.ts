/**
 * Removes location and other metadata from citizens' photos before they are stored, by walking
 * the container format and dropping (or blanking) the metadata blocks; the pixels are untouched.
 *
 * Hand-written rather than a library on purpose: the image libraries that can rewrite metadata
 * (sharp/libvips, exiftool) are native or Perl, large, and would re-encode or need install
 * scripts; the pure-JS EXIF packages read but do not remove, or cover JPEG only. What we need is
 * a segment filter over four well-specified containers, about a page each. Pure, no I/O.
 *
 * - JPEG: keeps the image segments, JFIF (APP0), ICC profiles (APP2 ICC_PROFILE) and Adobe
 *   (APP14); drops Exif/XMP (APP1), every other APPn (MPF with its embedded copies, IPTC in
 *   APP13, …), comments, and anything after EOI. The Exif orientation, if any, is written back
 *   as a one-tag Exif block so phone photos keep standing upright.
 * - PNG: drops eXIf and the text chunks (tEXt, zTXt, iTXt — where XMP and location notes live)
 *   and anything after IEND.
 * - WebP: drops the EXIF and XMP chunks and clears their flags in VP8X.
 * - HEIC: overwrites with zeros the data of the Exif and XMP items that `iloc` points to (the
 *   file's layout, hence every offset, stays the same). Orientation lives in `irot`, untouched.
 */
import type { AttachmentMime } from './attachment.ts';

/** The file claims a type but its structure cannot be walked; it is refused, never stored as is. */
export class MalformedFileError extends Error {
  constructor(what: string) {
    super(`not a readable ${what} file`);
    this.name = 'MalformedFileError';
  }
}

/**
 * The file without its metadata; PDFs come back unchanged. Throws MalformedFileError when the
 * structure cannot be walked — including a read past the end, so no other error escapes.
 */
export function stripMetadata(mime: AttachmentMime, file: Uint8Array): Buffer {
  const b = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  try {
    switch (mime) {
      case 'image/jpeg': return stripJpeg(b);
      case 'image/png': return stripPng(b);
      case 'image/webp': return stripWebp(b);
      case 'image/heic': return stripHeif(b);
      case 'application/pdf': return Buffer.from(b);
    }
  } catch (e) {
    if (e instanceof RangeError) throw new MalformedFileError(mime.slice(6).toUpperCase());
    throw e;
  }
}

// ---------------------------------------------------------------- JPEG

const isStandalone = (m: number) => (m >= 0xd0 && m <= 0xd7) || m === 0x01;
const startsWith = (seg: Buffer, id: string) => seg.length >= 4 + id.length && seg.toString('latin1', 4, 4 + id.length) === id;

function keepJpegSegment(marker: number, seg: Buffer): boolean {
  if (marker === 0xe0) return startsWith(seg, 'JFIF\0') || startsWith(seg, 'JFXX\0');
  if (marker === 0xe2) return startsWith(seg, 'ICC_PROFILE\0');
  if (marker === 0xee) return startsWith(seg, 'Adobe');
  if (marker >= 0xe1 && marker <= 0xef) return false;
  return marker !== 0xfe;
}

function stripJpeg(b: Buffer): Buffer {
  const bad = () => new MalformedFileError('JPEG');
  const kept: Buffer[] = [];
  let orientation: number | null = null;
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) throw bad();
    while (b[i + 1] === 0xff) i++; // fill bytes
    const marker = b[i + 1];
    if (marker === undefined) throw bad();
    if (marker === 0xd9) { kept.push(b.subarray(i, i + 2)); break; }
    if (isStandalone(marker)) { kept.push(b.subarray(i, i + 2)); i += 2; continue; }
    if (i + 4 > b.length) throw bad();
    const end = i + 2 + b.readUInt16BE(i + 2);
    if (end > b.length || end < i + 4) throw bad();
    const seg = b.subarray(i, end);
    i = end;
    if (marker === 0xe1 && startsWith(seg, 'Exif\0\0')) orientation ??= exifOrientation(seg.subarray(10));
    if (keepJpegSegment(marker, seg)) kept.push(seg);
    if (marker === 0xda) {
      const start = i; // entropy-coded data runs to the next marker that is not stuffing or a restart
      while (i < b.length && !(b[i] === 0xff && b[i + 1] !== undefined && b[i + 1] !== 0x00 && b[i + 1] !== 0xff && !isStandalone(b[i + 1]!))) i++;
      kept.push(b.subarray(start, i));
    }
  }
  const orient = orientation && orientation > 1 && orientation <= 8 ? [orientationSegment(orientation)] : [];
  const afterJfif = kept[0] && kept[0][1] === 0xe0 ? 1 : 0;
  return Buffer.concat([b.subarray(0, 2), ...kept.slice(0, afterJfif), ...orient, ...kept.slice(afterJfif)]);
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF block, or null. Never throws. */
function exifOrientation(t: Buffer): number | null {
  if (t.length < 8) return null;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (o + 2 <= t.length ? (le ? t.readUInt16LE(o) : t.readUInt16BE(o)) : -1);
  const u32 = (o: number) => (o + 4 <= t.length ? (le ? t.readUInt32LE(o) : t.readUInt32BE(o)) : -1);
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  const n = u16(ifd);
  for (let k = 0; n > 0 && k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) return u16(e + 8);
  }
  return null;
}

/** An APP1 Exif segment holding nothing but the orientation (big-endian TIFF, one IFD entry). */
function orientationSegment(o: number): Buffer {
  const s = Buffer.alloc(36);
  s.writeUInt16BE(0xffe1, 0);
  s.writeUInt16BE(34, 2);
  s.write('Exif\0\0MM', 4, 'latin1');
  s.writeUInt16BE(42, 12);
  s.writeUInt32BE(8, 14); // IFD0 at 8
  s.writeUInt16BE(1, 18); // one entry
  s.writeUInt16BE(0x0112, 20);
  s.writeUInt16BE(3, 22); // SHORT
  s.writeUInt32BE(1, 24);
  s.writeUInt16BE(o, 28); // value, padded; next IFD offset 0 follows
  return s;
}

// ---------------------------------------------------------------- PNG

const PNG_DROP = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt']);

function stripPng(b: Buffer): Buffer {
  const bad = () => new MalformedFileError('PNG');
  const kept: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  for (;;) {
    if (i + 12 > b.length) throw bad();
    const len = b.readUInt32BE(i);
    const end = i + 12 + len;
    if (len > 0x7fffffff || end > b.length) throw bad();
    const type = b.toString('latin1', i + 4, i + 8);
    if (!PNG_DROP.has(type)) kept.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(kept);
  }
}

// ---------------------------------------------------------------- WebP

const WEBP_DROP = new Set(['EXIF', 'XMP ']);
const VP8X_EXIF_XMP = 0x08 | 0x04;

function stripWebp(b: Buffer): Buffer {
  const bad = () => new MalformedFileError('WebP');
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd > b.length || riffEnd < 12) throw bad();
  const kept: Buffer[] = [];
  let i = 12;
  while (i < riffEnd) {
    if (i + 8 > riffEnd) throw bad();
    const type = b.toString('latin1', i, i + 4);
    const size = b.readUInt32LE(i + 4);
    const end = i + 8 + size + (size & 1);
    if (end > riffEnd + (size & 1)) throw bad();
    let chunk = b.subarray(i, Math.min(end, riffEnd));
    if (type === 'VP8X' && size >= 1) {
      chunk = Buffer.from(chunk);
      chunk[8] = chunk[8]! & ~VP8X_EXIF_XMP;
    }
    if (!WEBP_DROP.has(type)) kept.push(chunk);
    i = end;
  }
  const body = Buffer.concat(kept);
  const head = Buffer.from(b.subarray(0, 12));
  head.writeUInt32LE(4 + body.length, 4);
  return Buffer.concat([head, body]);
}

// ---------------------------------------------------------------- HEIF / HEIC

interface Box { type: string; start: number; body: number; end: number }

function boxes(b: Buffer, from: number, to: number): Box[] {
  const bad = () => new MalformedFileError('HEIC');
  const out: Box[] = [];
  let i = from;
  while (i + 8 <= to) {
    let size = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    let body = i + 8;
    if (size === 1) {
      if (i + 16 > to) throw bad();
      const big = b.readBigUInt64BE(i + 8);
      if (big > BigInt(to - i)) throw bad();
      size = Number(big);
      body = i + 16;
    } else if (size === 0) {
      size = to - i;
    }
    if (size < body - i || i + size > to) throw bad();
    out.push({ type, start: i, body, end: i + size });
    i += size;
  }
  return out;
}

function stripHeif(src: Buffer): Buffer {
  const bad = () => new MalformedFileError('HEIC');
  const b = Buffer.from(src);
  const meta = boxes(b, 0, b.length).find((x) => x.type === 'meta');
  if (!meta) return b;
  const children = boxes(b, meta.body + 4, meta.end); // meta is a FullBox
  const iinf = children.find((x) => x.type === 'iinf');
  const iloc = children.find((x) => x.type === 'iloc');
  const idat = children.find((x) => x.type === 'idat');
  if (!iinf) return b;
  const targets = metadataItems(b, iinf);
  if (targets.size === 0) return b;
  if (!iloc) throw bad();
  for (const ext of itemExtents(b, iloc)) {
    if (!targets.has(ext.item)) continue;
    let base: number;
    if (ext.method === 0) base = 0;
    else if (ext.method === 1 && idat) base = idat.body;
    else throw bad();
    const from = base + ext.offset;
    const to = from + ext.length;
    if (ext.length <= 0 || to > b.length) throw bad();
    b.fill(0, from, to);
  }
  return b;
}

/** Item ids of Exif and XMP items listed in `iinf`. */
function metadataItems(b: Buffer, iinf: Box): Set<number> {
  const version = b[iinf.body]!;
  const first = iinf.body + 4 + (version === 0 ? 2 : 4);
  const out = new Set<number>();
  for (const infe of boxes(b, first, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = b[infe.body]!;
    if (v < 2) continue;
    let p = infe.body + 4;
    if (p + 4 > infe.end) throw new MalformedFileError('HEIC');
    const id = v === 2 ? b.readUInt16BE(p) : b.readUInt32BE(p);
    p += (v === 2 ? 2 : 4) + 2;
    if (p + 4 > infe.end) throw new MalformedFileError('HEIC');
    const itemType = b.toString('latin1', p, p + 4);
    const rest = b.toString('latin1', p + 4, infe.end).split('\0');
    // For 'mime' items: item_name, then content_type.
    const contentType = (rest[1] ?? '').toLowerCase();
    if (itemType === 'Exif' || (itemType === 'mime' && /xml|rdf/.test(contentType))) out.add(id);
  }
  return out;
}

interface Extent { item: number; method: number; offset: number; length: number }

/** Every extent of every item in `iloc` (ISO/IEC 14496-12 §8.11.3), versions 0–2. */
function itemExtents(b: Buffer, iloc: Box): Extent[] {
  const bad = () => new MalformedFileError('HEIC');
  const v = b[iloc.body]!;
  let p = iloc.body + 4;
  const need = (n: number) => { if (p + n > iloc.end) throw bad(); };
  const read = (size: number): number => {
    need(size);
    const val = size === 0 ? 0 : size === 2 ? b.readUInt16BE(p) : size === 4 ? b.readUInt32BE(p) : size === 8 ? Number(b.readBigUInt64BE(p)) : NaN;
    if (!Number.isSafeInteger(val)) throw bad();
    p += size;
    return val;
  };
  need(2);
  const offsetSize = b[p]! >> 4, lengthSize = b[p]! & 15, baseSize = b[p + 1]! >> 4;
  const indexSize = v === 1 || v === 2 ? b[p + 1]! & 15 : 0;
  p += 2;
  const count = read(v < 2 ? 2 : 4);
  const out: Extent[] = [];
  for (let k = 0; k < count; k++) {
    const item = read(v < 2 ? 2 : 4);
    const method = v === 1 || v === 2 ? read(2) & 15 : 0;
    read(2); // data_reference_index
    const base = read(baseSize);
    const extents = read(2);
    for (let e = 0; e < extents; e++) {
      if (indexSize > 0) read(indexSize);
      const offset = read(offsetSize);
      const length = read(lengthSize);
      out.push({ item, method, offset: base + offset, length });
    }
  }
  return out;
}
