/**
 * Open311 XML out of the same values as the JSON, by the Spark convention the spec uses: an
 * array becomes an element holding one child per item, named by `ITEM_NAMES` (services →
 * service, …); an object becomes child elements; null becomes an empty element.
 *
 * Hand-written rather than a library: the documents are a few flat elements with no attributes,
 * namespaces or mixed content, so all that matters is escaping, and that fits in a few lines.
 */

/** The element name of one item of each list the spec defines. */
export const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  service_request_updates: 'request_update',
};

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

// Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF).
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content; drops characters XML 1.0 cannot represent. */
export const escapeXml = (s: string): string => s.replace(INVALID, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function element(name: string, value: XmlValue, indent: string): string {
  if (value === undefined) return '';
  if (value === null || value === '') return `${indent}<${name}/>\n`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`xml: no item name for list ${name}`);
    const inner = value.map((v) => element(item, v, indent + '  ')).join('');
    return inner ? `${indent}<${name}>\n${inner}${indent}</${name}>\n` : `${indent}<${name}/>\n`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([k, v]) => element(k, v, indent + '  ')).join('');
    return inner ? `${indent}<${name}>\n${inner}${indent}</${name}>\n` : `${indent}<${name}/>\n`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

/**
 * A whole document: the declaration the spec asks for, then `root` holding `value`.
 * Undefined fields are left out; null fields are empty elements.
 * @throws for a list whose item name is not in `ITEM_NAMES` (a programming error)
 */
export function toXml(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}`;
}
