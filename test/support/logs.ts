import { afterEach, beforeEach } from "vitest";

// The Worker writes JSON lines ({"level":"error"|"warn",...}) for failed and slow requests and for
// every fault it survives (src/middleware/request-log.ts, lib/rate-limit.ts, services/cache-faults.ts, db/resilient-d1.ts).
// In the suite those lines are expected: the fault tests provoke them, and a loaded machine makes
// some requests slower than SLOW_REQUEST_MS. This setup file (vitest.config.mts, setupFiles) keeps
// them out of the output and asserts on them instead:
// - every line is captured per test, not printed; a failing test prints its captured lines;
// - an error line is allowed only in a test that injected a fault (the doubles in
//   test/support/faults.ts call noteInjectedFault() whenever they fail on cue): an error logged
//   anywhere else fails the test, with the lines. Tests that assert the lines themselves spy on the
//   console as before (test/middleware/request-log.test.ts); the spy wraps the capture.
// Output that is not one of these JSON lines goes to the console unchanged.

export interface LogLine { level: string; [field: string]: unknown }

let captured: LogLine[] = [];
let faultsInjected = 0;

/** Called by the fault doubles each time they fail on cue. */
export function noteInjectedFault() {
  faultsInjected++;
}

/** The log lines the Worker wrote so far in the current test. */
export const loggedLines = (): readonly LogLine[] => captured;

function asLogLine(args: unknown[]): LogLine | undefined {
  const [first] = args;
  if (args.length !== 1 || typeof first !== "string" || !first.startsWith('{"level":')) return undefined;
  try {
    return JSON.parse(first) as LogLine;
  } catch {
    return undefined;
  }
}

const original = { log: console.log, warn: console.warn, error: console.error };
for (const method of ["log", "warn", "error"] as const) {
  // Installed once per test file; a test's own vi.spyOn(console, ...) wraps this and restores it.
  console[method] = (...args: unknown[]) => {
    const line = asLogLine(args);
    if (line === undefined) return original[method](...args);
    captured.push(line);
  };
}

beforeEach((ctx) => {
  captured = [];
  faultsInjected = 0;
  ctx.onTestFailed(() => {
    for (const line of captured) original.error(JSON.stringify(line));
  });
});

afterEach(() => {
  const unexplained = captured.filter((l) => l.level === "error");
  if (unexplained.length > 0 && faultsInjected === 0) {
    throw new Error(`the Worker logged ${unexplained.length} error line(s) in a test that injected no fault:\n` +
      unexplained.map((l) => JSON.stringify(l)).join("\n"));
  }
});
