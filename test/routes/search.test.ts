import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, expectInvalid } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call, callWith } from "../support/request";

beforeAll(seedCatalog);

interface Page { results: { id: number; name: string; slogan: string; category: string; default_price: string; price: string }[]; next_cursor: string | null }

async function search(query: string): Promise<Page> {
  const res = await call(`/search?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("ETag")).toMatch(/^"/);
  return (await res.json()) as Page;
}
const ids = async (query: string) => (await search(query)).results.map((r) => r.id);

describe("GET /search?q=", () => {
  it("answers matching product summaries with the price a shopper pays and no next page", async () => {
    expect(await search("q=joggers")).toEqual({
      results: [{ id: 3, name: "Morning Joggers", slogan: "Make yourself a morning person", category: "Pants", default_price: "40.00", price: "40.00" }],
      next_cursor: null,
    });
  });

  it("prices a product at its lowest sale-or-original style price, and at default_price without styles", async () => {
    expect((await search("q=camo")).results[0]).toMatchObject({ id: 1, default_price: "140.00", price: "100.05" });
    expect((await search("q=sunglasses")).results[0]).toMatchObject({ id: 2, default_price: "69.00", price: "69.00" });
  });

  it("matches slogan, description and category words too", async () => {
    expect(await ids("q=dynasty")).toEqual([5]);
    expect(await ids("q=fatigues")).toEqual([1]);
    expect(await ids("q=kicks")).toEqual([6, 5]); // name and category beat category alone
  });

  it("ignores case and accents both ways", async () => {
    const created = await admin("POST", "/products", { name: "Café Racer", category: "Bikes", default_price: "80" });
    const id = ((await created.json()) as { id: number }).id;
    expect(await ids("q=cafe")).toEqual([id]);
    expect(await ids("q=CAFÉ")).toEqual([id]);
    expect(await ids("q=SUNGLASSES")).toEqual([2]);
  });

  it("stems words, so a plural finds the singular and back", async () => {
    expect(await ids("q=jackets")).toContain(1); // category "Jackets" of product 1, and "jacket" stems alike
    expect(await ids("q=jogger")).toEqual([3]);
  });

  it("matches the last word as a prefix from 3 characters, and a shorter one only as a whole word", async () => {
    expect(await ids("q=morning%20jog")).toEqual([3]);
    expect(await ids("q=sungl")).toEqual([2]);
    expect(await ids("q=jo")).toEqual([]);
  });

  it("matches a last word of 4+ characters as the prefix of every indexed word it starts, however many", async () => {
    const many = Array.from({ length: 70 }, (_, i) => `quux${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`);
    const a = await admin("POST", "/products", { name: "Quuxzzy Lamp", category: "Misc", default_price: "5" });
    const b = await admin("POST", "/products", { name: "Word List", description: many.join(" "), category: "Misc", default_price: "5" });
    const [ida, idb] = [((await a.json()) as { id: number }).id, ((await b.json()) as { id: number }).id];
    expect(await ids("q=quuxzz")).toEqual([ida]); // a few terms: expanded from the vocabulary
    expect(await ids("q=QUUX")).toEqual([ida, idb]); // 71 terms, the name's last in term order: FTS5's own prefix match; the name ranks first
    expect(await ids("q=word%20quu")).toEqual([idb]); // 3 characters: the prefix index
  });

  it("ranks a name match above a product that only mentions the word in its description", async () => {
    const mention = await admin("POST", "/products", { name: "Plain Thing", description: "Goes with a lantern, lantern not included", category: "Misc", default_price: "5" });
    const named = await admin("POST", "/products", { name: "Lantern", category: "Misc", default_price: "9" });
    const [m, n] = [((await mention.json()) as { id: number }).id, ((await named.json()) as { id: number }).id];
    expect(m).toBeLessThan(n);
    expect(await ids("q=lantern")).toEqual([n, m]);
  });

  it("treats everything a shopper types as text: syntax, punctuation, emoji and 1,000 characters answer 200", async () => {
    const hostile = ['"', '"unclosed', "*", "jog*", "-kicks", "NEAR(kicks pumped)", "kicks AND", "OR", "NOT kicks", "name:kicks",
      "{name}: kicks", "(kicks", ")", "^kicks", "+", "!!!", "🙂", "kicks 🙂", "x".repeat(1000), "kicks ".repeat(200), "'; DROP TABLE products; --"];
    for (const q of hostile) {
      const res = await call(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(Array.isArray(((await res.json()) as Page).results), q).toBe(true);
    }
    expect(await ids(`q=${encodeURIComponent("pumped:kicks")}`)).toEqual([6]); // "pumped" AND "kicks", no column filter
    expect(await ids(`q=${encodeURIComponent("NEAR(pumped")}`)).toEqual([]); // "near" AND "pumped": no product has both
    expect(await search(`q=${encodeURIComponent("!!! 🙂")}`)).toEqual({ results: [], next_cursor: null });
    expect(await ids(`q=${encodeURIComponent("kicks \u0301")}`)).toEqual([6, 5]); // a lone combining accent is no word
  });
});

describe("GET /search filters", () => {
  it("browses a category by id without q", async () => {
    expect(await ids("category=Pants")).toEqual([3, 4]);
    expect(await ids("category=pants")).toEqual([]); // exact
  });

  it("filters on the price a shopper pays, bounds included", async () => {
    expect(await ids("category=Jackets&max_price=100.05")).toEqual([1]);
    expect(await ids("category=Jackets&max_price=100.04")).toEqual([]);
    expect(await ids("min_price=69&max_price=69.00")).toEqual([2]);
  });

  it("keeps only products with a sku in stock", async () => {
    expect(await ids("in_stock=true&category=Jackets")).toEqual([1]);
    expect(await ids("in_stock=true&category=Pants")).toEqual([]); // product 3's only sku is at 0
  });

  it("combines q with filters", async () => {
    expect(await ids("q=kicks&max_price=89")).toEqual([6]);
    expect(await ids("q=kicks&category=Pants")).toEqual([]);
  });

  it("answers 400 naming q when there is neither q nor a filter", async () => {
    await expectInvalid(await call("/search"), ["q"]);
    await expectInvalid(await call("/search?q=%20%20"), ["q"]);
  });

  it("answers 400 for malformed filters, limit and cursor", async () => {
    await expectInvalid(await call("/search?q=kicks&in_stock=false"), ["in_stock"]);
    await expectInvalid(await call("/search?q=kicks&min_price=-1"), ["min_price"]);
    await expectInvalid(await call("/search?q=kicks&min_price=20&max_price=10"), ["min_price"]);
    await expectInvalid(await call("/search?q=kicks&limit=101"), ["limit"]);
    await expectInvalid(await call("/search?q=kicks&cursor=zz"), ["cursor"]);
    await expectInvalid(await call("/search?q=kicks&cursor=7C"), ["cursor"]);
  });
});

describe("GET /search paging", () => {
  async function walk(query: string): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(`${query}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.results.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    return seen;
  }

  it("walks a ranked result list one by one in the order of a single page", async () => {
    expect(await walk("q=kicks")).toEqual(await ids("q=kicks&limit=100"));
  });

  it("walks a category by id one by one", async () => {
    expect(await walk("category=Kicks")).toEqual([5, 6]);
  });

  it("refuses a ranked cursor on a browse and the other way round", async () => {
    const ranked = (await search("q=kicks&limit=1")).next_cursor!;
    const browse = (await search("category=Kicks&limit=1")).next_cursor!;
    await expectInvalid(await call(`/search?category=Kicks&cursor=${ranked}`), ["cursor"]);
    await expectInvalid(await call(`/search?q=kicks&cursor=${browse}`), ["cursor"]);
  });
});

describe("GET /search/suggest", () => {
  it("answers up to 10 names whose words start with what was typed, in id order", async () => {
    const res = await call("/search/suggest?q=jog");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [{ id: 3, name: "Morning Joggers" }] });
  });

  it("reads names only", async () => {
    expect(await (await call("/search/suggest?q=dynasty")).json()).toEqual({ results: [] });
  });

  it("answers [] under 3 characters and for text without words", async () => {
    for (const q of ["", "jo", "🙂🙂🙂", "***"]) {
      expect(await (await call(`/search/suggest?q=${encodeURIComponent(q)}`)).json(), q).toEqual({ results: [] });
    }
  });

  it("answers 400 without q", async () => {
    await expectInvalid(await call("/search/suggest"), ["q"]);
  });
});

describe("the search rate limit (the tight test limiter allows 3 a minute)", () => {
  it("answers 429 RATE_LIMITED with Retry-After once an address has searched its budget, and keeps serving others", async () => {
    const tight = { SEARCH_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    const from = (ip: string) => callWith(tight, "/search?q=kicks", { headers: { "CF-Connecting-IP": ip } });
    for (let i = 0; i < 3; i++) expect((await from("203.0.113.50")).status).toBe(200);
    const limited = await from("203.0.113.50");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(await limited.json()).toMatchObject({ error: "RATE_LIMITED" });
    expect((await from("203.0.113.51")).status).toBe(200);
  });

  it("does not count typeahead or categories", async () => {
    const tight = { SEARCH_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    for (let i = 0; i < 5; i++) {
      expect((await callWith(tight, "/search/suggest?q=jog", { headers: { "CF-Connecting-IP": "203.0.113.60" } })).status).toBe(200);
    }
  });
});
