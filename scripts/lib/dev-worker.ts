// A throwaway `wrangler dev` of this Worker for tests that need a real local server (the browser test):
// its own port, inspector port and --persist-to state, started as a process-group leader so workerd
// (its child) is stopped with it.
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { spawnWrangler } from "./local-d1";

export interface DevWorker { origin: string; stop: () => Promise<void> }

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

/** Starts `wrangler dev` on 127.0.0.1 and resolves once GET /health answers 200 (or throws with its output). */
export async function startDevWorker(persistTo: string, timeoutMs = 90_000): Promise<DevWorker> {
  const port = await freePort();
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort()),
    "--persist-to", persistTo, "--log-level", "warn", "--show-interactive-dev-session=false"];
  const child = spawnWrangler(args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-4000); };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((done) => child.once("exit", () => { exited = true; done(); }));
  const stopOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", stopOnExit);

  const stop = async () => {
    killGroup(child, "SIGTERM");
    await Promise.race([exit, sleep(5000)]);
    killGroup(child, "SIGKILL"); // workerd may outlive a wrangler that exits on SIGTERM
    process.off("exit", stopOnExit);
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => { await r.arrayBuffer(); return r.ok; }, () => false);
    if (ok) return { origin, stop };
    await sleep(250);
  }
  await stop();
  throw new Error(`wrangler dev ${exited ? "exited" : `did not answer /health in ${timeoutMs / 1000} s`}; its output:\n${output}`);
}
