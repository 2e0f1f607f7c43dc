// `npm run serve`: the Worker on the same local runtime `wrangler dev` uses (workerd, local D1, KV, the
// Durable Object, wrangler.toml's bindings), without the DevTools inspector. `wrangler dev` always
// attaches one and enables its Network domain, so every D1 call the Worker makes sends four events that
// wrangler's Node process logs to its debug file: ~4 ms of CPU per call on this 2-core machine, far more
// than the call's SQL (docs/decisions/cache-keys.md, "Where a local miss spends its time"). For load tests
// of the read path; day-to-day development (live reload, DevTools) stays on `npm start`.
import { unstable_startWorker } from "wrangler";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { ensureDevVars, ensureLocalCatalog, exitIfPortBusy, ROOT } from "./lib/local-d1";

const USAGE = `Usage: npm run serve -- [options]

Serves the Worker on 127.0.0.1 like \`npm start\` (migrations applied and the sample catalog seeded into an
empty state first), on the same workerd, local D1, KV and Durable Object as \`wrangler dev\`, but without
the DevTools inspector, whose per-D1-call logging is most of what a D1 read costs locally. For measuring
(k6 against a 1M catalog: load/README.md); use \`npm start\` to develop (live reload, DevTools).

Options:
  --port P           port to listen on (default 8787)
  --persist-to DIR   local state directory (default: wrangler's .wrangler/state, as npm start)
  --var NAME:VALUE   a Worker var, repeatable (e.g. --var READ_CACHE_MS:0 turns the read cache off)
  --entry FILE       serve this already-bundled Worker as is (what \`wrangler deploy --dry-run --outdir\`
                     wrote; npm run bench -- --no-inspector uses it) instead of bundling src/
  -h, --help         show this help
`;

const { values, fail } = parseCli("serve", USAGE, {
  port: { type: "string" },
  "persist-to": { type: "string" },
  var: { type: "string", multiple: true },
  entry: { type: "string" },
});
const port = integerFlag("--port", values.port, { fallback: 8787, min: 1, max: 65535 }, fail);
const vars = Object.fromEntries((values.var ?? []).map((pair) => {
  const at = pair.indexOf(":");
  if (at < 1) fail(`--var wants NAME:VALUE, got ${pair}`);
  return [pair.slice(0, at), { type: "plain_text" as const, value: pair.slice(at + 1) }];
}));

await exitIfPortBusy("serve", "127.0.0.1", port, "npm run serve");

await runMain("serve", async () => {
  // Offline machines: no download of a real request.cf object, no metrics (as scripts/lib/local-d1.ts).
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  process.env.WRANGLER_SEND_METRICS ??= "false";
  if (ensureDevVars()) console.error("Created .dev.vars from .dev.vars.example (local development secrets)");
  await ensureLocalCatalog({ persistTo: values["persist-to"] });
  const worker = await unstable_startWorker({
    config: `${ROOT}/wrangler.toml`,
    bindings: vars,
    ...(values.entry ? { entrypoint: values.entry, build: { bundle: false } } : {}),
    dev: {
      inspector: false,
      server: { hostname: "127.0.0.1", port },
      ...(values["persist-to"] ? { persist: values["persist-to"] } : {}),
      logLevel: "warn",
    },
  });
  await worker.ready;
  console.error(`serve: http://127.0.0.1:${port} (no inspector; Ctrl-C stops it)`);
  await new Promise<void>((done) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => done());
  });
  await worker.dispose();
});
