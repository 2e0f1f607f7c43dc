import { sqlMoney } from "../lib/money";

// Search reads (docs/decisions/search.md). Each is ONE statement that returns the finished body, like
// read-queries.ts. Every page looks at a bounded window of candidates, so page 50 costs what page 1 does
// and no query walks a growing list to its end:
//   ranked (q given), in two tiers: first the products whose NAME holds every word, then the other
//     matches. Within a tier the first ?3 candidates in id order after ?2 are scored by the columns they
//     match in and sorted; the page is ?8 of them from offset ?9. The cursor keeps (tier, window start,
//     offset) and moves to the tier's next window when this one is used up; when the name tier runs out
//     on a page, the same page goes on with the first window of the rest. Every match is reachable,
//     every name match before any other, best-first within each window.
//   by id (no q): products after ?2 up to the ?3-th one (a seek of ?3 index entries), filtered.
// A page can hold fewer than ?8 results and still have a next_cursor (the window ran out first).
// Cursors are hex of 'n|after|offset|tag' (name tier), 'r|after|offset|tag' (the rest) or
// 'i|after|tag', decoded by src/services/search-reads.ts; the tag (?13 ranked, ?9 by id) names the
// search (words and filters), so a cursor is refused by any other search. CASTs: D1 may bind a JS
// number as a REAL, which would print as '20.0'.
// Parameters: ?2 after, ?3 window, ?4 category (NULL: every category), ?5 / ?6 min / max price in cents (NULL: no
// bound), ?7 1 = in stock only, ?8 limit; ranked also ?1 / ?10 / ?11 the words
// (rankedMatch in src/lib/search-text.ts: all but the last, the last, its prefix to expand), ?9 offset,
// ?12 the tier the cursor is in (1 names, 2 the rest), ?13 the tag; by id ?9 the tag.

/**
 * Candidates per page (?3): a ranked page scores the first SEARCH_WINDOW matches (in id order) after its
 * cursor; an id-ordered page looks no further than SEARCH_WINDOW products ahead. Sized so the commonest
 * word of the 1M catalog stays within the SQL budget (docs/search.md has the measurement).
 */
export const SEARCH_WINDOW = 500;

const FILTERS = (f: string) => `(?4 IS NULL OR ${f}.category = ?4) AND (?5 IS NULL OR ${f}.price >= ?5)
    AND (?6 IS NULL OR ${f}.price <= ?6) AND (?7 = 0 OR ${f}.in_stock)`;

const results = (page: string, order: string) => `json((SELECT json_group_array(json_object(
      'id', p.id, 'name', p.name, 'slogan', p.slogan, 'category', p.category,
      'default_price', ${sqlMoney("p.default_price")}, 'price', ${sqlMoney("pg.price")}) ORDER BY ${order})
    FROM (SELECT * FROM ${page} ORDER BY ${order.replaceAll("pg.", "")} LIMIT ?8) AS pg JOIN products AS p ON p.id = pg.id))`;

// The score of a candidate, from its own row only (no corpus statistics, so no doclist is walked to count
// documents): which columns hold a matched word, read from highlight() (the row's positions and text).
// Name 10, category 4, slogan 2; a match in the description alone scores 0. Ties go by id.
const hit = (column: number) => `(instr(highlight(product_search, ${column}, char(1), ''), char(1)) > 0)`;
const SCORE = `-(${hit(0)} * 10 + ${hit(3)} * 4 + ${hit(1)} * 2)`;

// The last word as a prefix (?11, folded like the index, 4+ characters; NULL for none) is expanded into
// the indexed terms it starts, read from the vocabulary in term order (a seek each), so FTS5 ORs a few
// doclists lazily instead of merging every matching term's whole doclist before the first row. Past
// MAX_PREFIX_TERMS terms it falls back to FTS5's own prefix match (correct, O(matches)).
export const MAX_PREFIX_TERMS = 64;

/** Past every rowid: a lower bound that makes a scan end before it starts. */
const NO_ROWID = "9223372036854775807";

const cursor = (kind: string, after: string, offset: string) => `hex('${kind}|' || ${after} || '|' || ${offset} || '|' || ?13)`;

// The two tiers (docs/decisions/search.md, "Names first"). The names come from product_name_search,
// whose doclists hold names only, so its first ?3 rows are the window however rare the word is in
// names; they are scored in one pass over product_search between the first and the last of them (the +
// keeps the IN from turning into a lookup per id, each of which parses the match expression again). The
// rest are the rows of product_search that hold a word outside the name ({slogan description category}
// : any of the words, which leaves name-only matches out inside the index) and are no name match: for
// one word a name holding it is one; for more, one seek into product_name_search tells. A page reads the
// rest only when its cursor is there, or when the names ran out in this window (then it goes on with the
// first window of the rest). Guards are bounds, never a subquery ANDed in: SQLite hoists a constant out
// of a scan, not a subquery, and a scan with a NULL bound reads the whole doclist.
export const SEARCH_RANKED = `
WITH RECURSIVE terms(t, n) AS (
  SELECT (SELECT term FROM product_search_terms WHERE term >= ?11 AND term < ?11 || char(1114111) LIMIT 1), 1 WHERE ?11 IS NOT NULL
  UNION ALL
  SELECT (SELECT term FROM product_search_terms WHERE term >= t || char(1) AND term < ?11 || char(1114111) LIMIT 1), n + 1
  FROM terms WHERE t IS NOT NULL AND n <= ${MAX_PREFIX_TERMS}
), expr AS MATERIALIZED (
  -- e: every word (the last one or a term it starts); any: at least one of them.
  SELECT coalesce(?1 || ' AND ', '') || g AS e, coalesce(replace(?1, '" AND "', '" OR "') || ' OR ', '') || g AS any
  FROM (SELECT '(' || ?10 || CASE
    WHEN (SELECT count(*) FROM terms WHERE t IS NOT NULL) > ${MAX_PREFIX_TERMS} THEN ' OR ' || ?10 || '*'
    -- The typed word is in already (a term equal to it would be read twice).
    ELSE coalesce((SELECT ' OR ' || group_concat('"' || replace(t, '"', '""') || '"', ' OR ') FROM terms WHERE t IS NOT NULL AND t <> ?11), '')
  END || ')' AS g)
), name_ids AS MATERIALIZED (
  SELECT rowid AS id FROM product_name_search
  WHERE ?12 = 1 AND product_name_search MATCH (SELECT e FROM expr) AND rowid > ?2 ORDER BY rowid LIMIT ?3
), rest_after AS MATERIALIZED (
  SELECT CASE WHEN ?12 = 2 THEN ?2 WHEN (SELECT count(*) FROM name_ids) < ?3 THEN 0 END AS after
), name_cand AS MATERIALIZED (
  SELECT 1 AS tier, product_search.rowid AS id, ${SCORE} AS score FROM product_search
  WHERE product_search MATCH (SELECT e FROM expr)
    AND product_search.rowid >= coalesce((SELECT min(id) FROM name_ids), ${NO_ROWID})
    AND product_search.rowid <= coalesce((SELECT max(id) FROM name_ids), 0)
    AND +product_search.rowid IN (SELECT id FROM name_ids)
), rest_cand AS MATERIALIZED (
  SELECT 2 AS tier, product_search.rowid AS id, ${SCORE} AS score FROM product_search
  WHERE product_search MATCH (SELECT '(' || e || ') AND {slogan description category} : (' || any || ')' FROM expr)
    AND product_search.rowid > coalesce((SELECT after FROM rest_after), ${NO_ROWID})
    AND NOT (${hit(0)} AND (?1 IS NULL OR EXISTS (SELECT 1 FROM product_name_search
      WHERE product_name_search MATCH (SELECT e FROM expr) AND product_name_search.rowid = product_search.rowid)))
  ORDER BY product_search.rowid LIMIT ?3
), page AS MATERIALIZED (
  -- This window of names, then (when they ran out) the first window of the rest; best first in each.
  SELECT c.tier, c.id, c.score, f.price FROM (SELECT * FROM name_cand UNION ALL SELECT * FROM rest_cand) AS c
  JOIN product_facts AS f ON f.product_id = c.id
  WHERE ${FILTERS("f")}
  ORDER BY c.tier, c.score, c.id LIMIT ?8 + 1 OFFSET ?9
)
SELECT json_object(
  'results', ${results("page", "pg.tier, pg.score, pg.id")},
  'next_cursor', CASE
    WHEN (SELECT count(*) FROM page) > ?8 THEN CASE (SELECT tier FROM page ORDER BY tier DESC, score DESC, id DESC LIMIT 1)
      WHEN 1 THEN ${cursor("n", "CAST(?2 AS INTEGER)", "CAST(?9 + ?8 AS INTEGER)")}
      -- The offset into the rest: past the names of this window that the filters kept.
      ELSE ${cursor("r", "CAST((SELECT after FROM rest_after) AS INTEGER)", `CAST(?9 + ?8 - (SELECT count(*) FROM name_cand AS c
        JOIN product_facts AS f ON f.product_id = c.id WHERE ${FILTERS("f")}) AS INTEGER)`)}
    END
    WHEN (SELECT count(*) FROM name_ids) = ?3 THEN ${cursor("n", "(SELECT max(id) FROM name_ids)", "0")}
    WHEN (SELECT count(*) FROM rest_cand) = ?3 THEN ${cursor("r", "(SELECT max(id) FROM rest_cand)", "0")}
  END) AS body`;

/** The id-ordered page over `source` (a product_facts seek), bounded by the ?3-th row after ?2. */
const byId = (source: string) => `
WITH bound AS MATERIALIZED (
  SELECT (SELECT f.product_id FROM ${source} ORDER BY f.product_id LIMIT 1 OFFSET ?3 - 1) AS last
), page AS MATERIALIZED (
  SELECT f.product_id AS id, f.price FROM ${source}
  AND f.product_id <= coalesce((SELECT last FROM bound), 9223372036854775807) AND ${FILTERS("f")}
  ORDER BY f.product_id LIMIT ?8 + 1
)
SELECT json_object(
  'results', ${results("page", "pg.id")},
  'next_cursor', CASE
    WHEN (SELECT count(*) FROM page) > ?8 THEN hex('i|' || (SELECT id FROM page ORDER BY id LIMIT 1 OFFSET ?8 - 1) || '|' || ?9)
    WHEN (SELECT last FROM bound) IS NOT NULL THEN hex('i|' || (SELECT last FROM bound) || '|' || ?9)
  END) AS body`;

/** Category browsing: product_facts_category_idx from (?4, ?2). */
export const SEARCH_CATEGORY = byId("product_facts AS f WHERE f.category = ?4 AND f.product_id > ?2");

/** Price or stock filters alone: product_facts by its primary key from ?2. ?4 is NULL here. */
export const SEARCH_FILTERED = byId("product_facts AS f WHERE f.product_id > ?2");

/** ?1 = match expression on names; the first 10 matches in id order (no ranking: it runs per keystroke). */
export const SUGGEST = `
SELECT json_object('results', json((SELECT json_group_array(json_object('id', p.id, 'name', p.name) ORDER BY p.id)
  FROM (SELECT rowid AS id FROM product_search WHERE product_search MATCH ?1 ORDER BY rowid LIMIT 10) AS m
  JOIN products AS p ON p.id = m.id))) AS body`;

/** Every category with its product count, from the counts the triggers keep (never a GROUP BY over products). */
export const CATEGORY_COUNTS = `
SELECT json_object('results', json((SELECT json_group_array(json_object('category', c.category, 'products', c.products) ORDER BY c.category)
  FROM category_counts AS c WHERE c.products > 0))) AS body`;
