import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type Ids, type Req, resolvePath, roundTrips, SCENARIOS } from "./scenarios";
import { seedCatalog } from "../support/fixtures";
import { meteredD1, meteredSerializer } from "../support/metered";
import { adminInit, callWith } from "../support/request";
import { viewSerializerEnv } from "../support/world-entry";

// What each kind of request waits for, pinned (issue 22): its sequential round trips (the Worker's D1
// calls, its calls to the order serializer, and the serializer's D1 calls) exactly, and the D1 rows it
// reads at most. An unindexed query, a bigger scan or an extra round trip fails here. The catalog has 300
// more products than the fixtures, so a scan shows. With LEDGER=1 (npm run bench -- ledger) each
// request's figures are printed as one `LEDGER {...}` line for the ledger to price.

const FILLERS = 300;
const FIRST_FILLER = 1001;

beforeAll(async () => {
  await seedCatalog();
  await env.DB.prepare("INSERT INTO skus (id, style_id, size, quantity) VALUES (800, 1, 'XL', 1000000)").run();
  const values = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(FIRST_FILLER + i)).join(", ");
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO products (id, name, slogan, description, category, default_price) VALUES ${values(FILLERS, (id) => `(${id}, 'Filler Jacket ${id}', 'A filler', 'For the ledger', 'Filler', ${1000 + id})`)}`),
    env.DB.prepare(`INSERT INTO styles (id, product_id, name, original_price, is_default) VALUES ${values(FILLERS, (id) => `(${id}, ${id}, 'Plain', ${1000 + id}, 1)`)}`),
    env.DB.prepare(`INSERT INTO skus (style_id, size, quantity) VALUES ${values(FILLERS, (id) => `(${id}, 'M', 5)`)}`),
    env.DB.prepare(`INSERT INTO features (product_id, feature, value) VALUES ${values(FILLERS, (id) => `(${id}, 'Fabric', 'Wool')`)}`),
  ]);
});

const ids: Ids = {
  product: 1, style: 2, sku: 800, emptySku: 40,
  unreadProduct: (i) => FIRST_FILLER + (i % FILLERS),
  category: "Filler", word: "filler", prefix: "fil", after: FIRST_FILLER + 10,
};

const RUN = "pin";
const placed = new Map<string, string>();
let created: number | string | null = null;

/** A request as the scenarios describe it, through the real Worker with `overrides`. */
async function send(req: Req, overrides: Partial<Env>): Promise<Response> {
  const headers = { ...(req.body === undefined ? {} : { "Content-Type": "application/json" }), ...req.headers };
  const init: RequestInit = { method: req.method, headers, ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }) };
  return callWith(overrides, resolvePath(req.path, placed, created), req.admin ? adminInit(init) : init);
}

/** Remembers what a setup request made, for the measured request's placeholders. */
async function remember(req: Req, res: Response): Promise<void> {
  if (res.status >= 300) throw new Error(`setup ${req.method} ${req.path} answered ${res.status}`);
  const text = await res.text();
  const body = text ? (JSON.parse(text) as { id?: number | string; style_id?: number }) : {};
  if (req.path === "/orders") placed.set(req.headers!["Idempotency-Key"]!, String(body.id));
  else created = body.style_id ?? body.id ?? null;
}

describe("what each request waits for and reads", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: ${roundTrips(scenario.pin)} round trips, at most ${scenario.pin.maxRowsRead} rows read`, async () => {
      // Reads keep answers in the read cache (a hit needs it); writes need not wait for it to age.
      const readCache = { READ_CACHE_MS: scenario.kind === "admin" ? "0" : "1000" };
      for (const req of scenario.setup?.(ids, 0, RUN) ?? []) await remember(req, await send(req, readCache));

      const worker = meteredD1();
      const object = meteredD1();
      const stub = meteredSerializer();
      viewSerializerEnv((base) => ({ ...base, DB: object.db }));
      let res: Response;
      try {
        res = await send(scenario.request(ids, 0, RUN), { ...readCache, DB: worker.db, ORDER_SERIALIZER: stub.ns });
      } finally {
        viewSerializerEnv(null);
      }
      const measured = {
        status: res.status, workerD1: worker.calls.length, objectCalls: stub.calls.length, objectD1: object.calls.length,
        rowsRead: [...worker.calls, ...object.calls].reduce((n, c) => n + c.rowsRead, 0),
        rowsWritten: [...worker.calls, ...object.calls].reduce((n, c) => n + c.rowsWritten, 0),
      };
      if (inject("ledger")) console.log(`LEDGER ${JSON.stringify({ name: scenario.name, kind: scenario.kind, ...measured })}`);
      expect({ status: measured.status, workerD1: measured.workerD1, objectCalls: measured.objectCalls, objectD1: measured.objectD1 })
        .toEqual({ status: scenario.pin.status, workerD1: scenario.pin.workerD1, objectCalls: scenario.pin.objectCalls, objectD1: scenario.pin.objectD1 });
      expect(measured.rowsRead).toBeLessThanOrEqual(scenario.pin.maxRowsRead);
    });
  }
});
