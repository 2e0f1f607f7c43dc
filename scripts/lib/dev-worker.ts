// A throwaway `wrangler dev` of this Worker on 127.0.0.1, for scripts that need a real local server
// (the browser test, the benches): its own port and inspector port, started as a process-group leader
// so workerd (its child) is stopped with it, and ready once GET /health answers. Or the same runtime
// without the DevTools inspector (`npm run serve`, scripts/serve.ts), for benchmarks of D1 reads.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { LOCAL_ENV, ROOT, spawnWrangler } from "./local-d1";

export interface DevWorker { origin: string; stop: () => Promise<void> }

export interface DevServer extends DevWorker {
  pid: number;
  /** Synchronous SIGKILL of the whole group, so it also works from process.on("exit"). */
  killNow: () => void;
}

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

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `wrangler dev`, or scripts/serve.ts: the same workerd, local D1, KV and Durable Object, no inspector. */
export type Runtime = "wrangler-dev" | "serve";

export interface LaunchOptions {
  port: number;
  /** wrangler arguments after `dev` other than --ip, --port and --inspector-port; or serve.ts's, but --port. */
  args: string[];
  runtime?: Runtime;
  timeoutMs?: number;
  /** Called as soon as the process exists, with its synchronous killer (for exit handlers). */
  onSpawn?: (killNow: () => void) => void;
}

/** Starts `wrangler dev` (or serve.ts) and resolves once GET /health answers 200 (or stops it and throws with its output). */
export async function launchDevServer({ port, args, runtime = "wrangler-dev", timeoutMs = 90_000, onSpawn }: LaunchOptions): Promise<DevServer> {
  const detached: SpawnOptions = { detached: true, stdio: ["ignore", "pipe", "pipe"] };
  const child = runtime === "serve"
    // serve.ts reads wrangler's config through its API, which takes the environment from CLOUDFLARE_ENV.
    ? spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "scripts/serve.ts"), ...args, "--port", String(port)],
      { cwd: ROOT, env: { ...process.env, CLOUDFLARE_ENV: LOCAL_ENV[1] }, ...detached })
    : spawnWrangler(["dev", ...LOCAL_ENV, ...args, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort())], detached);
  const killNow = () => killGroup(child, "SIGKILL");
  onSpawn?.(killNow);
  let output = "";
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-4000); };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((done) => child.once("exit", () => { exited = true; done(); }));

  const stop = async () => {
    killGroup(child, "SIGTERM");
    await Promise.race([exit, sleep(5000)]);
    killNow(); // workerd may outlive a wrangler that exits on SIGTERM
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    // The timeout can also fire while the body is read (a cold first request), so catch after both.
    const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => { await r.arrayBuffer(); return r.ok; })
      .catch(() => false);
    if (ok) return { origin, pid: child.pid!, stop, killNow };
    await sleep(250);
  }
  await stop();
  throw new Error(`${runtime === "serve" ? "npm run serve" : "wrangler dev"} ${exited ? "exited" : `did not answer /health in ${timeoutMs / 1000} s`}; its output:\n${output}`);
}

/** The browser and client tests' server: the project's own entry on `port` (a free one by default) with its own state. */
export async function startDevWorker(persistTo: string, port?: number, timeoutMs = 90_000): Promise<DevWorker> {
  let kill = () => {};
  const server = await launchDevServer({
    port: port ?? (await freePort()), timeoutMs,
    args: ["--persist-to", persistTo, "--log-level", "warn", "--show-interactive-dev-session=false"],
    onSpawn: (killNow) => { kill = killNow; process.once("exit", kill); },
  });
  return { origin: server.origin, stop: async () => { await server.stop(); process.off("exit", kill); } };
}
