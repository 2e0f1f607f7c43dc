import { afterEach, describe, expect, it } from "vitest";
import { startWorld, type TestWorld } from "../support/world";

// The world shows production's rules at work (world/locations.json): a world kinder than production would
// let the freshness tests in this folder pass for the wrong reason.

let world: TestWorld;
afterEach(async () => world?.stop());

describe("KV in the production world", () => {
  it("throws on a second write of one key within a second, from any location, and takes it after", async () => {
    world = await startWorld();
    const [iad, syd] = [world.at("iad").kv, world.at("syd").kv];
    await world.settle(iad.put("k", "1"));
    await expect(world.settle(syd.delete("k"))).rejects.toThrow(/429/);
    await world.advance(999);
    await expect(world.settle(iad.put("k", "2"))).rejects.toThrow(/429/);
    await world.advance(1);
    await world.settle(syd.put("k", "3"));
    expect([iad.counts.kv_refused_writes, syd.counts.kv_refused_writes]).toEqual([1, 1]);
  });

  it("keeps a location's copy, a value or an absence, until propagation_ms after it read it, whatever is written elsewhere", async () => {
    world = await startWorld();
    const [iad, syd] = [world.at("iad").kv, world.at("syd").kv];
    expect(await world.settle(iad.get("price"))).toBeNull(); // iad now remembers the absence
    await world.settle(syd.put("price", "99.00"));
    expect(await world.settle(syd.get("price"))).toBe("99.00"); // at once where it was made
    await world.advance(world.rules.propagationMs - 1);
    expect(await world.settle(iad.get("price"))).toBeNull(); // elsewhere: the old copy
    await world.advance(1);
    expect(await world.settle(iad.get("price"))).toBe("99.00");
    expect(iad.counts).toMatchObject({ kv_misses: 2, kv_hits: 1 });
  });
});

describe("D1 with read replicas in the production world", () => {
  const nameOf = (db: D1Database, id: number) => db.prepare("SELECT name FROM products WHERE id = ?").bind(id).first<string>("name");
  const session = (location: string, constraint: string) => world.at(location).d1.withSession(constraint) as unknown as D1Database;

  it("shows each location a replica replica_lag_ms behind the primary", async () => {
    world = await startWorld();
    await world.settle(world.primary.prepare("INSERT INTO products (id, name, category, default_price) VALUES (101, 'Old', 'X', 100)").run());
    await world.advance(world.rules.replicaLagMs);
    await world.settle(world.primary.prepare("UPDATE products SET name = 'New' WHERE id = 101").run());
    expect(await world.settle(nameOf(session("syd", "first-unconstrained"), 101))).toBe("Old");
    await world.advance(world.rules.replicaLagMs - 1);
    expect(await world.settle(nameOf(session("syd", "first-unconstrained"), 101))).toBe("Old");
    await world.advance(1);
    expect(await world.settle(nameOf(session("syd", "first-unconstrained"), 101))).toBe("New");
    expect(world.d1.countsFor("syd")).toMatchObject({ d1_replica_reads: 3, d1_primary_reads: 0 });
  });

  it("follows the Sessions API: first-primary's first query on the primary, later ones on a replica as fresh as the session has seen", async () => {
    world = await startWorld();
    await world.settle(world.primary.prepare("INSERT INTO products (id, name, category, default_price) VALUES (102, 'Old', 'X', 100)").run());
    await world.advance(world.rules.replicaLagMs);
    const reader = session("fra", "first-primary");
    expect(await world.settle(nameOf(reader, 102))).toBe("Old"); // its first query: the primary
    const write = world.at("iad").d1.withSession("first-primary");
    await world.settle(write.prepare("UPDATE products SET name = 'New' WHERE id = 102").run());
    // A later query goes to a replica as fresh as what the session has seen, which predates the write.
    expect(await world.settle(nameOf(reader, 102))).toBe("Old");
    // A bookmark constrains: the replica is behind the write's, so the query goes to the primary.
    expect(await world.settle(nameOf(session("fra", write.getBookmark()!), 102))).toBe("New");
    expect(world.d1.countsFor("fra")).toMatchObject({ d1_primary_reads: 2, d1_replica_reads: 1 });
  });
});

describe("locations in the production world", () => {
  it("give each location its own isolate: an answer cached in iad is not cached in syd", async () => {
    world = await startWorld();
    await world.settle(world.primary.prepare("INSERT INTO products (id, name, category, default_price) VALUES (103, 'Cap', 'Hats', 100)").run());
    await world.advance(world.rules.replicaLagMs);
    expect((await world.fetch("iad", "/products/103")).headers.get("Server-Timing")).toMatch(/^cache;desc=miss/);
    expect((await world.fetch("iad", "/products/103")).headers.get("Server-Timing")).toBe("cache;desc=hit");
    expect((await world.fetch("syd", "/products/103")).headers.get("Server-Timing")).toMatch(/^cache;desc=miss/);
  });
});
