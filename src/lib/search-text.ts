// What a shopper types, turned into an FTS5 query that can only ever be text. Each word becomes a quoted
// FTS5 string (so `NEAR`, `OR`, `name:`, `-`, `*`, parentheses and quotes are never syntax), the words
// are ANDed, and the last one is matched as a prefix while typing once it has PREFIX_MIN_CHARS.

/** A prefix shorter than this would expand to most of the vocabulary; it is matched as a whole word. */
export const PREFIX_MIN_CHARS = 3;
/** Words past this many are dropped: each adds a doclist to read, and 8 words already pin a product down. */
export const MAX_QUERY_WORDS = 8;
/** A word longer than this matches no product of any catalog we know; cut so the query stays small. */
const MAX_WORD_CHARS = 64;

// unicode61 makes tokens of letters, numbers and private-use characters; marks stay with their letter
// (remove_diacritics drops them). Everything else (punctuation, symbols, emoji) separates words.
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

// A "word" of marks alone (a stray combining accent) is nothing once diacritics are removed, and an empty
// FTS5 string ANDed with the rest would match nothing at all.
const HAS_BASE = /[\p{L}\p{N}\p{Co}]/u;

export function searchWords(text: string): string[] {
  return (text.match(WORD) ?? []).filter((w) => HAS_BASE.test(w)).slice(0, MAX_QUERY_WORDS).map((w) => [...w].slice(0, MAX_WORD_CHARS).join(""));
}

/**
 * The FTS5 MATCH expression for the text, or null when it holds no word (then nothing matches).
 * `column` restricts every word to one column (typeahead reads names only).
 */
export function ftsMatch(text: string, column?: string): string | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  const terms = words.map((w, i) => {
    const isLast = i === words.length - 1;
    // A word holds no `"` (WORD excludes it), so wrapping it in quotes makes it an FTS5 string.
    return isLast && [...w].length >= PREFIX_MIN_CHARS ? `"${w}"*` : `"${w}"`;
  });
  const query = terms.join(" AND ");
  return column ? `{${column}} : (${query})` : query;
}

/** A prefix of exactly this many characters reads FTS5's prefix index (`prefix='3'`); longer ones are expanded. */
const INDEXED_PREFIX_CHARS = 3;

/** What unicode61 with remove_diacritics does to a word, near enough to find the indexed terms it starts. */
export const foldWord = (w: string): string => w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * The words of a ranked search as SEARCH_RANKED takes them: `head`, every word but the last ANDed (null for
 * one word); `last`, the last word as an FTS5 string (with `*` when it is exactly a 3-character prefix, which
 * the prefix index answers); `prefix`, the folded last word whose indexed terms the statement ORs in (4+
 * characters), else null. Null when the text holds no word.
 */
export function rankedMatch(text: string, words = searchWords(text)): { head: string | null; last: string; prefix: string | null } | null {
  if (words.length === 0) return null;
  const lastWord = words[words.length - 1]!;
  const chars = [...lastWord].length;
  return {
    head: words.length > 1 ? words.slice(0, -1).map((w) => `"${w}"`).join(" AND ") : null,
    last: chars === INDEXED_PREFIX_CHARS ? `"${lastWord}"*` : `"${lastWord}"`,
    prefix: chars > INDEXED_PREFIX_CHARS ? foldWord(lastWord) : null,
  };
}
