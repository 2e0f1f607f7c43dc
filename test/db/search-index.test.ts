import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_CATEGORY, SEARCH_RANKED } from "../../src/db/search-queries";
import { rankedMatch } from "../../src/lib/search-text";
import { admin } from "../support/admin";
import { seedCatalog } from "../support/fixtures";

// The statements with a window of 2 (the Worker uses SEARCH_WINDOW), to see windows end and cursors move.

beforeAll(async () => {
  await seedCatalog();
  // In id order: a lamp named, one only described, three named, one only in its slogan, one more named.
  const products: Record<string, string>[] = [
    { name: "Alpha Lamp" }, { name: "Desk", description: "Lit by a lamp" }, { name: "Beta Lamp" }, { name: "Gamma Lamp" },
    { name: "Delta Lamp" }, { name: "Shade", slogan: "Made for your lamp" }, { name: "Lamp Lamp" },
  ];
  for (const p of products) await admin("POST", "/products", { ...p, category: "Lamps", default_price: "10" });
});

type Page = { results: { id: number; name: string }[]; next_cursor: string | null };
const decode = (hex: string) => String.fromCharCode(...hex.match(/../g)!.map((b) => parseInt(b, 16)));
const TAG = "0badc0de"; // what the service binds to name the search; any 8 hex digits here

/** A page of `q=lamp` from a cursor (tier 1 names, 2 the rest) over windows of 2 candidates. */
async function ranked(tier: 1 | 2, after: number, offset: number, limit: number): Promise<Page> {
  const { head, last, prefix } = rankedMatch("lamp")!;
  const body = await env.DB.prepare(SEARCH_RANKED).bind(head, after, 2, null, null, null, 0, limit, offset, last, prefix, tier, TAG).first<string>("body");
  return JSON.parse(body!) as Page;
}

/** Every page from the first, following next_cursor: the names seen, in order. */
async function walk(limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: [1 | 2, number, number] | null = [1, 0, 0];
  while (cursor) {
    const page: Page = await ranked(...cursor, limit);
    seen.push(...page.results.map((r) => r.name));
    const next = page.next_cursor ? decode(page.next_cursor).split("|") : null;
    cursor = next ? [next[0] === "n" ? 1 : 2, Number(next[1]), Number(next[2])] : null;
  }
  return seen;
}

describe("a ranked search over windows of candidates, names first", () => {
  it("ranks within the window and moves the cursor to the next window when this one is used up", async () => {
    const first = await ranked(1, 0, 0, 1);
    expect(first.results.map((r) => r.name)).toEqual(["Alpha Lamp"]);
    expect(decode(first.next_cursor!)).toBe(`n|0|1|${TAG}`);
    const second = await ranked(1, 0, 1, 1);
    expect(second.results.map((r) => r.name)).toEqual(["Beta Lamp"]);
    expect(decode(second.next_cursor!)).toMatch(new RegExp(`^n\\|\\d+\\|0\\|${TAG}$`));
  });

  it("reaches every match exactly once by following the cursors: every name match before any other", async () => {
    const names = ["Alpha Lamp", "Beta Lamp", "Gamma Lamp", "Delta Lamp", "Lamp Lamp"];
    const rest = ["Shade", "Desk"]; // a slogan match scores above a description match
    for (const limit of [1, 2, 3, 20]) expect(await walk(limit), `limit ${limit}`).toEqual([...names, ...rest]);
  });

  it("goes on with the rest on the page where the names run out", async () => {
    const delta = await env.DB.prepare("SELECT id FROM products WHERE name = 'Delta Lamp'").first<number>("id");
    const last = await ranked(1, delta!, 0, 2); // the last window of names holds one
    expect(last.results.map((r) => r.name)).toEqual(["Lamp Lamp", "Shade"]);
    expect(decode(last.next_cursor!)).toBe(`r|0|1|${TAG}`);
  });

  it("answers a short page with a cursor when filters leave less than a page in the window", async () => {
    const body = await env.DB.prepare(SEARCH_CATEGORY).bind(null, 0, 2, "Lamps", null, 5, 0, 20, TAG).first<string>("body");
    const page = JSON.parse(body!) as Page;
    expect(page.results).toEqual([]);
    expect(decode(page.next_cursor!)).toMatch(new RegExp(`^i\\|\\d+\\|${TAG}$`));
  });
});

describe("the FTS5 index after every kind of write", () => {
  it("passes FTS5's own integrity check against products", async () => {
    const id = ((await (await admin("POST", "/products", { name: "Check Me", category: "Lamps", default_price: "1" })).json()) as { id: number }).id;
    await admin("PUT", `/products/${id}`, { name: "Checked", category: "Desks", default_price: "2" });
    await admin("POST", `/products/${id}/styles`, { name: "S", original_price: "3", skus: [{ size: "M", quantity: 1 }] });
    await admin("DELETE", `/products/${id}`);
    // FTS5's integrity-check throws (SQLITE_CORRUPT_VTAB) when the index disagrees with its content.
    for (const index of ["product_search", "product_name_search"]) {
      await env.DB.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run();
    }
    // And every product is in both indexes once: the created-then-deleted one left no row behind.
    const counts = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM product_search) AS search, (SELECT count(*) FROM product_name_search) AS names",
    ).first<{ products: number; search: number; names: number }>();
    expect(counts).toEqual({ products: counts!.products, search: counts!.products, names: counts!.products });
  });

  it("counts each category as many times as it has products", async () => {
    const counts = await env.DB.prepare(`SELECT json_group_object(category, products) AS c FROM category_counts`).first<string>("c");
    const actual = await env.DB.prepare(`SELECT json_group_object(category, n) AS c FROM (SELECT category, count(*) AS n FROM products GROUP BY category)`).first<string>("c");
    expect(JSON.parse(counts!)).toEqual(JSON.parse(actual!));
  });
});
