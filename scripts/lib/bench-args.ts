// Flags of `npm run bench`: parsed strictly, so a typo fails in a second instead of after a long run.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { QUIET_THRESHOLD } from "./bench-cpu";
import { TARGETS, type TargetName } from "./bench-targets";
import { integerFlag, scratchDir, type Fail } from "./cli";
import type { Runtime } from "./dev-worker";
import { ROOT } from "./local-d1";

export interface BenchOptions {
  duration: number;
  warmup: number;
  connections: number;
  port: number;
  /** An explicit --port must be free; the default may move up to the next free port. */
  portExplicit: boolean;
  only: Set<TargetName> | null;
  stateDir: string;
  quietWait: number;
  /** `NAME:VALUE` pairs passed to every server as `--var` (after the phase's own). */
  vars: string[];
  /** A persisted catalog (e.g. /work/data/state-1m from `npm run import`) copied into stateDir instead of the seed. */
  fromState: string | null;
  /** --no-inspector: serve with scripts/serve.ts (no DevTools inspector) instead of `wrangler dev`. */
  runtime: Runtime;
}

const DEFAULTS = { duration: 10, warmup: 2, connections: 16, port: 8788, stateDir: ".tmp/bench-state", quietWait: 30 } as const;

export const USAGE = `Usage: npm run bench -- [options]

Benchmarks the storefront API under \`wrangler dev\` on 127.0.0.1 with autocannon, in an isolated
local state (never .wrangler/state): seeds the default sample catalog (3000 products, seed 42, via ensureLocalCatalog), sets every
sku's stock to 1,000,000, bundles src/ once (as \`wrangler deploy\` would; edits made during the run
are not picked up), then measures each target for a fixed time after a warm-up.
Two servers run one after the other: one as configured (KV cache on) and one with
--var READ_CACHE_MS:0 (every catalog read from D1). Each ratio compares a target with the
/health measured on the same server, in the same run.

Options:
  --duration S       seconds measured per target (default ${DEFAULTS.duration}, 1..600)
  --warmup S         seconds of discarded load before each target (default ${DEFAULTS.warmup}, 0..60)
  --connections N    concurrent connections, also for orders (default ${DEFAULTS.connections}, 1..512)
  --port P           port for wrangler dev (default ${DEFAULTS.port}; if busy, the next free one)
  --only LIST        comma-separated subset of targets; the /health baseline of each server
                     used is always added. docs/bench-latest.md is written only by a full run.
  --quiet-wait S     before each target, wait up to S s for other processes to use under
                     ${QUIET_THRESHOLD}% of a core (default ${DEFAULTS.quietWait}; 0 = don't wait). The load generator and
                     workerd already share the cores; someone else's build or load test skews a row.
  --state-dir DIR    persist dir under .tmp/, wiped at start (default ${DEFAULTS.stateDir})
  --var NAME:VALUE   a Worker var for both servers, repeatable; e.g. --var SLOW_REQUEST_MS:0
                     logs every request, to see what per-request logging costs
  --from-state DIR   serve a copy of this persisted state (e.g. a 1M catalog imported with
                     \`npm run import -- … --persist-to DIR\`) instead of seeding; DIR is never
                     modified and stock is left as it is. For the long tail over a big catalog:
                     --from-state DIR --only styles-cached,styles-random,styles-random-uncached
  --no-inspector     serve with \`npm run serve\` (scripts/serve.ts: the same workerd, local D1, KV and
                     Durable Object, without wrangler dev's DevTools inspector, which logs every D1
                     call in wrangler's Node process: ~4 ms of CPU per call here). Closer to what a
                     deployed D1 read costs; a partial run, so docs/bench-latest.md is left alone
  -h, --help         show this help

Targets (server: cache-on | cache-off):
${Object.entries(TARGETS).map(([name, t]) => `  ${name.padEnd(17)}  ${t.server.padEnd(9)}  ${t.label}`).join("\n")}

A full run (no --only, no --var) then measures orders at flash-sale scale in its own state
(<state-dir>-orders; \`npm run bench:orders\` runs only that part): group size 1 vs grouped, local vs a
simulated 20 ms serializer-to-D1 round trip, 16/64/256 buyers, a one-sku flash sale and an overload.

Results: a table on stdout, bench-results/bench-<timestamp>.{json,md}, and docs/bench-latest.md
(orders: bench-results/bench-orders-<timestamp>.{json,md} and docs/bench-orders.md).
`;

/** Thrown, not exited on: bench.ts prints its own hint after the message. */
export class UsageError extends Error {}

const fail: Fail = (message) => {
  throw new UsageError(message);
};

function targetList(raw: string | undefined): Set<TargetName> | null {
  if (raw === undefined) return null;
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (names.length === 0) throw new UsageError("--only needs at least one target");
  const unknown = names.filter((n) => !(n in TARGETS));
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown target ${unknown.join(", ")} (known: ${Object.keys(TARGETS).join(", ")})`);
  }
  const chosen = new Set(names as TargetName[]);
  // A ratio needs the baseline of the same server run, so each server phase used brings its /health.
  for (const name of [...chosen]) chosen.add(TARGETS[name].server === "cache-on" ? "health" : "health-nocache");
  return chosen;
}

// READ_CACHE_MS is what tells the two servers apart, so a run can't override it.
function workerVars(raw: string[]): string[] {
  for (const v of raw) {
    const name = /^([A-Z][A-Z0-9_]*):/.exec(v)?.[1];
    if (!name) throw new UsageError(`--var must be NAME:VALUE with an upper-case NAME, got "${v}"`);
    if (name === "READ_CACHE_MS") throw new UsageError("--var READ_CACHE_MS: the bench sets it per server");
  }
  return raw;
}

/** Returns null when --help was asked for. */
export function parseBenchArgs(argv: string[]): BenchOptions | null {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        duration: { type: "string" }, warmup: { type: "string" }, connections: { type: "string" },
        port: { type: "string" }, only: { type: "string" }, "state-dir": { type: "string" }, "quiet-wait": { type: "string" },
        var: { type: "string", multiple: true }, "from-state": { type: "string" }, "no-inspector": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return null;
  // Wiped at start, so a scratch dir: never the project, .wrangler/state or a parent.
  const stateDir = scratchDir("--state-dir", values["state-dir"] ?? DEFAULTS.stateDir, fail);
  return {
    duration: integerFlag("--duration", values.duration, { fallback: DEFAULTS.duration, min: 1, max: 600 }, fail),
    warmup: integerFlag("--warmup", values.warmup, { fallback: DEFAULTS.warmup, min: 0, max: 60 }, fail),
    connections: integerFlag("--connections", values.connections, { fallback: DEFAULTS.connections, min: 1, max: 512 }, fail),
    port: integerFlag("--port", values.port, { fallback: DEFAULTS.port, min: 1024, max: 65535 }, fail),
    portExplicit: values.port !== undefined,
    only: targetList(values.only),
    quietWait: integerFlag("--quiet-wait", values["quiet-wait"], { fallback: DEFAULTS.quietWait, min: 0, max: 600 }, fail),
    stateDir,
    vars: workerVars(values.var ?? []),
    fromState: values["from-state"] === undefined ? null : resolve(ROOT, values["from-state"]),
    runtime: values["no-inspector"] ? "serve" : "wrangler-dev",
  };
}
