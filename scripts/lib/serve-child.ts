// A throwaway `npm run serve` (scripts/serve.ts: the bundle on Miniflare) on 127.0.0.1, for the tools that
// need a real local server (the benches, the browser and client tests, compare:api): started as a
// process-group leader so workerd (its child) stops with it, killed with this process however that ends,
// and ready once GET /health answers.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { CHILD_ENV, LOCAL_ENV, ROOT } from "./local-d1";

export interface Served { origin: string; pid: number; stop: () => Promise<void> }

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const live = new Set<() => void>();
process.on("exit", () => live.forEach((kill) => kill()));
// A terminal's Ctrl-C doesn't reach another process group: exiting runs the handler above.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => process.exit(130));

/** `npm run serve -- --persist-to dir` with these Worker vars (NAME:VALUE) and serve flags, on `port` (a free one by default). */
export async function serve(dir: string, vars: string[] = [], flags: string[] = [], port?: number): Promise<Served> {
  const args = ["--persist-to", dir, ...vars.flatMap((v) => ["--var", v]), ...flags, "--port", String(port ?? (await freePort()))];
  process.stderr.write(`npm run serve -- ${args.join(" ")}\n`);
  // serve.ts reads wrangler's config through its API, which takes the environment from CLOUDFLARE_ENV.
  return launch([join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/serve.ts"), ...args],
    { ...process.env, CLOUDFLARE_ENV: LOCAL_ENV[1] }, "npm run serve", Number(args.at(-1)));
}

/** `wrangler dev` (what `npm start` runs) on the same state and vars, for the runtime bench's comparison. */
export async function wranglerDev(dir: string, vars: string[] = []): Promise<Served> {
  const port = await freePort();
  const args = ["dev", ...LOCAL_ENV, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", dir, ...vars.flatMap((v) => ["--var", v])];
  process.stderr.write(`wrangler ${args.join(" ")}\n`);
  return launch([join(ROOT, "node_modules/wrangler/bin/wrangler.js"), ...args], CHILD_ENV, "wrangler dev", port);
}

/** Runs node with `argv` as a process-group leader and waits until GET /health on `port` answers. */
async function launch(argv: string[], env: NodeJS.ProcessEnv, label: string, port: number): Promise<Served> {
  const child = spawn(process.execPath, argv, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const kill = (signal: NodeJS.Signals = "SIGKILL") => { try { process.kill(-child.pid!, signal); } catch { /* already gone */ } };
  live.add(kill);
  let output = "", exited = false;
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-4000); };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exit = new Promise<void>((done) => child.once("exit", () => { exited = true; done(); }));
  const stop = async () => {
    kill("SIGTERM");
    await Promise.race([exit, sleep(5000)]);
    kill();
    live.delete(kill);
  };
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000; // a 1M catalog's copy takes a while to open
  while (Date.now() < deadline && !exited) {
    // The timeout can also fire while the body is read (a cold first request), so catch after both.
    const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => { await r.arrayBuffer(); return r.ok; }, () => false).catch(() => false);
    if (ok) return { origin, pid: child.pid!, stop };
    await sleep(250);
  }
  await stop();
  throw new Error(`${label} ${exited ? "exited" : "did not answer /health in time"}; its output:\n${output}`);
}
