// npx tsx scripts/check-layers.ts: the dependency direction of src/ (README, "Development" → "Layout").
// Reads every import of every .ts file under src/ — type-only imports, `export … from` and `import("…")`
// types included, found by TypeScript's own pre-processor, not a regex — and fails (exit 1) when
//   (a) a file in src/lib imports one of ours outside src/lib (lib is the leaf everything may use), or
//   (b) the folders import each other in a cycle (src/<folder>, with the files in src/ itself as "src"),
// printing the imports that do it. An import it can't resolve to a file fails too: it would go unchecked.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parseCli } from "./lib/cli";

const USAGE = `Usage: npm run check:layers -- [--src DIR]
       npx tsx scripts/check-layers.ts [--src DIR]

Fails when src/lib imports anything of ours outside src/lib, or when src/'s folders import each other
in a cycle (type-only imports count). --src checks another tree laid out the same way (default: src).
`;

const { values } = parseCli("check-layers", USAGE, { src: { type: "string" } });
const SRC = resolve(values.src ?? fileURLToPath(new URL("../src", import.meta.url)));
const LIB = "lib";

interface Edge { from: string; to: string; line: number }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The file a relative specifier names, as TypeScript's bundler resolution finds it; null if none. */
function resolveImport(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, `${base}.ts`, `${base}.d.ts`, join(base, "index.ts"), base.replace(/\.js$/, ".ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** "lib", "routes", … for a file in src/<folder>/; "" (shown as "src") for a file in src/ itself. */
const folderOf = (file: string) => {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : "";
};
const show = (folder: string) => (folder === "" ? "src" : `src/${folder}`);
/** A path as src/…, whichever tree is checked. */
const rel = (file: string) => relative(dirname(SRC), file);

const problems: string[] = [];
const edges: Edge[] = [];
for (const file of sourceFiles(SRC)) {
  const text = readFileSync(file, "utf8");
  const { importedFiles, referencedFiles } = ts.preProcessFile(text, true, true);
  for (const ref of [...importedFiles, ...referencedFiles]) {
    if (!ref.fileName.startsWith(".")) continue; // a package (hono, drizzle-orm, cloudflare:workers)
    const line = text.slice(0, ref.pos).split("\n").length;
    const target = resolveImport(file, ref.fileName);
    if (target === null) {
      problems.push(`${rel(file)}:${line}: can't resolve "${ref.fileName}", so can't check it`);
      continue;
    }
    if (relative(SRC, target).startsWith("..")) continue; // outside src/ (e.g. worker-configuration.d.ts)
    edges.push({ from: file, to: target, line });
  }
}

// (a) lib is a leaf.
for (const e of edges) {
  if (folderOf(e.from) === LIB && folderOf(e.to) !== LIB) {
    problems.push(`${rel(e.from)}:${e.line}: src/lib imports ${rel(e.to)} (lib may import only lib)`);
  }
}

// (b) no cycle between folders: a depth-first walk of the folder graph; an edge back to a folder still on
// the walk's path closes a loop (every cycle has one), reported with an import for each hop.
const graph = new Map<string, Set<string>>();
for (const e of edges) {
  const [a, b] = [folderOf(e.from), folderOf(e.to)];
  if (!graph.has(a)) graph.set(a, new Set());
  if (!graph.has(b)) graph.set(b, new Set());
  if (a !== b) graph.get(a)!.add(b);
}
const path: string[] = [], walked = new Set<string>();
const walk = (v: string) => {
  path.push(v);
  for (const w of [...graph.get(v)!].sort()) {
    if (path.includes(w)) {
      const loop = [...path.slice(path.indexOf(w)), w];
      const hops = loop.slice(1).map((to, i) => {
        const e = edges.find((x) => folderOf(x.from) === loop[i] && folderOf(x.to) === to)!;
        return `    ${show(loop[i]!)} -> ${show(to)}: ${rel(e.from)}:${e.line} imports ${rel(e.to)}`;
      });
      problems.push(`folders import each other in a cycle, ${loop.map(show).join(" -> ")}:\n${hops.join("\n")}`);
    } else if (!walked.has(w)) walk(w);
  }
  path.pop();
  walked.add(v);
};
for (const v of [...graph.keys()].sort()) if (!walked.has(v)) walk(v);

const summary = [...graph].sort(([a], [b]) => a.localeCompare(b))
  .map(([a, bs]) => `  ${show(a)} -> ${bs.size === 0 ? "(nothing of ours)" : [...bs].sort().map(show).join(", ")}`).join("\n");
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s) in ${SRC}:\n${problems.join("\n")}\n\nFolder imports:\n${summary}`);
  process.exit(1);
}
console.log(`check-layers: ok (${edges.length} imports; src/lib is a leaf; no folder cycle)\n${summary}`);
