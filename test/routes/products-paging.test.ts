import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog); // products 1..7

const TOO_DEEP = "A page may start at most 9999 rows in ((page - 1) × count < 10000); page deeper with ?after=<last id of the previous page>, as the Link header of each page does";
const TOO_DEEP_DETAILS = [{ field: "page", message: "(page - 1) × count must be below 10000; use after" }];
const ids = async (res: Response) => ((await res.json()) as { id: number }[]).map((p) => p.id);

describe("GET /products refuses OFFSET pages that start 10,000 rows in", () => {
  for (const query of ["page=2001&count=5", "page=101&count=100", "page=10001", "page=9007199254740991&count=100"]) {
    it(`answers 400 VALIDATION_ERROR pointing to after for ?${query}`, async () => {
      await expectError(await call(`/products?${query}`), 400, "VALIDATION_ERROR", TOO_DEEP, TOO_DEEP_DETAILS);
    });
  }

  it("still serves the last page that starts below 10,000 rows (empty here)", async () => {
    const res = await call("/products?page=2000&count=5");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it("serves any depth through after", async () => {
    const res = await call("/products?after=9007199254740990&count=100");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });
});

describe("list answers that may have more link to the next page", () => {
  it("links a full first page to the keyset page after its last id", async () => {
    const res = await call("/products?count=3");
    expect(await ids(res)).toEqual([1, 2, 3]);
    expect(res.headers.get("Link")).toBe('</products?after=3&count=3>; rel="next"');
  });

  it("links an OFFSET page to the keyset page after it", async () => {
    const res = await call("/products?page=2&count=3");
    expect(await ids(res)).toEqual([4, 5, 6]);
    expect(res.headers.get("Link")).toBe('</products?after=6&count=3>; rel="next"');
  });

  it("walks the whole catalog by following Link, and the short last page has none", async () => {
    const seen: number[] = [];
    let next: string | null = "/products?count=3";
    const links: string[] = [];
    while (next) {
      const res = await call(next);
      seen.push(...(await ids(res)));
      next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("Link") ?? "")?.[1] ?? null;
      if (next) links.push(next);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(links).toEqual(["/products?after=3&count=3", "/products?after=6&count=3"]);
  });

  it("sends no Link on an empty page", async () => {
    const res = await call("/products?after=7");
    expect(await res.json()).toEqual([]);
    expect(res.headers.get("Link")).toBeNull();
  });

  it("exposes Link to browsers through CORS", async () => {
    const res = await call("/products?count=1", { headers: { Origin: "https://shop.example" } });
    expect(res.headers.get("Link")).toBe('</products?after=1&count=1>; rel="next"');
    expect(res.headers.get("Access-Control-Expose-Headers")?.split(",").map((h) => h.trim())).toContain("Link");
  });
});
