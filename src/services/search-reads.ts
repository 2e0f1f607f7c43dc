import type { BodyRow } from "../db/read-queries";
import type { Db } from "../db/resilient-d1";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SEARCH_WINDOW, SUGGEST } from "../db/search-queries";
import { AppError } from "../lib/errors";
import { foldWord, ftsMatch, PREFIX_MIN_CHARS, rankedMatch, searchWords } from "../lib/search-text";

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

/** Where a page starts: a ranked tier (1, the names; 2, the rest) or the id order, a window start and an offset. */
interface Cursor { tier: 1 | 2 | null; after: number; offset: number }

const badCursor = () => new AppError("VALIDATION_ERROR", "Invalid query: cursor",
  [{ field: "cursor", message: "not a next_cursor of this search: start again without a cursor" }]);

/**
 * What a cursor is bound to: the search's words (folded as the index folds them, so `KICKS` and `kicks`
 * are one search) and its filters, but not `limit`. FNV-1a, 32 bits, as 8 hex digits: a check that a
 * cursor came from this search, not a secret (a cursor grants nothing a first page doesn't).
 */
function searchTag(f: SearchFilters, words: string[]): string {
  const text = JSON.stringify([words.map(foldWord), f.category ?? null, f.min_price ?? null, f.max_price ?? null, f.in_stock ?? null]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const CURSOR = /^(?:([nr])\|(0|[1-9]\d{0,15})\|(0|[1-9]\d{0,6})|i\|(0|[1-9]\d{0,15}))\|([0-9a-f]{8})$/;

/**
 * Cursors are hex of 'n|after|offset|tag' (ranked, name tier), 'r|after|offset|tag' (ranked, the rest)
 * or 'i|after|tag' (by id), as the statements write them. Refused: another search's (its tag or its
 * kind differs), and anything no statement writes (an id past 2^53-1, an offset outside the window).
 */
function decodeSearchCursor(hex: string | undefined, ranked: boolean, tag: string): Cursor {
  if (hex === undefined) return { tier: ranked ? 1 : null, after: 0, offset: 0 };
  if (hex.length % 2 !== 0) throw badCursor();
  const m = CURSOR.exec(String.fromCharCode(...(hex.match(/../g) ?? []).map((b) => parseInt(b, 16))));
  if (!m || m[5] !== tag || (m[1] !== undefined) !== ranked) throw badCursor();
  const after = Number(m[2] ?? m[4]);
  const offset = Number(m[3] ?? 0);
  if (!Number.isSafeInteger(after) || offset >= SEARCH_WINDOW) throw badCursor();
  return { tier: m[1] === "n" ? 1 : m[1] === "r" ? 2 : null, after, offset };
}

const EMPTY_PAGE = '{"results":[],"next_cursor":null}';

export async function searchBody(db: Db, f: SearchFilters): Promise<string> {
  const words = f.q === undefined ? [] : searchWords(f.q);
  const hasText = f.q !== undefined && f.q.trim() !== "";
  const match = hasText ? rankedMatch(f.q!, words) : null; // the words parsed once
  const tag = searchTag(f, words);
  const cursor = decodeSearchCursor(f.cursor, hasText, tag);
  if (hasText && match === null) return EMPTY_PAGE; // only punctuation, symbols or emoji: no word to find
  const filters = [f.category ?? null, f.min_price ?? null, f.max_price ?? null, f.in_stock ? 1 : 0, f.limit];
  const statement = match !== null
    ? db.prepare(SEARCH_RANKED).bind(match.head, cursor.after, SEARCH_WINDOW, ...filters, cursor.offset, match.last, match.prefix, cursor.tier, tag)
    : db.prepare(f.category !== undefined ? SEARCH_CATEGORY : SEARCH_FILTERED).bind(null, cursor.after, SEARCH_WINDOW, ...filters, tag);
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
