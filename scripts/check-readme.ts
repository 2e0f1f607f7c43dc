// npm run check:readme (run by .ci/run after `npm test`): the README's commands, run as a newcomer
// runs them, so a README that drifts from the code fails CI rather than someone's first hour.
// - every link in the README points inside the repository, at a file that exists (a clone has nothing else);
// - every documented script answers `--help` with its usage (exit 0); every `npm run <script>` that
//   README.md or load/README.md names exists, every bench suite they name answers `--help`, every
//   load/*.ts they name exists;
// - `npm start` on a fresh state and a free port migrates, seeds and serves, and the README's first
//   requests answer as documented; a second `npm start` on the same port stops at once with a clear
//   message; Ctrl-C stops the server with nothing left running.
// (`npm ci && npm test`, the other README command, is what .ci/run itself runs.)
// Ends with "N passed, N failed"; exits 1 when a check failed.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assert, check, summary } from "./lib/checks";
import { freePort } from "./lib/serve-child";
import { ROOT } from "./lib/local-d1";
import { parseCli } from "./lib/cli";

parseCli("check:readme", "Usage: npm run check:readme\n  Runs the README's commands (each script's and named bench suite's --help, npm start on a free port)\n  and checks their answers; checks that the scripts and load/*.ts files README.md and load/README.md name exist.\n", {});

// Every npm script that runs one of our command-line tools (`tsx scripts/…`), read from package.json,
// so a new tool without --help fails here rather than in front of a newcomer.
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const DOCUMENTED_SCRIPTS = Object.entries(PACKAGE.scripts)
  .filter(([name, command]) => /^([A-Z_]+=\S* )*tsx scripts\//.test(command) && name !== "start")
  .map(([name]) => name);
const STATE = join(ROOT, ".tmp", "readme-start");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run { child: ChildProcess; output: () => string; exit: Promise<number | null> }
/** An npm command in its own process group (so it can be stopped whole), output kept. */
function npm(args: string[]): Run {
  const child = spawn("npm", args, { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" } });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { child, output: () => out, exit };
}
const groupAlive = (pid: number) => { try { process.kill(-pid, 0); return true; } catch { return false; } };

await check("every link in the README points at a file of this repository", async () => {
  // Markdown links and autolinks outside code: a command in a code block is not a link.
  const prose = readFileSync(join(ROOT, "README.md"), "utf8").replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const targets = [...prose.matchAll(/\]\(([^)\s]+)\)/g), ...prose.matchAll(/<(https?:[^>]+)>/g)].map((m) => m[1]!);
  const outside = targets.filter((t) => /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith("/") || t.startsWith("../"));
  const missing = targets.filter((t) => !outside.includes(t) && !t.startsWith("#") && !existsSync(join(ROOT, t.split("#")[0]!)));
  assert(outside.length === 0, `links outside the repository: ${outside.join(", ")}`);
  assert(missing.length === 0, `links to files that don't exist: ${missing.join(", ")}`);
  assert(targets.length > 0, "no links found: the check is broken");
});

// The commands README.md and load/README.md name: each script exists, each bench suite answers --help
// (below, with the scripts), each k6 scenario is a file (load/README.md also names them without load/).
const DOCS = ["README.md", "load/README.md"].map((file) => ({ file, text: readFileSync(join(ROOT, file), "utf8") }));
const named = (pattern: RegExp) => [...new Set(DOCS.flatMap(({ text }) => [...text.matchAll(pattern)].map((m) => m[1]!)))];
const SUITES = named(/npm run bench -- ([a-z][a-z-]*)/g);

await check("every npm run <script> in README.md and load/README.md is in package.json", async () => {
  const missing = named(/npm run ([a-z][\w:-]*)/g).filter((s) => !(s in PACKAGE.scripts));
  assert(missing.length === 0, `not in package.json: ${missing.join(", ")}`);
  assert(SUITES.length > 0, "no bench suite named: the check is broken");
});

await check("every load/*.ts in README.md and load/README.md exists", async () => {
  const files = DOCS.flatMap(({ file, text }) => [...text.matchAll(/(?<![\w./-])((?:load\/)?[\w-]+\.ts)\b/g)]
    .map((m) => m[1]!).filter((f) => f.startsWith("load/") || file.startsWith("load/")).map((f) => (f.startsWith("load/") ? f : `load/${f}`)));
  const missing = [...new Set(files)].filter((f) => !existsSync(join(ROOT, f)));
  assert(files.length > 0, "no scenario named: the check is broken");
  assert(missing.length === 0, `named but missing: ${missing.join(", ")}`);
});

for (const suite of SUITES) {
  await check(`npm run bench -- ${suite} --help prints its usage`, async () => {
    const run = npm(["run", "--silent", "bench", "--", suite, "--help"]);
    const code = await run.exit;
    assert(code === 0 && /usage/i.test(run.output()), `exit ${code}:\n${run.output()}`);
  });
}

for (const script of DOCUMENTED_SCRIPTS) {
  await check(`npm run ${script} -- --help prints its usage`, async () => {
    const run = npm(["run", "--silent", script, "--", "--help"]);
    const code = await run.exit;
    assert(code === 0, `exit ${code}:\n${run.output()}`);
    assert(/usage/i.test(run.output()), `no usage in:\n${run.output()}`);
  });
}

rmSync(STATE, { recursive: true, force: true });
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const server = npm(["start", "--", "--port", String(port), "--persist-to", STATE]);
const stopServer = () => { try { process.kill(-server.child.pid!, "SIGKILL"); } catch { /* gone */ } };
process.once("exit", stopServer);

await check("npm start migrates, seeds the sample catalog and answers /health", async () => {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const body = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(10_000) })
      .then((r) => (r.ok ? r.text() : null), () => null);
    if (body !== null) {
      assert(body === '{"status":"ok"}', `the /health body is ${body}`);
      break;
    }
    assert(Date.now() < deadline && groupAlive(server.child.pid!), `no answer on ${origin}/health:\n${server.output()}`);
    await sleep(500);
  }
  assert(/Seeded 2,998 products in [\d.]+s; 105 planted flawed rows rejected as intended/.test(server.output()),
    `the seed line is not the one the README quotes:\n${server.output()}`);
  assert(!server.output().includes("might be out of date"), `wrangler says the types are out of date:\n${server.output()}`);
});

await check("the README's first requests answer as documented", async () => {
  const list = await (await fetch(`${origin}/products?count=2`)).json() as unknown[];
  assert(Array.isArray(list) && list.length === 2, `GET /products?count=2: ${JSON.stringify(list)}`);
  const last = await (await fetch(`${origin}/products?after=2995&count=5`)).json() as unknown[];
  assert(Array.isArray(last) && last.length === 5, `GET /products?after=2995&count=5: ${JSON.stringify(last)}`);
  const styles = await fetch(`${origin}/products/1/styles`);
  assert(styles.status === 200 && styles.headers.get("etag") && styles.headers.get("server-timing"), `GET /products/1/styles: ${styles.status}`);
  const order = await fetch(`${origin}/orders`, { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ items: [{ sku_id: 1, quantity: 1 }] }) });
  assert(order.status === 201, `POST /orders: ${order.status} ${await order.text()}`);
  const admin = await fetch(`${origin}/orders?limit=5`, { headers: { Authorization: "Bearer dev-admin-token" } });
  assert(admin.status === 200, `GET /orders with the README's dev-admin-token: ${admin.status}`);
});

await check("a second npm start on the same port stops at once and says why", async () => {
  const second = npm(["start", "--", "--port", String(port), "--persist-to", STATE]);
  const code = await Promise.race([second.exit, sleep(60_000).then(() => "timeout" as const)]);
  if (code === "timeout") process.kill(-second.child.pid!, "SIGKILL");
  assert(code === 1, `exit ${code}:\n${second.output()}`);
  assert(second.output().includes(`127.0.0.1:${port} is already in use`), `no clear message:\n${second.output()}`);
  assert(!/Applying D1 migrations|Error:|    at /.test(second.output()), `it did more than stop:\n${second.output()}`);
  assert(!groupAlive(second.child.pid!), "processes of the second npm start are still running");
});

await check("Ctrl-C stops npm start with nothing left running", async () => {
  process.kill(-server.child.pid!, "SIGINT");
  const code = await Promise.race([server.exit, sleep(30_000).then(() => "timeout" as const)]);
  assert(code !== "timeout", "npm start did not exit within 30 s of Ctrl-C");
  for (let i = 0; i < 20 && groupAlive(server.child.pid!); i++) await sleep(250);
  assert(!groupAlive(server.child.pid!), "processes of npm start (wrangler, workerd or esbuild) are still running");
});

if (process.env.SHOW_OUTPUT) console.log(`--- npm start's output ---\n${server.output()}`);
stopServer();
rmSync(STATE, { recursive: true, force: true });
process.exit(summary());
