import { DurableObject } from "cloudflare:workers";
import { createApp } from "../src/app";
import { OrderSerializer as Serializer } from "../src/durable-objects/order-serializer";
import { type D1Central, type D1Counts, type D1Op, D1World, type LogEntry, type SessionState } from "./d1-world";
import { type KvGate, KvWriteGate } from "./kv-world";
import { WorldLocation } from "./location";
import { locationRules, roundTrip, type WorldRules } from "./rules";

// `npm run serve -- --world production` (scripts/serve.ts): one bundle, run by several Workers in one
// Miniflare, each in its own isolate:
// - "router" takes every HTTP request, reads X-World-Location, pays that location's client_to_edge and
//   hands the request to the location's Worker; it also answers GET /__world/stats;
// - one Worker per location runs the API (src/) on that location's bindings; iad's also hosts the order
//   serializer, which the others reach a round trip away;
// - "central" hosts the one object that holds what the locations share: the D1 world (primary, lagging
//   replica) and KV's write gate. A Durable Object, not a stateless Worker: a request that waits for the
//   primary's or the replica's turn must not hang on a promise another, cancelled request owned.

interface WorldEnv extends Env {
  WORLD_ROLE: "router" | "central" | "location";
  WORLD_LOCATION: string;
  WORLD_RULES: WorldRules;
  /** The shared state: central's one WorldCentral object. */
  WORLD_CENTRAL: DurableObjectNamespace<WorldCentral>;
  /** When this serve started: the central object's journal from an earlier run is dropped. */
  WORLD_BOOT: string;
  WORLD_KV: KVNamespace;
  WORLD_REPLICA: D1Database;
  [location: `LOCATION_${string}`]: Fetcher;
}

const LOCATION_HEADER = "X-World-Location";

// ---- central --------------------------------------------------------------------------------------------

const ENTRY = "log:";
const BOOT = "boot";
const APPLIED = "applied";

export class WorldCentral extends DurableObject<WorldEnv> {
  private readonly world: D1World;
  private readonly kvGate: KvWriteGate;

  constructor(ctx: DurableObjectState, env: WorldEnv) {
    super(ctx, env);
    const storage = ctx.storage;
    // Every committed batch is kept until the replica has replayed it: an evicted object resumes.
    this.world = new D1World(env.DB, env.WORLD_REPLICA, env.WORLD_RULES.replicaLagMs, {
      append: (entry) => storage.put(`${ENTRY}${String(entry.seq).padStart(12, "0")}`, entry),
      replayed: async (entry) => { await storage.delete(`${ENTRY}${String(entry.seq).padStart(12, "0")}`); await storage.put(APPLIED, entry.seq); },
    });
    this.kvGate = new KvWriteGate(env.WORLD_RULES.kvWriteGapMs);
    void ctx.blockConcurrencyWhile(async () => {
      // A new serve copied the primary to the replica afresh: an older run's journal means nothing now.
      if ((await storage.get<string>(BOOT)) !== env.WORLD_BOOT) {
        await storage.deleteAll();
        await storage.put(BOOT, env.WORLD_BOOT);
        return;
      }
      const pending = [...(await storage.list<LogEntry>({ prefix: ENTRY })).values()];
      this.world.resume((await storage.get<number>(APPLIED)) ?? 0, pending);
    });
  }

  d1(location: string, session: SessionState, op: D1Op) {
    return this.world.d1(location, session, op);
  }

  admitWrite(key: string): Promise<boolean> {
    return this.kvGate.admitWrite(key);
  }

  d1Counts(locations: string[]): Record<string, D1Counts> {
    return Object.fromEntries(locations.map((l) => [l, this.world.countsFor(l)]));
  }
}

/** Central, reached afresh in each request (a stub belongs to the request that made it). */
function central(env: WorldEnv): D1Central & KvGate & { d1Counts(locations: string[]): Promise<Record<string, D1Counts>> } {
  const stub = () => env.WORLD_CENTRAL.get(env.WORLD_CENTRAL.idFromName("world"));
  return {
    d1: (location, session, op) => stub().d1(location, session, op) as ReturnType<D1Central["d1"]>,
    admitWrite: (key) => stub().admitWrite(key),
    d1Counts: (locations) => stub().d1Counts(locations) as Promise<Record<string, D1Counts>>,
  };
}

// ---- a location -----------------------------------------------------------------------------------------

let place: WorldLocation | null = null;
const app = createApp();

function here(env: WorldEnv): WorldLocation {
  const shared = central(env);
  return (place ??= new WorldLocation(env.WORLD_RULES, env.WORLD_LOCATION, { d1: shared, kvGate: shared, kvStore: env.WORLD_KV }));
}

/** The serializer, on the bindings of the location it lives in (iad's Worker is the only one that runs it). */
export class OrderSerializer extends Serializer {
  constructor(ctx: DurableObjectState, env: WorldEnv) {
    super(ctx, here(env).env(env));
  }
}

async function atLocation(request: Request, env: WorldEnv, ctx: ExecutionContext): Promise<Response> {
  const location = here(env);
  if (new URL(request.url).pathname === "/__world/local") return Response.json(location.kv.counts);
  return app.fetch(location.request(request), location.env(env), ctx);
}

// ---- router ---------------------------------------------------------------------------------------------

function locationWorker(env: WorldEnv, name: string): Fetcher {
  const worker = env[`LOCATION_${name}`];
  if (!worker) throw new Error(`no Worker for location ${name}`);
  return worker;
}

const worldError = (status: number, message: string) =>
  Response.json({ error: "VALIDATION_ERROR", message, request_id: crypto.randomUUID() }, { status });

async function route(request: Request, env: WorldEnv): Promise<Response> {
  const rules = env.WORLD_RULES;
  const names = rules.locations.map((l) => l.name);
  if (new URL(request.url).pathname === "/__world/stats") {
    const kv = await Promise.all(names.map(async (n) => [n, await (await locationWorker(env, n).fetch("https://world/__world/local")).json()] as const));
    const d1 = await central(env).d1Counts(names);
    const locations = Object.fromEntries(kv.map(([n, counts]) => [n, { ...(counts as object), ...d1[n] }]));
    return Response.json({ locations, rules: { propagation_ms: rules.propagationMs, replica_lag_ms: rules.replicaLagMs, rtt: rules.rtt } });
  }
  const name = request.headers.get(LOCATION_HEADER) ?? names[0]!;
  if (!names.includes(name)) return worldError(400, `${LOCATION_HEADER} must be one of ${names.join(", ")}`);
  await roundTrip(rules, locationRules(rules, name).client_to_edge / 2);
  try {
    return await locationWorker(env, name).fetch(request);
  } finally {
    await roundTrip(rules, locationRules(rules, name).client_to_edge / 2);
  }
}

export default {
  fetch(request: Request, env: WorldEnv, ctx: ExecutionContext): Promise<Response> {
    return env.WORLD_ROLE === "router" ? route(request, env) : atLocation(request, env, ctx);
  },
} satisfies ExportedHandler<WorldEnv>;
