/**
 * Masking and normalising citizens' personal data. Views show masked values by default; the
 * full value is only revealed through an audited action. Pure functions, no I/O.
 */

/**
 * Masks a phone number for display: keeps the first 3 and last 4 characters when there are at
 * least 8 (`13812345678` → `138****5678`, `075512345678` → `075*****5678`), otherwise masks all
 * but the last 2 (`12345` → `***45`), always masking at least one. Empty or missing input
 * gives null. Never throws.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  const s = phone?.trim();
  if (!s) return null;
  const chars = Array.from(s);
  if (chars.length >= 8) {
    return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
  }
  const keep = Math.min(2, chars.length - 1);
  return '*'.repeat(chars.length - keep) + chars.slice(chars.length - keep).join('');
}

/**
 * Masks a person's name for display: keeps the first character (the family name in most
 * Chinese names) and replaces every other one with `*` (`张三` → `张*`, `欧阳娜娜` → `欧***`).
 * A one-character name becomes `*`. Empty or missing input gives null. Never throws.
 */
export function maskName(name: string | null | undefined): string | null {
  const s = name?.trim();
  if (!s) return null;
  const chars = Array.from(s);
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

const SEPARATORS = /[\s\-–—()（）.]/gu;
const COUNTRY_PREFIX = /^(?:\+86|0086)/;
const DIGITS = /^\d{5,20}$/;

/**
 * Normalises a phone number as typed by a citizen or an operator so that the same number always
 * gives the same lookup index: full-width digits become ASCII, spaces, dashes, dots and brackets
 * are dropped, and a `+86`/`0086` country prefix is removed. Returns the digits, or null when
 * the result is not 5–20 digits (so callers decide whether that is an error). Never throws.
 */
export function normalizePhone(input: string | null | undefined): string | null {
  if (typeof input !== 'string') return null;
  const s = input.normalize('NFKC').replace(SEPARATORS, '').replace(COUNTRY_PREFIX, '');
  return DIGITS.test(s) ? s : null;
}
