// `npm run bench -- <suite> [options]`: one command for every measurement. Each suite is a module that
// reads its own options (`npm run bench -- <suite> --help`), shares scripts/lib/bench-kit.ts and writes
// its section of docs/results.md.
export {};

const SUITES: Record<string, { module: string; what: string }> = {
  reads: { module: "./bench-reads.ts", what: "throughput and latency of the hot routes, each against /health, the read cache on and off" },
  orders: { module: "./bench-orders.ts", what: "group commit with a simulated D1 round trip, the serializer alone, a flash sale, an overload" },
  carts: { module: "./bench-carts.ts", what: "holds, releases, expiries and checkouts beside orders, stock invariants checked in D1" },
  search: { module: "./bench-search.ts", what: "SQL time of every search statement on a persisted catalog (better-sqlite3)" },
  ledger: { module: "./bench-ledger.ts", what: "what each kind of request costs, per route and for a shop's mix" },
  distance: { module: "./bench-distance.ts", what: "latency by location in the production world, beside the single-origin peer" },
  "long-tail": { module: "./bench-long-tail.ts", what: "the seeds' k6 test (500 VUs, styles of random ids) on a copy of a big catalog, after a warm-up run" },
  runtime: { module: "./bench-runtime.ts", what: "the local runtime alone (hello world), npm run serve, and what the production world adds" },
};

const USAGE = `Usage: npm run bench -- <suite> [options]

Suites:
${Object.entries(SUITES).map(([name, s]) => `  ${name.padEnd(10)} ${s.what}`).join("\n")}

\`npm run bench -- <suite> --help\` for a suite's options. Every suite writes its latest run to
docs/results.md. Never run two at once on a shared machine: they would measure each other.
`;

const suite = process.argv[2];
if (suite === undefined || suite === "--help" || suite === "-h" || suite === "help") {
  (suite === undefined ? process.stderr : process.stdout).write(USAGE);
  process.exit(suite === undefined ? 2 : 0);
}
const chosen = SUITES[suite];
if (!chosen) {
  process.stderr.write(`bench: no suite "${suite}"\n\n${USAGE}`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(chosen.module);
