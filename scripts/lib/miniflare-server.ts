// The Worker on Miniflare directly (`npm run serve`): the bundle `wrangler deploy --dry-run` writes, with
// wrangler.toml's bindings, in the same state directory as `npm start`, without wrangler's local proxy
// (3× on /health) or its DevTools inspector. Or the production world (world/serve-entry.ts): a router,
// one Worker per location and a central Worker in one Miniflare.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import { d1FileFor, localDatabaseId, persistDir } from "./import-d1";
import { LOCAL_ENV, runWrangler } from "./local-d1";
import { ROOT } from "./paths";
import { worldRules, type WorldOverrides } from "../../world/rules";

export interface ServeOptions {
  port: number;
  persistTo?: string;
  /** Worker vars on top of wrangler.toml's and .dev.vars' (--var NAME:VALUE). */
  vars: Record<string, string>;
  /** An already-bundled Worker to serve as is (plain mode only). */
  entry?: string;
  /** The production world, with these overrides of world/locations.json. */
  world?: WorldOverrides;
}

/** .dev.vars as NAME=value lines (the local secrets wrangler dev loads). */
function devVars(): Record<string, string> {
  const file = join(ROOT, ".dev.vars");
  if (!existsSync(file)) return {};
  return Object.fromEntries(readFileSync(file, "utf8").split("\n").flatMap((line) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    return m ? [[m[1]!, m[2]!.replace(/^"(.*)"$/, "$1")]] : [];
  }));
}

/** Bundles `entry` as `wrangler deploy` would (wrangler.toml's rules), without deploying; answers the script. */
export async function bundle(entry: string, outdir: string): Promise<string> {
  rmSync(outdir, { recursive: true, force: true });
  await runWrangler(["deploy", "--dry-run", "--outdir", outdir, ...(entry === "src/index.ts" ? [] : [entry])]);
  const name = `${basename(entry).replace(/\.ts$/, "")}.js`;
  const script = readdirSync(outdir).find((f) => f === name) ?? readdirSync(outdir).find((f) => f === "index.js");
  if (!script) throw new Error(`wrangler wrote no ${name} into ${relative(ROOT, outdir)}`);
  return join(outdir, script);
}

function persistOptions(persistTo: string | undefined) {
  const root = join(persistDir(persistTo), "v3");
  return { d1Persist: join(root, "d1"), durableObjectsPersist: join(root, "do"), kvPersist: join(root, "kv"), cachePersist: join(root, "cache") };
}

const REPLICA_ID = "world-replica";

/** The world's replica starts as a copy of the primary's file (both closed now; the world replays every later write). */
function copyPrimaryToReplica(persistTo: string | undefined): void {
  const primary = d1FileFor(persistTo, localDatabaseId());
  const replica = d1FileFor(persistTo, REPLICA_ID);
  for (const suffix of ["", "-wal", "-shm"]) {
    rmSync(replica + suffix, { force: true });
    if (existsSync(primary + suffix)) copyFileSync(primary + suffix, replica + suffix);
  }
}

export async function startMiniflare(o: ServeOptions): Promise<Miniflare> {
  // wrangler.toml's local environment ([env.dev]: generous limits, open origins), as npm start reads it;
  // its Worker name keeps the serializer's local state where npm start keeps it.
  const config = join(ROOT, "wrangler.toml");
  const env = LOCAL_ENV[1];
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config, env);
  const name = unstable_readConfig({ config, env }).name ?? "storefront";
  const base = workerOptions as WorkerOptions & { bindings: Record<string, unknown> };
  const bindings = { ...base.bindings, ...devVars(), ...o.vars };
  const shared = { host: "127.0.0.1", port: o.port, ...persistOptions(o.persistTo) };
  if (!o.world) {
    const scriptPath = o.entry ?? await bundle("src/index.ts", join(ROOT, ".tmp", "serve", "bundle"));
    return new Miniflare({ ...shared, workers: [{ ...base, name, modules: true, scriptPath, bindings } as WorkerOptions] });
  }

  const rules = worldRules(o.world);
  const scriptPath = await bundle("world/serve-entry.ts", join(ROOT, ".tmp", "serve", "world-bundle"));
  copyPrimaryToReplica(o.persistTo);
  const code = { modules: true, scriptPath, modulesRules: base.modulesRules, compatibilityDate: base.compatibilityDate, compatibilityFlags: base.compatibilityFlags };
  // Central's one object, which every location and the router reach; its journal is this run's only.
  const central = { className: "WorldCentral", scriptName: "central", useSQLite: true };
  const boot = { WORLD_BOOT: new Date().toISOString() };
  const names = rules.locations.map((l) => l.name);
  const router: WorkerOptions = {
    ...code, name: "router",
    bindings: { WORLD_ROLE: "router", WORLD_RULES: rules, ...boot },
    durableObjects: { WORLD_CENTRAL: central },
    serviceBindings: Object.fromEntries(names.map((n) => [`LOCATION_${n}`, n])),
  } as WorkerOptions;
  const centralWorker: WorkerOptions = {
    ...code, name: "central",
    bindings: { WORLD_ROLE: "central", WORLD_RULES: rules, ...boot },
    d1Databases: { DB: localDatabaseId(), WORLD_REPLICA: REPLICA_ID },
    durableObjects: { WORLD_CENTRAL: { className: "WorldCentral", useSQLite: true } },
  } as WorkerOptions;
  const locations = names.map((name): WorkerOptions => ({
    ...base, ...code, name,
    bindings: { ...bindings, WORLD_ROLE: "location", WORLD_LOCATION: name, WORLD_RULES: rules, ...boot },
    kvNamespaces: { WORLD_KV: "world-kv" },
    // The serializer runs in do_location's Worker; the others reach that one.
    durableObjects: {
      ORDER_SERIALIZER: { className: "OrderSerializer", useSQLite: true, ...(name === rules.doLocation ? {} : { scriptName: rules.doLocation }) },
      WORLD_CENTRAL: central,
    },
  } as WorkerOptions));
  return new Miniflare({ ...shared, workers: [router, centralWorker, ...locations] });
}
