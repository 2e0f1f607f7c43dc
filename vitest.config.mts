import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The tests run inside workerd with the real D1, KV and Durable Object bindings from wrangler.toml.
// Migrations come from the same migrations/ folder production applies (see test/apply-migrations.ts).
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token" },
          // A limiter tight enough to reach in a test; swapped in for the real one with callWith().
          ratelimits: { TEST_TIGHT_LIMITER: { namespace_id: "9001", simple: { limit: 3, period: 60 } } },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/apply-migrations.ts"],
      include: ["test/**/*.test.ts"],
    },
  };
});
