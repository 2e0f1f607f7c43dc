// Test-only bindings added in vitest.config.mts.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("@cloudflare/vitest-pool-workers").D1Migration[];
    TEST_TIGHT_LIMITER: RateLimit;
  }
}
