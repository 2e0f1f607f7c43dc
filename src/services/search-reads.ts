import type { BodyRow } from "../db/read-queries";
import type { Db } from "../db/resilient-d1";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SEARCH_WINDOW, SUGGEST } from "../db/search-queries";
import { AppError } from "../lib/errors";
import { ftsMatch, PREFIX_MIN_CHARS, rankedMatch } from "../lib/search-text";

// Search reads: each runs at most one D1 statement and returns the body as SQLite wrote it.

export interface SearchFilters {
  q?: string;
  category?: string;
  min_price?: number;
  max_price?: number;
  in_stock?: "true";
  limit: number;
  cursor?: string;
}

type Cursor = { kind: "r"; after: number; offset: number } | { kind: "i"; after: number; offset: 0 };

const badCursor = () => new AppError("VALIDATION_ERROR", "Invalid query: cursor",
  [{ field: "cursor", message: "not a next_cursor of this search: start again without a cursor" }]);

/** Cursors are hex of 'r|after|offset' (ranked) or 'i|after' (by id), as the statements write them. */
function decodeCursor(hex: string | undefined, ranked: boolean): Cursor {
  if (hex === undefined) return ranked ? { kind: "r", after: 0, offset: 0 } : { kind: "i", after: 0, offset: 0 };
  if (hex.length % 2 !== 0) throw badCursor();
  const text = String.fromCharCode(...(hex.match(/../g) ?? []).map((b) => parseInt(b, 16)));
  const m = /^(r|i)\|(0|[1-9]\d{0,15})(?:\|(0|[1-9]\d{0,6}))?$/.exec(text);
  if (!m || (m[1] === "r") !== ranked || (m[1] === "r") !== (m[3] !== undefined)) throw badCursor();
  const offset = Number(m[3] ?? 0);
  if (offset >= SEARCH_WINDOW) throw badCursor();
  return m[1] === "r" ? { kind: "r", after: Number(m[2]), offset } : { kind: "i", after: Number(m[2]), offset: 0 };
}

const EMPTY_PAGE = '{"results":[],"next_cursor":null}';

export async function searchBody(db: Db, f: SearchFilters): Promise<string> {
  const hasText = f.q !== undefined && f.q.trim() !== "";
  const match = hasText ? rankedMatch(f.q!) : null;
  const cursor = decodeCursor(f.cursor, hasText);
  if (hasText && match === null) return EMPTY_PAGE; // only punctuation, symbols or emoji: no word to find
  const filters = [f.category ?? null, f.min_price ?? null, f.max_price ?? null, f.in_stock ? 1 : 0, f.limit];
  const statement = match !== null
    ? db.prepare(SEARCH_RANKED).bind(match.head, cursor.after, SEARCH_WINDOW, ...filters, cursor.offset, match.last, match.prefix)
    : db.prepare(f.category !== undefined ? SEARCH_CATEGORY : SEARCH_FILTERED).bind(null, cursor.after, SEARCH_WINDOW, ...filters);
  const row = await statement.first<BodyRow>();
  return row?.body ?? EMPTY_PAGE;
}

const NO_SUGGESTIONS = '{"results":[]}';

/** Up to 10 products whose name has these words, the last as a prefix; under 3 characters, none. */
export async function suggestBody(db: Db, q: string): Promise<string> {
  const match = [...q.trim()].length >= PREFIX_MIN_CHARS ? ftsMatch(q, "name") : null;
  if (match === null) return NO_SUGGESTIONS;
  const row = await db.prepare(SUGGEST).bind(match).first<BodyRow>();
  return row?.body ?? NO_SUGGESTIONS;
}

export async function categoriesBody(db: Db): Promise<string> {
  const row = await db.prepare(CATEGORY_COUNTS).first<BodyRow>();
  return row?.body ?? '{"results":[]}';
}
