import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The tests run inside workerd with the real D1, KV and Durable Object bindings from wrangler.toml.
// Migrations come from the same migrations/ folder production applies (see test/apply-migrations.ts).
// The pool is @cloudflare/vitest-pool-workers 0.15.1, the release built on wrangler 4.86 and its
// miniflare/workerd, so tests, `npm start` and the benches run one runtime (docs/decisions/toolchain.md).

// When a test file ends, workerd reports the pool's own control WebSocket closing, and pool 0.15.1
// prints it: "exception = workerd/api/web-socket.c++:NNN: disconnected: WebSocket peer disconnected".
// It is not about our code, and later pool releases add it to the lines they ignore (their
// `ignoreMessages`). Until we move to one of those, that exact line is the only output dropped here.
const POOL_TEARDOWN_LINE = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n?$/;
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  POOL_TEARDOWN_LINE.test(String(chunk)) || writeStdout(chunk, ...rest)) as typeof process.stdout.write;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml", environment: "dev" },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token" },
          // A limiter tight enough to reach in a test; swapped in for the real one with callWith().
          ratelimits: { TEST_TIGHT_LIMITER: { namespace_id: "9001", simple: { limit: 3, period: 60 } } },
        },
      }),
    ],
    test: {
      // logs.ts captures the Worker's JSON log lines and asserts on them instead of printing them.
      setupFiles: ["./test/apply-migrations.ts", "./test/support/logs.ts"],
      include: ["test/**/*.test.ts"],
    },
  };
});
