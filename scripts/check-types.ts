// npm run types:check (first step of `npm test`): fails when worker-configuration.d.ts, our generated
// `Env`, no longer matches wrangler.toml. `npm run cf-typegen` writes it with the secrets named in
// .dev.vars.example; `wrangler types --check` (like `wrangler dev`'s own check) reads the secret names
// from .dev.vars instead, so on a fresh clone, which has none yet, the check runs against a temporary
// copy of the example, the file `npm start` creates. An existing .dev.vars is used as it is.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT, spawnWrangler } from "./lib/local-d1";
import { parseCli } from "./lib/cli";

parseCli("types:check", "Usage: npm run types:check\n  Fails when worker-configuration.d.ts is out of date: run `npm run cf-typegen` and commit it.\n", {});

const devVars = join(ROOT, ".dev.vars");
const temporary = !existsSync(devVars);
if (temporary) copyFileSync(join(ROOT, ".dev.vars.example"), devVars);
const child = spawnWrangler(["types", "--include-runtime", "false", "--strict-vars", "false", "--check"], { stdio: "inherit" });
child.on("exit", (code) => {
  if (temporary) rmSync(devVars, { force: true });
  if (code !== 0) console.error("types:check: worker-configuration.d.ts is out of date: run `npm run cf-typegen` and commit it.");
  process.exit(code ?? 1);
});
