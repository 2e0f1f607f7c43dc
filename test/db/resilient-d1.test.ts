import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { D1Unavailable, resilientDb } from "../../src/db/resilient-d1";
import { faultyD1 } from "../support/faults";
import { adminInit, callWith, jsonInit } from "../support/request";

// Whether a statement may run twice is declared by whoever opens the session, never guessed from the
// SQL text: a write that starts like a read (`WITH … INSERT`) must not be repeated.
const WITH_INSERT = "WITH named AS (SELECT ?1 AS name) INSERT INTO products (name, category, default_price) SELECT name, 'Retry', 100 FROM named";
const countNamed = (name: string) => env.DB.prepare("SELECT count(*) AS n FROM products WHERE name = ?1").bind(name).first<number>("n");

describe("resilientDb retries only what its caller declared safe to repeat", () => {
  it("does not retry a WITH … INSERT by default: one failure is 503 and nothing is written", async () => {
    const { db, left } = faultyD1({ writes: 1 });
    const run = resilientDb(db).prepare(WITH_INSERT).bind("written once?").run();
    await expect(run).rejects.toBeInstanceOf(D1Unavailable);
    expect(left.writes).toBe(0);
    expect(await countNamed("written once?")).toBe(0);
  });

  it("does not retry a SELECT either unless the caller says reads may repeat", async () => {
    const { db } = faultyD1({ reads: 1 });
    const read = resilientDb(db).prepare("SELECT 1 AS one").first<number>("one");
    await expect(read).rejects.toMatchObject({ name: "D1Unavailable", what: "statement" });
  });

  it("retries a statement once when the caller declared its reads safe to repeat", async () => {
    const { db, left } = faultyD1({ reads: 1 });
    expect(await resilientDb(db, { retryReads: true }).prepare("SELECT 1 AS one").first<number>("one")).toBe(1);
    expect(left.reads).toBe(0);
  });

  it("answers 503 without a second attempt when a read inside an admin write fails", async () => {
    const { db, left } = faultyD1({ reads: 1 });
    const res = await callWith({ DB: db }, "/products/1/related", adminInit(jsonInit("PUT", [])));
    expect(res.status).toBe(503);
    expect(left.reads).toBe(0);
  });
});
