/// <reference types="vite/types/importMeta.d.ts" />
import { describe, expect, it } from "vitest";
import { SQL_STATEMENTS } from "../../src/db/statements";

// Vite reads the folder when the test is built, so a new `*-queries.ts` module is included too.
const queryModules = import.meta.glob<Record<string, unknown>>("../../src/db/*-queries.ts", { eager: true });

/** Every exported string of every query module (the numbers beside them, like SEARCH_WINDOW, are not SQL). */
const exportedSql = Object.fromEntries(Object.values(queryModules).flatMap((m) =>
  Object.entries(m).filter((entry): entry is [string, string] => typeof entry[1] === "string")));

describe("the list of SQL statements query-plans.test.ts plans", () => {
  it("reads the query modules (so the tests below can fail)", () => {
    expect(Object.keys(queryModules).length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(exportedSql).length).toBeGreaterThanOrEqual(30);
  });

  it("holds every SQL constant a src/db/*-queries.ts module exports, under its own name", () => {
    const missing = Object.keys(exportedSql).filter((name) => SQL_STATEMENTS[name] !== exportedSql[name]);
    expect(missing).toEqual([]);
  });

  it("holds nothing else", () => {
    expect(Object.keys(SQL_STATEMENTS).sort()).toEqual(Object.keys(exportedSql).sort());
  });
});
