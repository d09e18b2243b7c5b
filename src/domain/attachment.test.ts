import { describe, expect, it } from 'vitest';
import { citizenPurpose, contentDisposition, mayReadAttachment, safeFilename, sideOf, sniffMime } from './attachment.ts';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('sniffMime: the bytes decide, not the name', () => {
  it.each([
    ['JPEG', bytes('\xff\xd8\xff\xe0\x00\x10JFIF'), 'image/jpeg'],
    ['PNG', bytes('\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR'), 'image/png'],
    ['WebP', bytes('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'],
    ['HEIC', bytes('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic'), 'image/heic'],
    ['HEIF via a compatible brand', bytes('\x00\x00\x00\x18ftypmsf1\x00\x00\x00\x00isomhevc'), 'image/heic'],
    ['PDF', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['AVIF', bytes('\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1avif'.replace('mif1', 'miaf')), null],
    ['an .exe', bytes('MZ\x90\x00\x03\x00\x00\x00'), null],
    ['HTML', bytes('<!doctype html><script>alert(1)</script>'), null],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['GIF', bytes('GIF89a\x01\x00'), null],
    ['nothing', Buffer.alloc(0), null],
  ] as const)('%s → %s', (_name, b, want) => {
    expect(sniffMime(b)).toBe(want);
  });
});

describe('safeFilename', () => {
  it.each([
    ['photo.jpg', 'image/jpeg', 'photo.jpg'],
    ['virus.exe', 'image/jpeg', 'virus.jpg'],
    ['../../etc/passwd', 'application/pdf', 'passwd.pdf'],
    ['C:\\Users\\张三\\现场照片.HEIC', 'image/heic', '现场照片.heic'],
    ['a"b<c>\u0000d\u202e.png', 'image/png', 'a_b_c__d_.png'],
    ['.hidden', 'image/png', 'hidden.png'],
    ['', 'image/webp', 'attachment.webp'],
    [null, 'image/webp', 'attachment.webp'],
    ['x'.repeat(300) + '.pdf', 'application/pdf', 'x'.repeat(80) + '.pdf'],
  ] as const)('%j as %s → %s', (name, mime, want) => {
    expect(safeFilename(name, mime)).toBe(want);
  });

  it('Content-Disposition has an ASCII fallback and the UTF-8 name; PDFs download, images show', () => {
    expect(contentDisposition('现场 照片.jpg', 'image/jpeg')).toBe(
      `inline; filename="__ __.jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87.jpg`);
    expect(contentDisposition("it's.pdf", 'application/pdf')).toBe(`attachment; filename="it's.pdf"; filename*=UTF-8''it%27s.pdf`);
  });
});

describe('purposes', () => {
  it('a citizen file is part of the submission while the case is new, a supplement after', () => {
    expect(citizenPurpose({ status: 'received' })).toBe('submission');
    expect(citizenPurpose({ status: 'pending' })).toBe('supplement');
    expect(sideOf('reply')).toBe('staff');
    expect(sideOf('supplement')).toBe('citizen');
  });
  it('the citizen reads their own files and the reply, never internal ones', () => {
    const citizen = { kind: 'citizen', caseId: 'c1' } as const;
    expect(['submission', 'supplement', 'reply', 'internal'].map((p) => mayReadAttachment(citizen, p))).toEqual([true, true, true, false]);
    expect(mayReadAttachment({ kind: 'staff', id: 'u', role: 'handler', unitCode: 'x' }, 'internal')).toBe(true);
  });
});
