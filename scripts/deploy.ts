// `npm run deploy [-- wrangler deploy flags]`: ships the top level of wrangler.toml (production), never a
// local environment by accident. Says what it ships first (name, database, cache, limits, vars), then
// applies the remote migrations and deploys. With --dry-run it only bundles: no migration, nothing remote.
import { unstable_readConfig } from "wrangler";
import { runMain } from "./lib/cli";
import { CHILD_ENV, ROOT, spawnWrangler } from "./lib/local-d1";

const USAGE = `Usage: npm run deploy -- [wrangler deploy flags]

Deploys the top level of wrangler.toml, which is production (README, "From clone to production"):
prints the settings it ships, applies migrations/ to the remote D1 (wrangler d1 migrations apply DB
--remote), then runs wrangler deploy. Every flag is passed to wrangler deploy.

  --dry-run          bundle and print the settings only: no migration, no upload, nothing remote
  --outdir DIR       with --dry-run, where the bundle goes
  --env NAME         another environment of wrangler.toml (preview); never dev, which is local only
  -h, --help         show this help

A real deploy stops before touching anything while the database id is still a placeholder.
`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}

/** The environment named by --env X / --env=X / -e X; "" (the top level) when none is. */
function namedEnv(): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--env" || args[i] === "-e") return args[i + 1] ?? "";
    if (args[i]!.startsWith("--env=")) return args[i]!.slice("--env=".length).replace(/^"(.*)"$/, "$1");
  }
  return "";
}

// The ids wrangler.toml ships with: 0000…0 / 00000000-0000-4000-8000-0000…0, and …1 for [env.preview].
const PLACEHOLDER = /^(0{31}[01]|00000000-0000-4000-8000-0{11}[01])$/;
const env = namedEnv();
const dryRun = args.includes("--dry-run");
// A dry run reaches nothing: no banner (its update check asks the npm registry), no metrics (CHILD_ENV).
const QUIET = dryRun ? { WRANGLER_HIDE_BANNER: "true" } : {};
// --env="" names the top level explicitly: it also beats a CLOUDFLARE_ENV left in the shell.
const envFlag = args.some((a) => a === "--env" || a === "-e" || a.startsWith("--env=")) ? [] : ["--env="];

await runMain("deploy", async () => {
  if (env === "dev") throw new Error("[env.dev] is for local development only (generous limits, open origins): it is never deployed");
  const config = unstable_readConfig({ config: `${ROOT}/wrangler.toml`, env: env || undefined });
  const problems: string[] = [];
  const lines: string[] = [`Worker "${config.name}" (${env ? `[env.${env}]` : "top level of wrangler.toml: production"})`];
  for (const d of config.d1_databases) {
    const placeholder = PLACEHOLDER.test(d.database_id ?? "");
    if (placeholder) problems.push(`${d.binding}: database_id is the placeholder; paste what \`wrangler d1 create\` printed`);
    lines.push(`  ${d.binding}: D1 "${d.database_name}" ${d.database_id}${placeholder ? " (placeholder)" : ""}`);
  }
  for (const k of config.kv_namespaces) {
    const placeholder = PLACEHOLDER.test(k.id ?? "");
    if (placeholder) problems.push(`${k.binding}: the KV id is the placeholder; paste what \`wrangler kv namespace create\` printed`);
    lines.push(`  ${k.binding}: KV ${k.id}${placeholder ? " (placeholder)" : ""}`);
  }
  for (const r of config.ratelimits) lines.push(`  ${r.name}: ${r.simple.limit} requests per ${r.simple.period} s per address`);
  for (const [name, value] of Object.entries(config.vars)) lines.push(`  ${name} = ${JSON.stringify(value)}`);
  const origins = String(config.vars.ALLOWED_ORIGINS ?? "");
  lines.push(origins === "" ? "  (no browser origin may call the public routes: set ALLOWED_ORIGINS to your storefront's)"
    : origins.split(",").some((o) => o.trim() === "*") ? "  (ALLOWED_ORIGINS is \"*\": any site's pages may call the public routes)" : "");
  if (config.vars.SERIALIZER_LOCATION_HINT === "") lines.push("  (no SERIALIZER_LOCATION_HINT: the order serializer starts near its first caller, not next to the database)");
  lines.push(`  secret ADMIN_TOKEN: set with \`npx wrangler secret put ADMIN_TOKEN --env${env ? ` ${env}` : '=""'}\` (not in wrangler.toml)`);
  process.stderr.write(`${dryRun ? "Would ship" : "Shipping"}:\n${lines.filter(Boolean).join("\n")}\n`);

  if (dryRun) {
    await wrangler(["deploy", ...envFlag, ...args]);
    process.stderr.write("deploy --dry-run: bundled only; no migration applied and nothing sent to Cloudflare\n");
    return;
  }
  if (problems.length > 0) throw new Error(`not deploying, nothing was changed:\n  ${problems.join("\n  ")}`);
  await wrangler(["d1", "migrations", "apply", "DB", "--remote", ...envFlag, ...(env ? ["--env", env] : [])]);
  await wrangler(["deploy", ...envFlag, ...args]);
});

function wrangler(argv: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawnWrangler(argv, { stdio: "inherit", env: { ...CHILD_ENV, ...QUIET } });
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done() : fail(new Error(`wrangler ${argv.join(" ")} exited with ${code}`))));
  });
}
