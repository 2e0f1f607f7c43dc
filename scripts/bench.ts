// `npm run bench -- <suite> [options]`: one command for every measurement. Each suite is a module that
// reads its own options (`npm run bench -- <suite> --help`) and writes its section of docs/results.md.
export {};

const SUITES: Record<string, { module: string; what: string }> = {
  reads: { module: "./bench-reads.ts", what: "throughput and latency of the hot routes, each against /health in the same run" },
  ledger: { module: "./bench-ledger.ts", what: "what each kind of request costs, per route and for a shop's mix" },
  distance: { module: "./bench-distance.ts", what: "latency by location in the production world, beside the single-origin peer" },
  carts: { module: "./bench-carts.ts", what: "orders, cart holds and checkouts through the serializer, with stock invariants checked" },
  runtime: { module: "./bench-runtime.ts", what: "the local runtime alone (hello world), npm run serve, and what the production world adds" },
};

const USAGE = `Usage: npm run bench -- <suite> [options]

Suites:
${Object.entries(SUITES).map(([name, s]) => `  ${name.padEnd(10)} ${s.what}`).join("\n")}

\`npm run bench -- <suite> --help\` for a suite's options. With no suite (or options first): reads.
`;

const first = process.argv[2];
if (first === "--help" || first === "-h" || first === "help") {
  process.stdout.write(USAGE);
  process.exit(0);
}
const suite = first !== undefined && !first.startsWith("-") ? first : "reads";
if (!SUITES[suite]) {
  process.stderr.write(`bench: no suite "${suite}"\n\n${USAGE}`);
  process.exit(2);
}
if (first === suite) process.argv.splice(2, 1);
await import(SUITES[suite].module);
