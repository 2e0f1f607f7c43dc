// Reads EXPLAIN QUERY PLAN output: which lines scan a whole table that grows with the shop.

export const GROWING_TABLES = new Set(["products", "features", "styles", "photos", "skus", "related", "orders", "order_lines", "product_facts", "product_search",
  "carts", "cart_items", "stock_changes"]);

const NOT_ALIASES = new Set(["where", "set", "on", "join", "left", "inner", "group", "order", "limit", "values", "select", "using", "as"]);

/** alias → table, for every `FROM t [AS] a`, `JOIN t a`, `UPDATE t`, `INTO t` in the statement. */
export function tableAliases(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  const pattern = /\b(?:FROM|JOIN|UPDATE|INTO)\s+["`]?(\w+)["`]?(?:\s+(?:AS\s+)?["`]?(\w+)["`]?)?/gi;
  for (const match of sql.matchAll(pattern)) {
    const table = match[1]!.toLowerCase();
    map.set(table, table);
    const alias = match[2]?.toLowerCase();
    if (alias && !NOT_ALIASES.has(alias)) map.set(alias, table);
  }
  return map;
}

/** The plan lines that walk a whole growing table (a SCAN of it, with or without an index). */
export function fullScans(sql: string, details: string[]): string[] {
  const aliases = tableAliases(sql);
  return details.filter((detail) => {
    const match = /^SCAN (\w+)/.exec(detail);
    if (!match) return false;
    // An FTS5 table is searched through its index when the plan's index string holds a MATCH (M);
    // without one it reads every row of its content.
    if (/ VIRTUAL TABLE INDEX \d+:\S*M/.test(detail)) return false;
    const table = aliases.get(match[1]!.toLowerCase());
    return table !== undefined && GROWING_TABLES.has(table);
  });
}

/** Dummy parameters for `?1..?N` or `?` placeholders: EXPLAIN plans without running. */
export function dummyParams(sql: string): number[] {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''"); // a ? inside a string literal ('default?') isn't one
  const numbered = [...code.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]));
  const count = numbered.length > 0 ? Math.max(...numbered) : (code.match(/\?/g) ?? []).length;
  return Array.from({ length: count }, () => 1);
}
