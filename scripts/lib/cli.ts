// The start and end every command-line tool shares: strict flags with --help, `name: message` on
// stderr, exit 2 for a call whose words are off and exit 1 for a failure on the way.
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Exits 2 with `name: message`, then the usage when given. */
export function usageError(name: string, message: string, usage = ""): never {
  process.stderr.write(`${name}: ${message}\n${usage === "" ? "" : `\n${usage}`}`);
  process.exit(2);
}

/** Strict flags, plus --help/-h (prints the usage, exits 0); a wrong flag exits 2 with the usage. */
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
  return parsed;
}

/** Runs the tool's work: exit 0 when it ends, exit 1 with `name: message` when it throws. */
export async function runMain(name: string, work: () => Promise<void>): Promise<never> {
  try {
    await work();
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.exit(0);
}
