import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Runs before every test file: the schema is exactly what `wrangler d1 migrations apply` builds.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The production world's replica starts as the primary does; the world replays every later write into it.
await applyD1Migrations(env.WORLD_REPLICA, env.TEST_MIGRATIONS);
