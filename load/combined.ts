// combined: browse (ramping VUs over STAGES) + checkout (ORDER_RATE orders/s) + churn (CHURN_RATE
// product lifecycles/min) at once, with every threshold: errors < 1%, no 5xx, checks > 99%, a p95 per
// route; cache hit rate from Server-Timing; summaries in load/results/summary-combined.{json,txt}.
//   k6 run -e BASE_URL=http://127.0.0.1:8787 -e STAGES=smoke load/combined.ts
import type { Options } from "k6/options";
import { browse } from "./browse.ts";
import { checkout } from "./checkout.ts";
import { churn } from "./churn.ts";
import { type Catalog, checkAdminToken, discoverMaxId, discoverSkus, refuseWritesToDeployed } from "./catalog.ts";
import {
  BROWSE_ROUTES, CHECKOUT_ROUTES, CHURN_RATE, CHURN_ROUTES, ORDER_RATE, STAGES, thresholds, TOTAL_DURATION,
} from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: {
    browse: { executor: "ramping-vus", exec: "browse", startVUs: 0, stages: STAGES },
    checkout: {
      executor: "constant-arrival-rate", exec: "checkout", rate: ORDER_RATE, timeUnit: "1s", duration: TOTAL_DURATION,
      preAllocatedVUs: Math.max(4, Math.ceil(ORDER_RATE * 2)), maxVUs: Math.max(20, Math.ceil(ORDER_RATE * 10)),
    },
    churn: {
      executor: "constant-arrival-rate", exec: "churn", rate: CHURN_RATE, timeUnit: "1m", duration: TOTAL_DURATION,
      preAllocatedVUs: 2, maxVUs: 5,
    },
  },
  thresholds: {
    ...thresholds([...BROWSE_ROUTES, ...CHECKOUT_ROUTES, ...CHURN_ROUTES]), stale_stock: ["rate==0"],
  },
  summaryTrendStats: TREND_STATS,
};

export function setup(): Catalog {
  refuseWritesToDeployed("combined");
  checkAdminToken();
  return discoverSkus(discoverMaxId());
}

export { browse, checkout, churn };
export const handleSummary = summaryFor("combined");
