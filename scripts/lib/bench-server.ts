// The bench's own local state and `wrangler dev` children. State lives in a scratch persist dir so a
// benchmark never touches (or is skewed by) the developer's .wrangler/state.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launchDevServer, type Runtime } from "./dev-worker";
import { ensureDevVars, ensureLocalCatalog, listenError, LOCAL_ENV, localRow, runWrangler } from "./local-d1";

export const BENCH_STOCK = 1_000_000;

export interface CatalogFacts {
  products: number;
  lastProductId: number;
  /** The id before the last 5 products: `?after=` of the last page (ids may have gaps). */
  deepAfter: number;
  skuIds: number[];
  /** The ids below lastProductId that no product has (rejected rows, deletes): never drawn. */
  missingIds: number[];
}


/** Wipes stateDir, migrates, seeds the default catalog and gives every sku enough stock for any run. */
export async function prepareState(stateDir: string): Promise<CatalogFacts> {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  ensureDevVars();
  // The generated seed files go inside the scratch dir so the developer's .tmp/seed is left alone.
  const { products } = await ensureLocalCatalog({ persistTo: stateDir, out: join(stateDir, "seed") });
  // Done before wrangler dev starts, so no cached styles payload can carry the old quantities.
  process.stderr.write(`Setting every sku's stock to ${BENCH_STOCK.toLocaleString("en-US")}...\n`);
  await runWrangler(["d1", "execute", "DB", ...LOCAL_ENV, "--local", "--persist-to", stateDir, "--command", `UPDATE skus SET quantity = ${BENCH_STOCK}`]);
  const facts = await localRow<{ last: number; deep: number; ids: string }>(stateDir,
    "SELECT (SELECT max(id) FROM products) AS last, (SELECT id FROM products ORDER BY id DESC LIMIT 1 OFFSET 5) AS deep, " +
    "(SELECT json_group_array(id) FROM skus) AS ids");
  const skuIds = JSON.parse(facts.ids) as number[];
  if (skuIds.length === 0) throw new Error("the seeded catalog has no skus");
  return { products, lastProductId: facts.last, deepAfter: facts.deep, skuIds, missingIds: await missingIds(stateDir) };
}

/** Ids from 1 to the highest that no product has (a 1M catalog's id list is too big for one D1 value). */
async function missingIds(stateDir: string): Promise<number[]> {
  const { ids } = await localRow<{ ids: string }>(stateDir,
    "WITH RECURSIVE gap(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM gap WHERE id < (SELECT max(id) FROM products)) " +
    "SELECT json_group_array(id) AS ids FROM gap WHERE NOT EXISTS (SELECT 1 FROM products AS p WHERE p.id = gap.id)");
  return JSON.parse(ids) as number[];
}

/**
 * Wipes stateDir and copies a persisted catalog into it (the source is never written to). Stock stays
 * as imported; the order targets draw from the first 10,000 skus.
 */
export async function copyState(from: string, stateDir: string): Promise<CatalogFacts> {
  if (!existsSync(from)) throw new Error(`--from-state ${from} does not exist`);
  rmSync(stateDir, { recursive: true, force: true });
  process.stderr.write(`Copying ${from} to ${stateDir}...\n`);
  cpSync(from, stateDir, { recursive: true });
  ensureDevVars();
  await runWrangler(["d1", "migrations", "apply", "DB", ...LOCAL_ENV, "--local", "--persist-to", stateDir]);
  const facts = await localRow<{ n: number; last: number; deep: number; ids: string }>(stateDir,
    "SELECT (SELECT count(*) FROM products) AS n, (SELECT max(id) FROM products) AS last, " +
    "(SELECT id FROM products ORDER BY id DESC LIMIT 1 OFFSET 5) AS deep, " +
    "(SELECT json_group_array(id) FROM (SELECT id FROM skus ORDER BY id LIMIT 10000)) AS ids");
  return { products: facts.n, lastProductId: facts.last, deepAfter: facts.deep, skuIds: JSON.parse(facts.ids) as number[], missingIds: await missingIds(stateDir) };
}

/**
 * Bundles src/ once, exactly as `wrangler deploy` would, and returns the entry to serve with --no-bundle.
 * wrangler dev otherwise watches src/ and reloads the Worker whenever someone saves a file, so one run
 * could measure several versions (and drop in-flight requests); the snapshot also leaves out the
 * dev-only middleware wrangler dev wraps around a Worker, so the bench measures the code that ships.
 */
export async function buildSnapshot(stateDir: string): Promise<string> {
  const outdir = join(stateDir, "bundle");
  process.stderr.write("Bundling the Worker once (wrangler deploy --dry-run)...\n");
  await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
  return join(outdir, "index.js");
}

const portFree = async (port: number) => (await listenError("127.0.0.1", port)) === null;

/** The first free port from `start`; with `exact`, only `start` itself. */
export async function findPort(start: number, exact: boolean): Promise<number> {
  for (let port = start; port < Math.min(start + (exact ? 1 : 50), 65536); port++) {
    if (await portFree(port)) return port;
  }
  throw new Error(exact ? `port ${start} is in use (--port)` : `no free port in ${start}..${start + 49}`);
}

export interface Server { kind: string; baseUrl: string; pgid: number; stop: () => Promise<void> }
const live = new Set<() => void>();

/** Synchronous, so it also works from process.on("exit"). */
export function killAllServers() {
  for (const kill of live) kill();
  live.clear();
}

/** Serves the bundle `entry` (buildSnapshot) on `wrangler dev`, or without its inspector (`runtime` "serve"). */
export async function startServer(kind: string, entry: string, port: number, stateDir: string, vars: string[], runtime: Runtime = "wrangler-dev"): Promise<Server> {
  const common = ["--persist-to", stateDir, ...vars.flatMap((v) => ["--var", v])];
  const args = runtime === "serve" ? ["--entry", entry, ...common] : [entry, "--no-bundle", "--log-level", "warn", ...common];
  process.stderr.write(`Starting ${runtime === "serve" ? "npm run serve --" : "wrangler dev"} ${args.join(" ")} on port ${port}\n`);
  let kill = () => {};
  try {
    const server = await launchDevServer({ port, args, runtime, onSpawn: (killNow) => { kill = killNow; live.add(kill); } });
    const stop = async () => {
      await server.stop();
      live.delete(kill);
      // The next server reuses the port: wait until nothing listens on it any more.
      for (let i = 0; i < 50 && !(await portFree(port)); i++) await new Promise((r) => setTimeout(r, 100));
    };
    return { kind, baseUrl: server.origin, pgid: server.pid, stop };
  } catch (err) {
    live.delete(kill);
    throw new Error(`(${kind}) ${(err as Error).message}`);
  }
}
