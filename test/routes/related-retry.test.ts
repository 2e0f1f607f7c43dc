import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogSnapshot, expectError } from "../support/admin";
import { noteInjectedFault } from "../support/logs";
import { seedCatalog } from "../support/fixtures";
import { adminInit, callWith, jsonInit } from "../support/request";

beforeAll(seedCatalog);

/** The real D1, except that every batch fails on a foreign key, as if a product kept vanishing. */
function foreignKeyFailingD1() {
  const calls = { batches: 0 };
  const failing = (t: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => t.prepare(sql),
    batch: () => {
      calls.batches++;
      noteInjectedFault();
      return Promise.reject(new Error("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT"));
    },
  });
  const db = { ...failing(env.DB), withSession: (c?: string) => { const s = env.DB.withSession(c); return { ...failing(s), getBookmark: () => s.getBookmark() }; } };
  return { db: db as unknown as D1Database, calls };
}

describe("PUT /products/:id/related when the batch keeps failing its foreign key", () => {
  it("gives up after 3 attempts with 503 UNAVAILABLE and Retry-After, changing nothing", async () => {
    const before = await catalogSnapshot();
    const { db, calls } = foreignKeyFailingD1();
    const res = await callWith({ DB: db }, "/products/1/related", adminInit(jsonInit("PUT", [2, 3])));
    expect(res.headers.get("Retry-After")).toBe("1");
    await expectError(res, 503, "UNAVAILABLE", "The related list could not be saved; nothing was changed. Retry shortly.");
    expect(calls.batches).toBe(3);
    expect(await catalogSnapshot()).toEqual(before);
  });
});
