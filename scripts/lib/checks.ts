// What the checking tools (check:readme, test:browser, test:client) print: "ok   name" or "FAIL name" and
// why, one line a check, then "N passed, N failed"; `summary()` is the exit code.
let passed = 0, failed = 0;

/** Runs one named check; a throw is its failure, printed, and the next check still runs. */
export async function check(name: string, fn: () => unknown): Promise<void> {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e instanceof Error ? e.message : e).replace(/\n/g, "\n     ")}`);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Prints "N passed, N failed"; 0 when none failed, else 1. */
export function summary(): number {
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
