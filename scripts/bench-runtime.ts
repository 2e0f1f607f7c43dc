// `npm run bench -- runtime`: what the local runtime costs before our code does anything, and what the
// production world adds; written to docs/results.md. See USAGE.
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { hammer, serve, stateDir } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { freePort, wranglerDev } from "./lib/serve-child";
import { ensureLocalCatalog } from "./lib/local-d1";
import { provenance, writeSection } from "./lib/results-page";

const USAGE = `Usage: npm run bench -- runtime [options]

Four servers on the same workerd, one after another, each loaded by autocannon (--connections,
--seconds per target after a 2 s warm-up, --rounds times in alternation, the median kept):
  hello     a hello-world Worker on Miniflare (what the runtime alone costs)
  wrangler  \`wrangler dev\` (what \`npm start\` runs), /health only: what its local proxy costs
  serve     \`npm run serve\`: the API's bundle on Miniflare (its /health against hello must be ≥ 0.6x)
  world     \`npm run serve -- --world production --rtt off\`: the same bundle behind the world's router, its
            location Worker and central object, round trips counted but not slept (its cost against serve)
Targets: GET /health on all four; GET /products/1 and /products/1/styles (read cache off, so every
read reaches D1) on serve and world. Writes the "Runtime" section of docs/results.md.

Options:
  --connections N  (default 8)
  --seconds N      per target and round (default 8)
  --rounds N       (default 3)
  --state-dir D    the sample catalog's state (default .tmp/bench/runtime; made if missing)
  -h, --help
`;

const { values, fail } = parseCli("bench runtime", USAGE, {
  connections: { type: "string" }, seconds: { type: "string" }, rounds: { type: "string" }, "state-dir": { type: "string" },
});
const CONNECTIONS = integerFlag("--connections", values.connections, { fallback: 8, min: 1, max: 1000 }, fail);
const SECONDS = integerFlag("--seconds", values.seconds, { fallback: 8, min: 1, max: 600 }, fail);
const ROUNDS = integerFlag("--rounds", values.rounds, { fallback: 3, min: 1, max: 20 }, fail);
const STATE = stateDir("runtime", values["state-dir"], fail);

async function rps(origin: string, path: string, seconds: number, pgid: number): Promise<number> {
  const result = await hammer(origin, [{ method: "GET", path }], CONNECTIONS, seconds, pgid);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${origin}${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.rps;
}

async function measure(origin: string, path: string, pgid = process.pid): Promise<number> {
  await rps(origin, path, 2, pgid);
  return rps(origin, path, SECONDS, pgid);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await runMain("bench runtime", async () => {
  await ensureLocalCatalog({ persistTo: STATE, out: join(STATE, "seed") });
  const runs: Record<string, number[]> = {};
  const note = (key: string, value: number) => (runs[key] ??= []).push(value);
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`round ${round} of ${ROUNDS}\n`);
    const helloPort = await freePort();
    const hello = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('ok'); } }", host: "127.0.0.1", port: helloPort });
    await hello.ready;
    note("hello /health", await measure(`http://127.0.0.1:${helloPort}`, "/"));
    await hello.dispose();
    const dev = await wranglerDev(STATE, ["READ_CACHE_MS:0"]);
    try {
      note("wrangler /health", await measure(dev.origin, "/health", dev.pid));
    } finally {
      await dev.stop();
    }
    for (const [name, flags] of [["serve", []], ["world", ["--world", "production", "--rtt", "off"]]] as const) {
      const server = await serve(STATE, ["READ_CACHE_MS:0"], [...flags]);
      try {
        for (const path of ["/health", "/products/1", "/products/1/styles"]) note(`${name} ${path}`, await measure(server.origin, path, server.pid));
      } finally {
        await server.stop();
      }
    }
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, median(xs)]));
  const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
  const row = (label: string, key: string, against: string | null) =>
    `| ${label} | ${fmt(m[key]!)} | ${runs[key]!.map(fmt).join(" / ")} | ${against ? `${(m[key]! / m[against]!).toFixed(2)}× ${against}` : ""} |`;
  writeSection("runtime", "Runtime: the local runtime, serve and the world", `${provenance(`npm run bench -- runtime --connections ${CONNECTIONS} --seconds ${SECONDS} --rounds ${ROUNDS}`)}

Requests per second (autocannon, ${CONNECTIONS} connections, ${SECONDS} s per target after a 2 s warm-up, the median of
${ROUNDS} alternating rounds); the read cache off (\`READ_CACHE_MS=0\`), so every catalog read reaches D1.

| target | req/s (median) | rounds | ratio |
|---|---:|---|---|
${row("hello world on Miniflare, /health", "hello /health", null)}
${row("`wrangler dev` (`npm start`), /health", "wrangler /health", "serve /health")}
${row("`npm run serve`, /health", "serve /health", "hello /health")}
${row("`npm run serve`, product", "serve /products/1", "serve /health")}
${row("`npm run serve`, styles", "serve /products/1/styles", "serve /health")}
${row("world (`--rtt off`), /health", "world /health", "serve /health")}
${row("world (`--rtt off`), product", "world /products/1", "serve /products/1")}
${row("world (`--rtt off`), styles", "world /products/1/styles", "serve /products/1/styles")}
`);
  process.stderr.write(`serve /health ${(m["serve /health"]! / m["hello /health"]!).toFixed(2)}× hello; ` +
    `wrangler dev /health ${(m["wrangler /health"]! / m["serve /health"]!).toFixed(2)}× serve\n`);
});
