// `npm start [-- wrangler dev args]`: one command from a fresh clone to a running local API.
// Creates .dev.vars, migrates and (if empty) seeds the local D1, then hands over to `wrangler dev`.
import { constants } from "node:os";
import { ensureDevVars, ensureLocalCatalog, exitIfPortBusy, LOCAL_ENV, spawnWrangler } from "./lib/local-d1";

const extra = process.argv.slice(2);

// The seed must land in the same state directory that wrangler dev will serve from.
function optionValue(name: string): string | undefined {
  for (let i = 0; i < extra.length; i++) {
    if (extra[i] === name) return extra[i + 1];
    if (extra[i]!.startsWith(`${name}=`)) return extra[i]!.slice(name.length + 1);
  }
  return undefined;
}
const has = (name: string) => extra.some((a) => a === name || a.startsWith(`${name}=`));

const ip = optionValue("--ip") ?? "127.0.0.1";
await exitIfPortBusy("start", ip, Number(optionValue("--port") ?? 8787), "npm start");

if (ensureDevVars()) console.error("Created .dev.vars from .dev.vars.example (local development secrets)");

try {
  await ensureLocalCatalog({ persistTo: optionValue("--persist-to") });
} catch (e) {
  console.error(`start: ${(e as Error).message}`);
  process.exit(1);
}

// Defaults only when not given, since wrangler rejects an option passed twice. The local environment
// ([env.dev]: generous limits, open origins) unless another is named.
const args = ["dev", ...(has("--env") || has("-e") ? [] : LOCAL_ENV), ...(has("--ip") ? [] : ["--ip", "127.0.0.1"]),
  ...(has("--port") ? [] : ["--port", "8787"]), ...extra];
console.error(`Starting wrangler ${args.join(" ")}`);
const child = spawnWrangler(args, { stdio: "inherit" });

// Ctrl-C reaches wrangler directly through the terminal's process group; forwarding still matters
// when only this process is signalled (a supervisor, `kill <pid>`).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (e) => {
  console.error(`start: could not run wrangler: ${e.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1));
});
