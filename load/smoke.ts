// smoke: the read-only check of a deployed API (README, "From clone to production"). It never writes: no
// order, no admin call, no token needed. Setup asks /health and the served /openapi.json, then browse runs
// over STAGES (search, category pages, product lists, products, styles, related) with its shape checks and
// the `preview` p95 bounds for a non-local URL. Safe against production: it reads what any shopper reads.
//   k6 run -e BASE_URL=https://storefront.<account>.workers.dev load/smoke.ts
import { check, fail } from "k6";
import http from "k6/http";
import type { Options } from "k6/options";
import { browse } from "./browse.ts";
import { discoverMaxId } from "./catalog.ts";
import { BASE_URL, BROWSE_ROUTES, STAGES, thresholds } from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: { browse: { executor: "ramping-vus", exec: "browse", startVUs: 0, stages: STAGES } },
  thresholds: thresholds(BROWSE_ROUTES),
  summaryTrendStats: TREND_STATS,
};

export function setup(): { maxId: number } {
  const health = http.get(`${BASE_URL}/health`, { tags: { route: "setup" } });
  if (health.status !== 200 || health.body !== '{"status":"ok"}') fail(`setup: GET /health answered ${health.status} ${String(health.body).slice(0, 200)}`);
  const spec = http.get(`${BASE_URL}/openapi.json`, { tags: { route: "setup" } });
  check(spec, { "setup: /openapi.json is the Storefront API's": (r) => r.status === 200 && String(r.json("info.title")).startsWith("Storefront API") });
  return { maxId: discoverMaxId() };
}

export { browse };
export default browse;
export const handleSummary = summaryFor("smoke");
