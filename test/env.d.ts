// Test-only bindings added in vitest.config.mts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("@cloudflare/vitest-pool-workers").D1Migration[];
    TEST_TIGHT_LIMITER: RateLimit;
    /** The production world's replica and KV store (test/support/world.ts). */
    WORLD_REPLICA: D1Database;
    WORLD_KV: KVNamespace;
  }
}

