import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Runs before every test file: the schema is exactly what `wrangler d1 migrations apply` builds.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
