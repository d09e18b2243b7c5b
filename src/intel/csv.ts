/**
 * CSV (RFC 4180) reading for labelled training data: `suqiu intel train --csv FILE --text-col C
 * --label-col L`, tests and benchmarks.
 *
 * Hand-written rather than a dependency because the need is small and exact: fields separated by
 * commas, optionally double-quoted, `""` inside quotes is a quote, quoted fields may hold commas
 * and line breaks; records end in CRLF, LF or CR; a UTF-8 BOM is ignored; a quote inside an
 * unquoted field is kept as text (lenient, as exporters produce it). An unterminated quoted
 * field is an error naming the line where it started.
 */
import { readFileSync } from 'node:fs';

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Parses CSV text into records (arrays of fields). Blank lines are skipped. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new CsvError(`invalid delimiter ${JSON.stringify(delimiter)}`);
  }
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  // A record is pushed only if it has content: a lone empty field from a blank line is dropped.
  const endRecord = (): void => {
    record.push(field);
    field = '';
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: read to the closing quote.
      const startLine = line;
      i++;
      let closed = false;
      let chunkStart = i;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += text.slice(chunkStart, i + 1);
            i += 2;
            chunkStart = i;
            continue;
          }
          field += text.slice(chunkStart, i);
          i++;
          closed = true;
          break;
        }
        if (c === '\n') line++;
        else if (c === '\r' && text[i + 1] !== '\n') line++;
        i++;
      }
      if (!closed) throw new CsvError(`unterminated quoted field starting on line ${startLine}`);
      // Anything between the closing quote and the next delimiter is kept as text (lenient).
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      continue;
    }
    if (ch === delimiter) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    } else {
      // Unquoted run up to the next special character.
      let j = i + 1;
      while (j < n) {
        const c = text[j];
        if (c === delimiter || c === '\n' || c === '\r') break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Reads a UTF-8 CSV file whose first record is the header. */
export function readCsv(path: string | URL, delimiter = ','): CsvTable {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'), delimiter);
  if (!header) throw new CsvError(`${String(path)}: empty CSV file`);
  return { header: header.map((h) => h.trim()), rows };
}

/** Index of `name` in `header`, or an error naming the column, the file and the columns it has. */
export function columnIndex(header: readonly string[], name: string, source = 'CSV'): number {
  const index = header.indexOf(name.trim());
  if (index < 0) {
    throw new CsvError(`${source}: no column "${name}"; columns are ${header.map((h) => `"${h}"`).join(', ')}`);
  }
  return index;
}

export interface LabelledText {
  text: string;
  label: string;
}

/**
 * The `(text, label)` pairs of a CSV file: rows with a blank label (after trimming) or blank text
 * are skipped; labels are trimmed, texts kept as written (normalisation happens at featurisation).
 */
export function readLabelledCsv(path: string | URL, textCol: string, labelCol: string): LabelledText[] {
  const { header, rows } = readCsv(path);
  const source = String(path instanceof URL ? path.pathname : path);
  const ti = columnIndex(header, textCol, source);
  const li = columnIndex(header, labelCol, source);
  const out: LabelledText[] = [];
  for (const row of rows) {
    const label = (row[li] ?? '').trim();
    const text = row[ti] ?? '';
    if (label === '' || text.trim() === '') continue;
    out.push({ text, label });
  }
  return out;
}
