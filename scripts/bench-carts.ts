// `npm run bench -- carts [--seconds S --warmup S --callers N --rtt MS --hold-seconds S --port P]`: a mixed
// run of orders, holds, releases, expiries, checkouts, cancels and restocks against the order serializer
// with its D1 a simulated round trip away (scripts/lib/bench-carts.ts). Writes
// bench-results/bench-carts-<stamp>.{json,md} and docs/bench-carts.md; exits 1 if a check fails.
import { resolve } from "node:path";
import { cartMarkdown, cartVerdicts, MIN_RATIO, runCartBench, writeCartReport } from "./lib/bench-carts";
import { killAllServers } from "./lib/bench-server";
import { integerFlag, parseCli } from "./lib/cli";
import { ROOT } from "./lib/local-d1";

const USAGE = `Usage: npm run bench -- carts [--seconds S] [--warmup S] [--callers N] [--rtt MS] [--hold-seconds S] [--port P]

Carts beside orders: serves the bench entry (scripts/bench-worker/) on wrangler dev with the order
serializer's D1 a simulated round trip away, then runs, inside the Worker over RPC, the same number of
closed-loop callers for orders, holds, releases and checkouts, with preparers filling carts (every fifth
abandoned, to expire), a canceller and a restocker. Every 0.5 s it checks in one D1 snapshot that
on hand = available + held >= 0 and sold + on hand = starting stock + restocks; after the run it sends
nothing and waits for the alarm to give every held unit back. Passes when those hold and hold and
checkout throughput are at least ${MIN_RATIO}x the order throughput. Writes bench-results/bench-carts-<stamp>.{json,md}
and docs/bench-carts.md; exits 1 if a check fails.

  --seconds S       seconds measured (default 20)
  --warmup S        seconds of warm-up before them (default 3)
  --callers N       closed-loop callers per kind (default 16; the preparers are 6 times that)
  --rtt MS          simulated serializer-to-D1 round trip (default 20)
  --hold-seconds S  CART_HOLD_MINUTES for the run, in seconds (default 10, so carts expire during it)
  --port P          first port to try for wrangler dev (default 8795)
  --help            this text
`;

const { values, fail } = parseCli("bench carts", USAGE, {
  seconds: { type: "string" }, warmup: { type: "string" }, callers: { type: "string" }, rtt: { type: "string" },
  "hold-seconds": { type: "string" }, port: { type: "string" },
});
const settings = {
  seconds: integerFlag("--seconds", values.seconds, { fallback: 20, min: 1, max: 600 }, fail),
  warmup: integerFlag("--warmup", values.warmup, { fallback: 3, min: 0, max: 60 }, fail),
  callers: integerFlag("--callers", values.callers, { fallback: 16, min: 1, max: 100 }, fail),
  rttMs: integerFlag("--rtt", values.rtt, { fallback: 20, min: 0, max: 500 }, fail),
  holdSeconds: integerFlag("--hold-seconds", values["hold-seconds"], { fallback: 10, min: 3, max: 3600 }, fail),
  port: integerFlag("--port", values.port, { fallback: 8795, min: 1024, max: 65535 }, fail),
};

process.on("exit", killAllServers);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => { killAllServers(); process.exit(130); });

const args = process.argv.slice(2);
runCartBench({
  ...settings, stateDir: resolve(ROOT, ".tmp/bench-carts-state"), command: `npm run bench -- carts${args.length ? ` ${args.join(" ")}` : ""}`,
}).then((report) => {
  process.stdout.write(`\n${cartMarkdown(report)}\n`);
  for (const f of writeCartReport(report)) process.stdout.write(`Wrote ${f}\n`);
  process.exit(cartVerdicts(report).every((v) => v.passed) ? 0 : 1);
}, (e: unknown) => {
  process.stderr.write(`bench carts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
