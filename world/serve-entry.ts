import { WorkerEntrypoint } from "cloudflare:workers";
import { createApp } from "../src/app";
import { OrderSerializer as Serializer } from "../src/durable-objects/order-serializer";
import { type D1Counts, type D1Op, D1World, type SessionState } from "./d1-world";
import { KvWriteGate } from "./kv-world";
import { WorldLocation } from "./location";
import { locationRules, roundTrip, type WorldRules } from "./rules";

// `npm run serve -- --world production` (scripts/serve.ts): one bundle, run by several Workers in one
// Miniflare, each in its own isolate:
// - "router" takes every HTTP request, reads X-World-Location, pays that location's client_to_edge and
//   hands the request to the location's Worker; it also answers GET /__world/stats;
// - one Worker per location runs the API (src/) on that location's bindings; iad's also hosts the order
//   serializer, which the others reach a round trip away;
// - "central" holds what the locations share: the D1 world (primary, lagging replica) and KV's write gate.

interface WorldEnv extends Env {
  WORLD_ROLE: "router" | "central" | "location";
  WORLD_LOCATION: string;
  WORLD_RULES: WorldRules;
  /** The shared state (on locations, a service binding to central's WorldCentral entrypoint). */
  WORLD: Service<WorldCentral>;
  WORLD_KV: KVNamespace;
  WORLD_REPLICA: D1Database;
  [location: `LOCATION_${string}`]: Fetcher;
}

const LOCATION_HEADER = "X-World-Location";

// ---- central --------------------------------------------------------------------------------------------

let d1World: D1World | null = null;
let kvGate: KvWriteGate | null = null;

export class WorldCentral extends WorkerEntrypoint<WorldEnv> {
  private get d1World(): D1World {
    return (d1World ??= new D1World(this.env.DB, this.env.WORLD_REPLICA, this.env.WORLD_RULES.replicaLagMs));
  }

  d1(location: string, session: SessionState, op: D1Op) {
    return this.d1World.d1(location, session, op);
  }

  admitWrite(key: string): Promise<boolean> {
    return (kvGate ??= new KvWriteGate(this.env.WORLD_RULES.kvWriteGapMs)).admitWrite(key);
  }

  d1Counts(locations: string[]): Record<string, D1Counts> {
    return Object.fromEntries(locations.map((l) => [l, this.d1World.countsFor(l)]));
  }
}

// ---- a location -----------------------------------------------------------------------------------------

let place: WorldLocation | null = null;
const app = createApp();

function here(env: WorldEnv): WorldLocation {
  return (place ??= new WorldLocation(env.WORLD_RULES, env.WORLD_LOCATION, {
    d1: env.WORLD, kvGate: env.WORLD, kvStore: env.WORLD_KV,
  }));
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
    const d1 = await env.WORLD.d1Counts(names);
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
