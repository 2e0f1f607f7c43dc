// A streaming RFC 4180 reader: quoted fields, "" escapes, newlines and commas inside quotes, CRLF.
// Lenient where exports are sloppy: whitespace around unquoted fields (and around quotes) is trimmed,
// a quote inside an unquoted field is kept as text. It never holds more than one read chunk plus one
// record, and reports every record with the line it starts on; a record it cannot make sense of
// comes back with `error` set instead of being skipped.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

export interface CsvRecord { fields: string[]; line: number; start: number; end: number; error?: string }
/** Records parsed from one read chunk; `text.slice(r.start, r.end)` is a record's raw text. */
export interface CsvChunk { records: CsvRecord[]; text: string; offset: number; line: number }

const QUOTE = 34, COMMA = 44, LF = 10, CR = 13, SPACE = 32, TAB = 9;
// No valid row comes close (a 5,000-character description is at most 20 KB): a record this long is an
// unclosed quote swallowing the lines after it, so only its first line is rejected and reading goes on.
const MAX_RECORD_BYTES = 1 << 20;
const CHUNK_BYTES = 256 * 1024;

interface Parsed { fields: string[]; end: number; newlines: number; error?: string }

const isBlank = (c: number) => c === SPACE || c === TAB;

/** Parses the record at `p`; null when `s` ends before the record does and more text may follow. */
function parseRecord(s: string, p: number, atEof: boolean): Parsed | null {
  const fields: string[] = [];
  const n = s.length;
  let i = p, newlines = 0, error: string | undefined;
  for (;;) {
    while (i < n && isBlank(s.charCodeAt(i))) i++;
    if (i < n && s.charCodeAt(i) === QUOTE) {
      let value = "", from = ++i;
      for (;;) {
        const q = s.indexOf('"', i);
        if (q < 0 || (q + 1 >= n && !atEof)) return atEof ? { fields, end: n, newlines, error: "unclosed quote" } : null;
        if (s.charCodeAt(q + 1) === QUOTE) { value += s.slice(from, q + 1); i = from = q + 2; continue; }
        value += s.slice(from, q);
        i = q + 1;
        break;
      }
      for (let j = value.indexOf("\n"); j >= 0; j = value.indexOf("\n", j + 1)) newlines++;
      while (i < n && (isBlank(s.charCodeAt(i)) || (s.charCodeAt(i) === CR && s.charCodeAt(i + 1) !== LF))) i++;
      const c = s.charCodeAt(i);
      if (i < n && c !== COMMA && c !== LF && c !== CR) {
        error ??= "text after a closing quote";
        while (i < n && s.charCodeAt(i) !== COMMA && s.charCodeAt(i) !== LF) i++;
      }
      fields.push(value);
    } else {
      let j = i;
      for (; j < n; j++) { const c = s.charCodeAt(j); if (c === COMMA || c === LF) break; }
      if (j === n && !atEof) return null;
      fields.push(s.slice(i, j).trim()); // also drops the CR of a CRLF
      i = j;
    }
    if (i >= n) return { fields, end: n, newlines, error };
    if (s.charCodeAt(i) === CR) i++;
    if (s.charCodeAt(i) === COMMA) { i++; continue; }
    return { fields, end: i + 1, newlines: newlines + 1, error };
  }
}

/** Byte length of the first `lines` lines of `buf` (records always start right after a newline). */
function bytesOfLines(buf: Buffer, lines: number): number {
  let at = 0;
  for (let k = 0; k < lines; k++) at = buf.indexOf(LF, at) + 1;
  return at;
}

/**
 * Reads `path` from byte `offset` (a record boundary), `line` being the line number found there.
 * Each chunk's `offset`/`line` are where the next unread record starts: a safe place to resume.
 */
export async function* readCsv(path: string, offset = 0, line = 1): AsyncGenerator<CsvChunk> {
  let carry: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { start: offset, highWaterMark: CHUNK_BYTES });
  const chunks = stream[Symbol.asyncIterator]();
  try {
    for (let eof = false; !eof;) {
      const next = await chunks.next();
      eof = next.done === true;
      const buf = eof ? carry : carry.length ? Buffer.concat([carry, next.value as Buffer]) : next.value as Buffer;
      // Decode only whole lines, so a multi-byte character is never cut in two.
      const cut = eof ? buf.length : buf.lastIndexOf(LF) + 1;
      const text = buf.toString("utf8", 0, cut);
      const records: CsvRecord[] = [];
      let p = 0, linesUsed = 0;
      while (p < text.length) {
        let r = parseRecord(text, p, eof);
        if (!r && cut - bytesOfLines(buf, linesUsed) <= MAX_RECORD_BYTES) break;
        // A broken quote that swallowed later lines costs only its own line: the rest are read anew.
        if (!r || (r.error && r.newlines > 1)) {
          const nl = text.indexOf("\n", p);
          const end = nl < 0 ? text.length : nl + 1;
          r = { fields: [], end, newlines: nl < 0 ? 0 : 1, error: `${r?.error ?? "unclosed quote"} (only this line is rejected)` };
        }
        records.push({ fields: r.fields, line, start: p, end: r.end, error: r.error });
        line += r.newlines;
        linesUsed += r.newlines;
        p = r.end;
      }
      const used = eof ? buf.length : bytesOfLines(buf, linesUsed);
      offset += used;
      carry = buf.subarray(used);
      if (records.length > 0 || eof) yield { records, text, offset, line };
    }
  } finally {
    stream.destroy(); // the caller may stop early (an interrupted import)
  }
}

/** The header: the first record of the file, its fields trimmed and a UTF-8 byte-order mark dropped. */
export async function readHeader(path: string): Promise<{ fields: string[]; offset: number }> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(LF);
    const end = nl < 0 ? bytesRead : nl + 1;
    const text = buf.toString("utf8", 0, end).replace(/^\uFEFF/, "");
    return { fields: (parseRecord(text, 0, true)?.fields ?? []).map((f) => f.trim()), offset: end };
  } finally {
    await file.close();
  }
}
