// long-tail: the Atelier peer's own load test. Each VU asks for the styles of a product drawn uniformly
// from the WHOLE catalog and sleeps 1 s; VUs ramp from 0 to 500 over 10 s and the test ends there (no
// hold). Almost every read is a product nobody read before, so it measures what a cache miss costs.
//   k6 run -e BASE_URL=http://127.0.0.1:8787 load/long-tail.ts          (against a 1M catalog: see README)
// STAGES overrides the ramp (default 10s:500). A 404 PRODUCT_NOT_FOUND (an id the importer rejected) is
// an expected answer and counted in `not_found`; anything else but 200 is an error.
import { check, sleep } from "k6";
import http from "k6/http";
import { Rate, Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { discoverMaxId } from "./catalog.ts";
import { BASE_URL, track } from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

const STAGES_NAME = __ENV.STAGES ?? "10s:500";
const STAGES = STAGES_NAME.split(",").map((part) => {
  const [duration, target] = part.trim().split(":");
  return { duration: duration!, target: Number(target) };
});
/** p95 bound of the long-tail reads, ms (the target at 1M on a local wrangler dev). */
const P95_MS = Number(__ENV.P95_MS ?? 100);

const notFound = new Rate("not_found");
/** D1's share of each answer (Server-Timing `db;dur`): where the tail waits, in D1 or before it. */
const d1Ms = new Trend("d1_ms", true);

export const options: Options = {
  scenarios: { long_tail: { executor: "ramping-vus", exec: "longTail", startVUs: 0, stages: STAGES, gracefulRampDown: "5s" } },
  thresholds: {
    http_req_failed: ["rate==0"],
    server_errors: ["rate==0"],
    checks: ["rate==1"],
    "http_req_duration{route:styles}": [`p(95)<${P95_MS}`],
  },
  summaryTrendStats: TREND_STATS,
};

export function setup(): { maxId: number } {
  return { maxId: discoverMaxId() };
}

export function longTail(data: { maxId: number }): void {
  const id = 1 + Math.floor(Math.random() * data.maxId);
  const res = track(http.get(`${BASE_URL}/products/${id}/styles`, {
    tags: { route: "styles" },
    responseCallback: http.expectedStatuses(200, 404),
  }), "styles");
  notFound.add(res.status === 404);
  const db = /db;dur=([\d.]+)/.exec(String(res.headers["Server-Timing"] ?? ""));
  if (db) d1Ms.add(Number(db[1]));
  check(res, {
    "styles: 200, or 404 PRODUCT_NOT_FOUND": (r) => r.status === 200 ||
      (r.status === 404 && String(r.body).includes("PRODUCT_NOT_FOUND")),
  });
  sleep(1);
}

export const handleSummary = summaryFor("long-tail", STAGES_NAME);
