import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes flat NNNN_name.sql files that `wrangler d1 migrations apply` runs.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  casing: "snake_case",
});
