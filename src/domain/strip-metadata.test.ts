import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GPS_TEXT, gpsNeedle, heicWithGps, jpegMarkers, jpegWithGps, pngWithGps, webpWithGps } from '../../test/fixtures/images.ts';
import { sniffMime } from './attachment.ts';
import { MalformedFileError, stripMetadata } from './strip-metadata.ts';

const has = (b: Buffer, needle: string | Buffer) => b.indexOf(needle) !== -1;

describe('stripMetadata', () => {
  it('JPEG: drops Exif GPS, XMP, comments and trailing bytes; keeps the image and the orientation', () => {
    const src = jpegWithGps();
    expect(has(src, gpsNeedle()) && has(src, GPS_TEXT)).toBe(true);
    const out = stripMetadata('image/jpeg', src);
    expect(has(out, gpsNeedle())).toBe(false);
    expect(has(out, GPS_TEXT)).toBe(false);
    expect(has(out, 'MPF copy')).toBe(false);
    // SOI, JFIF, the one-tag Exif, then the image segments untouched.
    expect(jpegMarkers(out)).toEqual([0xe0, 0xe1, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    expect(out.subarray(-3)).toEqual(Buffer.from([0x3f, 0xff, 0xd9]));
    const exif = out.subarray(out.indexOf('Exif\0\0'));
    expect(exif.readUInt16BE(6 + 8 + 2)).toBe(0x0112);
    expect(exif.readUInt16BE(6 + 8 + 10)).toBe(6);
    expect(out.length).toBeLessThan(src.length);
  });

  it('JPEG without orientation gets no Exif at all; stuffed 0xFF00 and restarts survive', () => {
    const src = jpegWithGps();
    const noExif = Buffer.concat([src.subarray(0, 20), src.subarray(src.indexOf(Buffer.from([0xff, 0xe1]), 20) + 2 + src.readUInt16BE(src.indexOf(Buffer.from([0xff, 0xe1]), 20) + 2))]);
    const out = stripMetadata('image/jpeg', noExif);
    expect(has(out, 'Exif')).toBe(false);
    const scan = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd9]);
    expect(stripMetadata('image/jpeg', scan)).toEqual(scan);
  });

  it('PNG: drops eXIf and text chunks and what follows IEND', () => {
    const out = stripMetadata('image/png', pngWithGps());
    expect(has(out, 'eXIf') || has(out, 'tEXt') || has(out, 'iTXt') || has(out, GPS_TEXT)).toBe(false);
    expect(has(out, 'IHDR') && has(out, 'IDAT')).toBe(true);
    expect(out.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('WebP: drops EXIF and XMP chunks, clears their VP8X flags, fixes the RIFF size', () => {
    const out = stripMetadata('image/webp', webpWithGps());
    expect(has(out, 'EXIF') || has(out, 'XMP ') || has(out, gpsNeedle())).toBe(false);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(out[20]! & 0x0c).toBe(0);
    expect(sniffMime(out)).toBe('image/webp');
  });

  it('HEIC: blanks the Exif item in place, leaving every offset as it was', () => {
    const { file, exifAt, exifLength } = heicWithGps();
    expect(sniffMime(file)).toBe('image/heic');
    const out = stripMetadata('image/heic', file);
    expect(out.length).toBe(file.length);
    expect(has(out, gpsNeedle())).toBe(false);
    expect(out.subarray(exifAt, exifAt + exifLength).every((x) => x === 0)).toBe(true);
    expect(has(out, 'not really hevc')).toBe(true);
  });

  it.each([
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x7f, 0xff, 0x00])],
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01])],
    ['image/png', Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR', 'latin1')],
    ['image/webp', Buffer.from('RIFF\xff\x00\x00\x00WEBPVP8 ', 'latin1')],
  ] as const)('refuses a broken %s', (mime, bytes) => {
    expect(() => stripMetadata(mime, bytes)).toThrow(MalformedFileError);
  });

  it('leaves a PDF alone', () => {
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n', 'latin1');
    expect(stripMetadata('application/pdf', pdf)).toEqual(pdf);
  });
});

describe('stripMetadata on random bytes behind a valid signature', () => {
  const heads = {
    'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff]), jpegWithGps()],
    'image/png': [Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), pngWithGps()],
    'image/webp': [Buffer.from('RIFF\x00\x00\x00\x00WEBP', 'latin1'), webpWithGps()],
    'image/heic': [Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic', 'latin1'), heicWithGps().file],
  } as const;
  it.each(Object.keys(heads) as (keyof typeof heads)[])('%s: returns bytes or refuses the file, nothing else', (mime) => {
    const [sig, sample] = heads[mime];
    fc.assert(fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((tail) => Buffer.concat([sig, tail])),
        // A real file with a few bytes flipped or cut short.
        fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat()).map(([flips, cut]) => {
          const b = Buffer.from(sample);
          for (const [at, v] of flips) b[sig.length + (at % Math.max(1, b.length - sig.length))] = v;
          return b.subarray(0, sig.length + (cut % (b.length - sig.length + 1)));
        }),
      ),
      (file) => {
        try {
          expect(Buffer.isBuffer(stripMetadata(mime, file))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedFileError);
        }
      },
    ), { numRuns: 3000 });
  });
});
