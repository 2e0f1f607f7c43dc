import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CATALOG, productBundles } from "../../scripts/lib/catalog-rows";
import { call } from "../support/request";

// API.md: search is ranked best first, and the name counts most. Ranking a million matches exactly
// would cost a scan of them all, so each page scores a window of 500 (docs/decisions/search.md); what
// the windows must not do is hide a name match behind weaker matches of an earlier window. The sample
// catalog `npm start` serves (3,000 products, seed 42) has hundreds of matches for `run`: products
// named "Hoop Runners" or "Running Shorts", and more that only say "Built for the long run" or sit in
// "Running Shoes".

beforeAll(async () => {
  const products = [...productBundles(DEFAULT_CATALOG)].flatMap((b) => b.products);
  await env.DB.prepare(`INSERT INTO products (id, name, slogan, description, category, default_price)
    SELECT value ->> 'id', value ->> 'name', value ->> 'slogan', value ->> 'description', value ->> 'category', value ->> 'default_price'
    FROM json_each(?1)`).bind(JSON.stringify(products)).run();
});

interface Page { results: { id: number; name: string }[]; next_cursor: string | null }

/** Every result of the search, following next_cursor to the end. */
async function everyResult(query: string): Promise<{ id: number; name: string }[]> {
  const seen: { id: number; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(`/search?${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    seen.push(...page.results);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return seen;
}

/** A name holding a word that starts with the prefix, as the index reads "run" (Runners, Running). */
const nameHas = (name: string, prefix: string) => name.toLowerCase().split(/[^a-z0-9]+/).some((w) => w.startsWith(prefix));

describe("ranked search over the sample catalog", () => {
  it("lists every product whose name matches `run` before any that doesn't, and every match once", async () => {
    const results = await everyResult("q=run&limit=100");
    const matches = await env.DB.prepare(`SELECT count(*) AS n FROM product_search WHERE product_search MATCH '"run"*'`).first<number>("n");
    expect(results.length).toBe(matches);
    expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
    const named = results.filter((r) => nameHas(r.name, "run")).length;
    expect(named).toBeGreaterThan(50);
    expect(results.length - named).toBeGreaterThan(500); // more than one window of the rest
    expect(results.slice(0, named).every((r) => nameHas(r.name, "run"))).toBe(true);
  });

  it("gives the same order in pages of 7 as in pages of 100", async () => {
    expect((await everyResult("q=running%20shorts&limit=7")).map((r) => r.id))
      .toEqual((await everyResult("q=running%20shorts&limit=100")).map((r) => r.id));
  });
});
