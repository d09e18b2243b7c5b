import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, toXml } from './xml.ts';

describe('Open311 XML', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0008c\td\ne\uFFFEf\uD800g😀')).toBe('abc\td\nefg😀');
  });

  it('writes lists as repeated item elements, null as empty, and leaves undefined out', () => {
    const doc = toXml('service_requests', [
      { service_request_id: 'SZ-1', lat: null, expected_datetime: undefined, description: '<b>路灯</b> & 井盖', n: 1.5, ok: true },
      { service_request_id: 'SZ-2', attributes: [{ values: [{ key: 'a', name: 'A' }] }] },
    ]);
    expect(doc.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<service_requests>')).toBe(true);
    expect(XMLValidator.validate(doc)).toBe(true);
    expect(doc).not.toContain('expected_datetime');
    const parsed = new XMLParser({ parseTagValue: false, isArray: (n) => ['request', 'attribute', 'value'].includes(n) }).parse(doc);
    expect(parsed.service_requests.request).toEqual([
      { service_request_id: 'SZ-1', lat: '', description: '<b>路灯</b> & 井盖', n: '1.5', ok: 'true' },
      { service_request_id: 'SZ-2', attributes: { attribute: [{ values: { value: [{ key: 'a', name: 'A' }] } }] } },
    ]);
    expect(toXml('errors', [])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors/>\n');
  });

  it('refuses a list it has no item name for', () => {
    expect(() => toXml('things', [1])).toThrow(/no item name for list things/);
  });
});
