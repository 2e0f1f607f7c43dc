// `npm run bench -- reads [options]` (also `npm run bench` with no suite): throughput and latency of the hot routes under `wrangler dev`, each
// compared with /health measured on the same server in the same run. See `npm run bench -- --help`.
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from "./lib/bench-args";
import { codeVersion, machineInfo, textTable, verdicts, writeReport, type Report } from "./lib/bench-report";
import { measure, stopCurrentRun, type Row } from "./lib/bench-run";
import { orderMarkdown, orderVerdicts, runOrderBench, writeOrderReport } from "./lib/bench-orders";
import { buildSnapshot, copyState, findPort, killAllServers, prepareState, startServer } from "./lib/bench-server";
import { TARGETS, type ServerKind, type TargetContext, type TargetName } from "./lib/bench-targets";

let options: BenchOptions | null;
try {
  options = parseBenchArgs(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`bench: ${e.message}\nSee \`npm run bench -- --help\` for the options.\n`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const opts = options;

// The servers run in their own process groups (so workerd dies with wrangler), which also means a
// terminal's Ctrl-C no longer reaches them: every way out of this process takes them down.
process.on("exit", killAllServers);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping wrangler dev\n`);
    stopCurrentRun();
    killAllServers();
    process.exit(130);
  });
}

// Two servers, one after the other (never at once: they would compete for the same 2 cores).
const PHASES: { kind: ServerKind; vars: string[] }[] = [
  { kind: "cache-on", vars: [] },
  { kind: "cache-off", vars: ["READ_CACHE_MS:0"] },
];

async function main(): Promise<number> {
  const selected = (Object.keys(TARGETS) as TargetName[]).filter((n) => !opts.only || opts.only.has(n));
  const started = new Date();
  const port = await findPort(opts.port, opts.portExplicit); // before the slow setup, to fail fast
  const catalog = opts.fromState ? await copyState(opts.fromState, opts.stateDir) : await prepareState(opts.stateDir);
  const code = codeVersion(); // taken right before the bundle, which is what gets measured
  const entry = await buildSnapshot(opts.stateDir);
  const { skuIds } = catalog;
  const missing = new Set(catalog.missingIds);
  const settings = { duration: opts.duration, warmup: opts.warmup, connections: opts.connections, quietWait: opts.quietWait };
  const rows: Row[] = [];
  const failures: Report["failures"] = [];

  for (const phase of PHASES) {
    const names = selected.filter((n) => TARGETS[n].server === phase.kind);
    if (names.length === 0) continue;
    const server = await startServer(phase.kind, entry, port, opts.stateDir, [...phase.vars, ...opts.vars], opts.runtime);
    const ctx: TargetContext = {
      baseUrl: server.baseUrl,
      lastProductId: catalog.lastProductId,
      deepAfter: catalog.deepAfter,
      randomSku: () => skuIds[Math.floor(Math.random() * skuIds.length)]!,
      randomProduct: () => {
        for (;;) {
          const id = 1 + Math.floor(Math.random() * catalog.lastProductId);
          if (!missing.has(id)) return id;
        }
      },
      firstSku: skuIds[0]!,
    };
    try {
      let baseline: number | null = null; // names start with this server's /health (see TARGETS)
      for (const name of names) {
        // One failing target (a check, a crash) is reported and the others still run.
        const row: Row | null = await measure(name, server, ctx, settings, baseline).catch((e: unknown) => {
          failures.push({ target: name, message: e instanceof Error ? e.message : String(e) });
          process.stderr.write(`  ${name}: FAILED: ${failures.at(-1)!.message}\n`);
          return null;
        });
        if (!row) continue;
        if (name === "health" || name === "health-nocache") baseline = row.rps;
        rows.push(row);
        process.stderr.write(`  ${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ` +
          `non-2xx ${row.non2xx}, errors ${row.errors}\n`);
      }
    } finally {
      await server.stop();
    }
  }

  const args = process.argv.slice(2);
  const report: Report = {
    date: started.toISOString(),
    command: `npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`,
    machine: machineInfo(),
    code,
    runtime: opts.runtime,
    settings,
    catalog: { products: catalog.products, skus: skuIds.length, ...(opts.fromState ? { fromState: opts.fromState } : {}) },
    // Only a run of the code as configured replaces docs/bench-latest.md.
    complete: opts.only === null && opts.vars.length === 0 && opts.fromState === null && opts.runtime === "wrangler-dev" && failures.length === 0,
    rows,
    failures,
  };
  process.stdout.write(`\n${textTable(rows)}\n\n`);
  process.stdout.write(`${verdicts(rows).join("\n")}\n\n`);
  for (const file of writeReport(report)) process.stdout.write(`Wrote ${file}\n`);

  // A run with failed requests measured something other than what the table claims: say so in the exit code.
  for (const f of failures) process.stderr.write(`bench: ${f.target} failed: ${f.message}\n`);
  const failed = failures.length > 0 || rows.some((r) => r.non2xx > 0 || r.errors > 0);
  if (failed) process.stderr.write("bench: some requests failed (non-2xx or errors); see the table\n");

  // A full run also measures orders at flash-sale scale (scripts/lib/bench-orders.ts), in its own state.
  let ordersMissed = false;
  if (opts.only === null && opts.vars.length === 0 && opts.runtime === "wrangler-dev") {
    process.stderr.write("\nOrders at flash-sale scale (npm run bench:orders runs only this part)...\n");
    const orders = await runOrderBench({
      port, duration: opts.duration, warmup: opts.warmup, stateDir: `${opts.stateDir}-orders`, command: report.command,
    });
    process.stdout.write(`\n${orderMarkdown(orders)}\n`);
    for (const file of writeOrderReport(orders, true)) process.stdout.write(`Wrote ${file}\n`);
    ordersMissed = !orderVerdicts(orders).every((v) => v.passed);
    if (ordersMissed) process.stderr.write("bench: an orders target or check was not met; see docs/bench-orders.md\n");
  }
  return failed || ordersMissed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
