// The start and end every command-line tool shares: strict flags with --help, `name: message` on
// stderr, exit 2 for a call whose words are off and exit 1 for a failure on the way; and the checks
// of a flag's value that several tools need (a number in a range, a scratch directory).
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ROOT } from "./paths";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** How a flag check reports a bad value: `parseCli`'s `fail` (usageError), or a throw where the caller prints its own hint. */
export type Fail = (message: string) => never;

/** Exits 2 with `name: message`, then the usage when given. */
export function usageError(name: string, message: string, usage = ""): never {
  process.stderr.write(`${name}: ${message}\n${usage === "" ? "" : `\n${usage}`}`);
  process.exit(2);
}

/**
 * Strict flags, plus --help/-h (prints the usage, exits 0); a wrong flag exits 2 with the usage.
 * `fail(message)` is usageError for this tool, to pass to the flag checks below.
 */
export function parseCli<const O extends Options>(name: string, usage: string, options: O, allowPositionals = false) {
  const config = { options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    usageError(name, (e as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const fail: Fail = (message) => usageError(name, message, usage);
  return { ...parsed, fail };
}

/** `fallback` when the flag is absent; `max: Number.MAX_SAFE_INTEGER` means no upper bound ("of at least min"). */
interface Range { fallback: number; min: number; max: number }

/**
 * The integer a flag's value spells, `fallback` when the flag is absent. Digits only: Number() would
 * also take "", " 8", "1e3", "0x10" or "2.5", which are typos here, not numbers to round or clamp.
 */
export function integerFlag(label: string, raw: string | undefined, range: Range, fail: Fail): number {
  return checkNumber(label, raw, range, fail, true);
}

/** As integerFlag, for a rate or a time where a fraction means something (`--churn 0.5`: a write every 2 s). */
export function decimalFlag(label: string, raw: string | undefined, range: Range, fail: Fail): number {
  return checkNumber(label, raw, range, fail, false);
}

function checkNumber(label: string, raw: string | undefined, { fallback, min, max }: Range, fail: Fail, integer: boolean) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const spelled = integer ? /^\d+$/.test(raw) && Number.isSafeInteger(n) : /^\d+(\.\d+)?$/.test(raw) && Number.isFinite(n);
  if (!spelled || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    fail(`${label} must be ${integer ? "an integer" : "a number"} ${range}, got "${raw}"`);
  }
  return n;
}

/**
 * The absolute path of a directory the tool wipes, which must therefore be a scratch dir strictly
 * inside the project's .tmp/: never .tmp itself, the project, .wrangler/state or a parent.
 */
export function scratchDir(label: string, raw: string, fail: Fail): string {
  const dir = resolve(ROOT, raw);
  const rel = relative(join(ROOT, ".tmp"), dir);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) fail(`${label} must be a directory inside .tmp/ (it is wiped), got "${raw}"`);
  return dir;
}

/** Runs the tool's work: exit process.exitCode (0 unless set) when it ends, exit 1 with `name: message` when it throws. */
export async function runMain(name: string, work: () => Promise<void>): Promise<never> {
  try {
    await work();
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.exit(process.exitCode ?? 0);
}
