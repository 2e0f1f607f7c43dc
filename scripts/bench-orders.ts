// `npm run bench:orders [-- --duration S --warmup S --port P]`: only the orders part of `npm run bench`
// (scripts/lib/bench-orders.ts): group size 1 vs grouped, local vs a simulated 20 ms serializer↔D1
// round trip, at 16/64/256 buyers; the one-sku flash sale; an overload run. Writes
// bench-results/bench-orders-<stamp>.{json,md} and docs/bench-orders.md.
import { resolve } from "node:path";
import { killAllServers } from "./lib/bench-server";
import { integerFlag, parseCli } from "./lib/cli";
import { orderMarkdown, orderVerdicts, runOrderBench, writeOrderReport } from "./lib/bench-orders";
import { ROOT } from "./lib/local-d1";

const USAGE = `Usage: npm run bench:orders -- [--duration S] [--warmup S] [--port P]

Orders only: group size 1 vs grouped, local vs a simulated 20 ms serializer-to-D1 round trip (a
bench-only Worker entry, scripts/bench-worker/), at 16, 64 and 256 concurrent buyers; the one-sku flash
sale (500 buyers, 10 units); an overload run. Counts only 201s as orders. Writes
bench-results/bench-orders-<stamp>.{json,md} and docs/bench-orders.md; exits 1 if a check fails.

  --duration S   seconds per measured run (default 8)
  --warmup S     seconds of warm-up before each (default 2)
  --port P       first port to try for wrangler dev (default 8790)
  --help         this text
`;

const { values, fail } = parseCli("bench:orders", USAGE, { duration: { type: "string" }, warmup: { type: "string" }, port: { type: "string" } });
// The ranges of the same flags of `npm run bench`, whose orders part this is.
const settings = {
  port: integerFlag("--port", values.port, { fallback: 8790, min: 1024, max: 65535 }, fail),
  duration: integerFlag("--duration", values.duration, { fallback: 8, min: 1, max: 600 }, fail),
  warmup: integerFlag("--warmup", values.warmup, { fallback: 2, min: 0, max: 60 }, fail),
};

process.on("exit", killAllServers);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => { killAllServers(); process.exit(130); });

const args = process.argv.slice(2);
runOrderBench({
  ...settings,
  stateDir: resolve(ROOT, ".tmp/bench-orders-state"), command: `npm run bench:orders${args.length ? ` -- ${args.join(" ")}` : ""}`,
}).then((report) => {
  process.stdout.write(`\n${orderMarkdown(report)}\n`);
  for (const f of writeOrderReport(report, true)) process.stdout.write(`Wrote ${f}\n`);
  process.exit(orderVerdicts(report).every((v) => v.passed) ? 0 : 1);
}, (e: unknown) => {
  process.stderr.write(`bench:orders: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
