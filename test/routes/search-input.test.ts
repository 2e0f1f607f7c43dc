import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog);

interface Page { results: { id: number }[]; next_cursor: string | null }

async function page(query: string): Promise<Page> {
  const res = await call(`/search?${query}`);
  expect(res.status, query).toBe(200);
  return (await res.json()) as Page;
}

const hex = (text: string) => [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
const unhex = (cursor: string) => new TextDecoder().decode(new Uint8Array(cursor.match(/../g)!.map((b) => parseInt(b, 16))));

const NOT_THIS_SEARCH = [{ field: "cursor", message: "not a next_cursor of this search: start again without a cursor" }];

// API.md (and the OpenAPI text of GET /search): a cursor belongs to the search that answered it.
describe("a search cursor works only for its own search", () => {
  it("answers 400 naming cursor for the next_cursor of another ranked search", async () => {
    const kicks = (await page("q=kicks&limit=1")).next_cursor!;
    await expectError(await call(`/search?q=slacks&cursor=${kicks}`), 400, "VALIDATION_ERROR", "Invalid query: cursor", NOT_THIS_SEARCH);
  });

  it("answers 400 for the words' cursor under other filters, and for another category's cursor", async () => {
    const kicks = (await page("q=kicks&limit=1")).next_cursor!;
    await expectError(await call(`/search?q=kicks&max_price=50&cursor=${kicks}`), 400, "VALIDATION_ERROR", "Invalid query: cursor", NOT_THIS_SEARCH);
    const pants = (await page("category=Pants&limit=1")).next_cursor!;
    await expectError(await call(`/search?category=Kicks&cursor=${pants}`), 400, "VALIDATION_ERROR", "Invalid query: cursor", NOT_THIS_SEARCH);
  });

  it("takes its own cursor with another limit, or the words typed differently (case, spacing, a control character)", async () => {
    const kicks = (await page("q=kicks&limit=1")).next_cursor!;
    expect((await page(`q=kicks&limit=5&cursor=${kicks}`)).results.map((r) => r.id)).toEqual([5]);
    expect((await page(`q=%20KICKS%00&limit=5&cursor=${kicks}`)).results.map((r) => r.id)).toEqual([5]);
  });

  it("answers 400 for a cursor forged past 2^53-1, ranked or by id", async () => {
    for (const query of ["q=kicks&limit=1", "category=Pants&limit=1"]) {
      const real = unhex((await page(query)).next_cursor!);
      const forged = hex(real.replace(/^([nri]\|)\d+/, "$19007199254740992"));
      expect(forged).not.toBe(hex(real));
      await expectError(await call(`/search?${query}&cursor=${forged}`), 400, "VALIDATION_ERROR", "Invalid query: cursor", NOT_THIS_SEARCH);
    }
  });
});

// API.md: text holding an unpaired UTF-16 surrogate is 400, not silently altered. In a URL that text
// arrives percent-encoded; an escape that decodes to no UTF-8 (`%ED%A0%80` is a lone surrogate,
// `%FF` is no UTF-8 at all) is refused rather than searched as the literal "%ED%A0%80".
describe("percent-encoding that is not UTF-8", () => {
  const BROKEN = "must be percent-encoded UTF-8 (this holds an unpaired surrogate or bytes that are not UTF-8)";
  for (const [route, query, field] of [
    ["/search", "q=%ED%A0%80", "q"],
    ["/search", "q=jog%ED%A0%80", "q"],
    ["/search", "q=caf%E9", "q"],
    ["/search", "category=%ED%B0%80", "category"],
    ["/search/suggest", "q=jog%ED%A0%80", "q"],
  ] as const) {
    it(`answers 400 naming ${field} for ${route}?${query}`, async () => {
      await expectError(await call(`${route}?${query}`), 400, "VALIDATION_ERROR", `Invalid query: ${field}`, [{ field, message: BROKEN }]);
    });
  }

  it("searches a well-encoded emoji and a literal % that starts no escape as text", async () => {
    expect((await page("q=kicks%20%F0%9F%99%82")).results.map((r) => r.id)).toEqual([6, 5]);
    expect((await page("q=50%")).results).toEqual([]);
  });
});

describe("GET /search/suggest takes whatever was typed", () => {
  it("answers 200 to 1,000 characters of pasted text, never an error", async () => {
    for (const q of ["x".repeat(1000), "jog ".repeat(250), "morning jog".padEnd(1000, " ")]) {
      const res = await call(`/search/suggest?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(Array.isArray(((await res.json()) as { results: unknown[] }).results)).toBe(true);
    }
  });
});
