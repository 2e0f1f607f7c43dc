// `npm run serve`: the bundled Worker on Miniflare directly (scripts/lib/miniflare-server.ts), with
// wrangler.toml's bindings and `npm start`'s state and seeding, but neither wrangler's local proxy nor its
// DevTools inspector: for measuring. Or, with --world production, the production world (world/).
import { decimalFlag, integerFlag, parseCli, runMain } from "./lib/cli";
import { ensureDevVars, ensureLocalCatalog, exitIfPortBusy } from "./lib/local-d1";
import { startMiniflare } from "./lib/miniflare-server";

const USAGE = `Usage: npm run serve -- [options]

Serves the Worker on 127.0.0.1 like \`npm start\` (migrations applied and the sample catalog seeded into an
empty state first; the same state directory), but on Miniflare directly: no wrangler proxy in front (3x the
throughput of \`npm start\` on /health) and no DevTools inspector. For measuring; use \`npm start\` to develop.

Options:
  --port P                port to listen on (default 8787)
  --persist-to DIR        local state directory (default: wrangler's .wrangler/state, as npm start)
  --var NAME:VALUE        a Worker var, repeatable (e.g. --var READ_CACHE_MS:0 turns the read cache off)
  --entry FILE            serve this already-bundled Worker as is (what \`wrangler deploy --dry-run --outdir\`
                          wrote) instead of bundling src/
  --world production      production's rules (world/README.md): locations iad, fra and syd, each its own
                          isolate, picked per request by the X-World-Location header (default iad); D1 read
                          replicas that lag; KV's per-location copies and write limit; the order serializer
                          in iad; each location's round trips from world/locations.json.
                          GET /__world/stats counts KV and D1 traffic per location.
  --propagation-ms N      (world) how long a location keeps a KV copy (default 60000)
  --replica-lag-ms N      (world) how far the replicas trail the primary (default 500)
  --rtt on|off            (world) pay the round trips (default on); off counts them and skips the waits
  -h, --help              show this help
`;

const { values, fail } = parseCli("serve", USAGE, {
  port: { type: "string" },
  "persist-to": { type: "string" },
  var: { type: "string", multiple: true },
  entry: { type: "string" },
  world: { type: "string" },
  "propagation-ms": { type: "string" },
  "replica-lag-ms": { type: "string" },
  rtt: { type: "string" },
});
const port = integerFlag("--port", values.port, { fallback: 8787, min: 1, max: 65535 }, fail);
const vars = Object.fromEntries((values.var ?? []).map((pair) => {
  const at = pair.indexOf(":");
  if (at < 1) fail(`--var wants NAME:VALUE, got ${pair}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}));
if (values.world !== undefined && values.world !== "production") fail(`--world takes "production", got "${values.world}"`);
const worldOnly = ["propagation-ms", "replica-lag-ms", "rtt"] as const;
if (!values.world && worldOnly.some((f) => values[f] !== undefined)) fail("--propagation-ms, --replica-lag-ms and --rtt need --world production");
if (values.world && values.entry) fail("--entry serves a plain bundle; the world bundles its own");
if (values.rtt !== undefined && values.rtt !== "on" && values.rtt !== "off") fail(`--rtt takes on or off, got "${values.rtt}"`);
const world = values.world ? {
  propagationMs: decimalFlag("--propagation-ms", values["propagation-ms"], { fallback: 60_000, min: 0, max: 86_400_000 }, fail),
  replicaLagMs: decimalFlag("--replica-lag-ms", values["replica-lag-ms"], { fallback: 500, min: 0, max: 3_600_000 }, fail),
  rtt: values.rtt !== "off",
} : undefined;

await exitIfPortBusy("serve", "127.0.0.1", port, "npm run serve");

await runMain("serve", async () => {
  // Offline machines: no download of a real request.cf object, no metrics (as scripts/lib/local-d1.ts).
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  process.env.WRANGLER_SEND_METRICS ??= "false";
  if (ensureDevVars()) console.error("Created .dev.vars from .dev.vars.example (local development secrets)");
  await ensureLocalCatalog({ persistTo: values["persist-to"] });
  const mf = await startMiniflare({ port, persistTo: values["persist-to"], vars, entry: values.entry, world });
  await mf.ready;
  const what = world ? `the production world (locations iad, fra, syd; round trips ${world.rtt ? "paid" : "off"})` : "Miniflare, no proxy, no inspector";
  console.error(`serve: http://127.0.0.1:${port} (${what}; Ctrl-C stops it)`);
  await new Promise<void>((done) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => done());
  });
  await mf.dispose();
});
