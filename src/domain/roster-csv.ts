/**
 * The roster CSV that `suqiu roster import` reads: a header row naming the columns `username`,
 * `starts_at`, `ends_at` and optionally `label` (any order, case-insensitive), then one shift per
 * row. Times are ISO datetimes with a zone or China-local `YYYY-MM-DD HH:mm` (roster.ts).
 *
 * The record splitter is hand-written rather than taken from a library (none is installed) or
 * from src/intel/csv.ts because every error must name the line its record starts on, which
 * neither gives: RFC 4180 fields, `""` inside quotes, quoted commas and line breaks, CRLF/LF/CR,
 * a UTF-8 BOM ignored, blank lines skipped.
 */
import { parseShiftTime, shiftProblem } from './roster.ts';

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

/** Splits CSV text into records with their line numbers; `unterminatedAt` is the line of a quote never closed. */
export function csvRecords(text: string): { records: CsvRecord[]; unterminatedAt: number | null } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      const opened = line;
      i++;
      for (;;) {
        if (i >= text.length) return { records, unterminatedAt: opened };
        const c = text[i]!;
        if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (c === '"') { i++; break; }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      continue;
    }
    if (ch === ',') { fields.push(field); field = ''; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      end();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== '' || fields.length > 0) end();
  return { records, unterminatedAt: null };
}

export interface CsvShiftRow {
  line: number;
  username: string;
  startsAt: Date;
  endsAt: Date;
  label: string | null;
}

/** A problem that names the CSV line it is on. */
export interface CsvProblem {
  line: number;
  message: string;
}

const REQUIRED = ['username', 'starts_at', 'ends_at'] as const;
const LABEL_MAX = 40;

/**
 * Reads roster CSV into shift rows. Returns every problem found (each naming its line) so an
 * operator fixes the file in one pass; rows with problems are left out of `rows`.
 */
export function readRosterCsv(text: string): { rows: CsvShiftRow[]; problems: CsvProblem[] } {
  const { records, unterminatedAt } = csvRecords(text);
  const problems: CsvProblem[] = [];
  if (unterminatedAt !== null) problems.push({ line: unterminatedAt, message: 'a quoted field is never closed' });
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [...problems, { line: 1, message: `the file is empty; expected a header: ${REQUIRED.join(',')},label` }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = REQUIRED.filter((n) => col(n) < 0);
  if (missing.length) {
    return { rows: [], problems: [...problems, { line: header.line, message: `the header lacks ${missing.join(', ')} (found: ${names.join(',')})` }] };
  }
  const rows: CsvShiftRow[] = [];
  for (const r of body) {
    const get = (name: string) => (col(name) >= 0 ? (r.fields[col(name)] ?? '').trim() : '');
    const fail = (message: string) => problems.push({ line: r.line, message });
    if (r.fields.length > names.length) { fail(`${r.fields.length} fields, the header has ${names.length}`); continue; }
    const username = get('username');
    const startsAt = parseShiftTime(get('starts_at'));
    const endsAt = parseShiftTime(get('ends_at'));
    const label = get('label') || null;
    if (!username) { fail('username: is empty'); continue; }
    if (!startsAt) { fail(`starts_at: not a time: '${get('starts_at')}' (use 2026-11-27 08:00 or an ISO datetime with a zone)`); continue; }
    if (!endsAt) { fail(`ends_at: not a time: '${get('ends_at')}' (use 2026-11-27 16:00 or an ISO datetime with a zone)`); continue; }
    if (label && label.length > LABEL_MAX) { fail(`label: at most ${LABEL_MAX} characters`); continue; }
    const p = shiftProblem({ startsAt, endsAt });
    if (p) { fail(`${p.field === 'endsAt' ? 'ends_at' : 'starts_at'}: ${p.message}`); continue; }
    rows.push({ line: r.line, username, startsAt, endsAt, label });
  }
  if (body.length === 0) problems.push({ line: header.line, message: 'no shifts after the header' });
  return { rows, problems };
}
