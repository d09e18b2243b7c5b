/**
 * Text normalisation for Chinese citizen messages, applied before segmentation and
 * classification (never to the text shown to people or stored as the citizen wrote it).
 *
 *  1. full-width ASCII (U+FF01–U+FF5E) → half-width, ideographic space U+3000 → space;
 *     so `ＡＢＣ１２３，` becomes `ABC123,` (Chinese full stop 。 and 、 are not in that range
 *     and stay as they are);
 *  2. zero-width characters (U+200B–U+200D, U+2060, BOM) are removed;
 *  3. runs of `*` (the masking used by exported data sets: `*****区`, `**号线`) become one
 *     {@link MASK} character, so a masked name is one token whatever its length;
 *  4. every run of whitespace (`\r\n\t`, NBSP, U+3000, …) becomes one space; the result is trimmed.
 *
 * Pure and idempotent: `normalize(normalize(s)) === normalize(s)`.
 */

/** What a run of mask asterisks becomes: the full-width asterisk, one character, kept whole by jieba. */
export const MASK = '＊';

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// After width folding every `＊` is already `*`.
const MASK_RUN = /\*+/g;
const WHITESPACE_RUN = /\s+/g;

/** Full-width ASCII variants → ASCII; U+3000 → space. Everything else unchanged. */
export function toHalfWidth(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let mapped = -1;
    if (c >= 0xff01 && c <= 0xff5e) mapped = c - 0xfee0;
    else if (c === 0x3000) mapped = 0x20;
    if (mapped >= 0) {
      out += text.slice(from, i) + String.fromCharCode(mapped);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

export interface NormalizeOptions {
  /** Replacement for a run of `*` masks; default {@link MASK}. Pass `'*'` to keep one asterisk. */
  mask?: string;
}

/** Normalises `text` as described in the module comment. */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  const mask = options.mask ?? MASK;
  return toHalfWidth(text)
    .replace(ZERO_WIDTH, '')
    .replace(MASK_RUN, mask)
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

let wordTable: Uint8Array | undefined;

/**
 * Whether UTF-16 code unit `code` is a letter or digit (`\p{L}` / `\p{N}`: CJK, Latin, digits, …).
 * Surrogates (emoji, rare CJK extension B characters) count as non-word. Table-driven: ~2 ns.
 */
export function isWordChar(code: number): boolean {
  if (!wordTable) {
    wordTable = new Uint8Array(0x10000);
    const re = /[\p{L}\p{N}]/u;
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (re.test(String.fromCharCode(c))) wordTable[c] = 1;
    }
  }
  return wordTable[code] === 1;
}

/** Whether `text` contains at least one letter or digit (a token worth keeping). */
export function hasWordChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isWordChar(text.charCodeAt(i))) return true;
  return false;
}
