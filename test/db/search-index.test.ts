import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SEARCH_CATEGORY, SEARCH_RANKED } from "../../src/db/search-queries";
import { rankedMatch } from "../../src/lib/search-text";
import { admin } from "../support/admin";
import { seedCatalog } from "../support/fixtures";

// The statements with a window of 2 (the Worker uses SEARCH_WINDOW), to see windows end and cursors move.

beforeAll(async () => {
  await seedCatalog();
  for (const name of ["Alpha Lamp", "Beta Lamp", "Gamma Lamp", "Delta Lamp", "Lamp Lamp"]) {
    await admin("POST", "/products", { name, category: "Lamps", default_price: "10" });
  }
});

type Page = { results: { id: number; name: string }[]; next_cursor: string | null };
const decode = (hex: string) => String.fromCharCode(...hex.match(/../g)!.map((b) => parseInt(b, 16)));

async function ranked(after: number, offset: number, limit: number): Promise<Page> {
  const { head, last, prefix } = rankedMatch("lamp")!;
  const body = await env.DB.prepare(SEARCH_RANKED).bind(head, after, 2, null, null, null, 0, limit, offset, last, prefix).first<string>("body");
  return JSON.parse(body!) as Page;
}

describe("a ranked search over a window of candidates", () => {
  it("ranks within the window and moves the cursor to the next window when this one is used up", async () => {
    const first = await ranked(0, 0, 1);
    expect(first.results.map((r) => r.name)).toEqual(["Alpha Lamp"]);
    expect(decode(first.next_cursor!)).toBe("r|0|1");
    const second = await ranked(0, 1, 1);
    expect(second.results.map((r) => r.name)).toEqual(["Beta Lamp"]);
    expect(decode(second.next_cursor!)).toMatch(/^r\|\d+\|0$/);
  });

  it("reaches every match exactly once by following the cursors, best first within each window", async () => {
    const seen: string[] = [];
    let cursor: [number, number] | null = [0, 0];
    while (cursor) {
      const page: Page = await ranked(cursor[0], cursor[1], 1);
      seen.push(...page.results.map((r) => r.name));
      cursor = page.next_cursor ? (decode(page.next_cursor).split("|").slice(1).map(Number) as [number, number]) : null;
    }
    expect(seen).toEqual(["Alpha Lamp", "Beta Lamp", "Gamma Lamp", "Delta Lamp", "Lamp Lamp"]);
  });

  it("answers a short page with a cursor when filters leave less than a page in the window", async () => {
    const body = await env.DB.prepare(SEARCH_CATEGORY).bind(null, 0, 2, "Lamps", null, 5, 0, 20).first<string>("body");
    const page = JSON.parse(body!) as Page;
    expect(page.results).toEqual([]);
    expect(decode(page.next_cursor!)).toMatch(/^i\|\d+$/);
  });
});

describe("the FTS5 index after every kind of write", () => {
  it("passes FTS5's own integrity check against products", async () => {
    const id = ((await (await admin("POST", "/products", { name: "Check Me", category: "Lamps", default_price: "1" })).json()) as { id: number }).id;
    await admin("PUT", `/products/${id}`, { name: "Checked", category: "Desks", default_price: "2" });
    await admin("POST", `/products/${id}/styles`, { name: "S", original_price: "3", skus: [{ size: "M", quantity: 1 }] });
    await admin("DELETE", `/products/${id}`);
    await expect(env.DB.prepare("INSERT INTO product_search (product_search, rank) VALUES ('integrity-check', 1)").run()).resolves.toBeDefined();
  });

  it("counts each category as many times as it has products", async () => {
    const counts = await env.DB.prepare(`SELECT json_group_object(category, products) AS c FROM category_counts`).first<string>("c");
    const actual = await env.DB.prepare(`SELECT json_group_object(category, n) AS c FROM (SELECT category, count(*) AS n FROM products GROUP BY category)`).first<string>("c");
    expect(JSON.parse(counts!)).toEqual(JSON.parse(actual!));
  });
});
