// churn: an admin creates, reads, updates, extends and deletes products (CHURN_RATE lifecycles a
// minute) while browse runs, as the old perf test did. Each read after a write must already show it:
// the new name after PATCH, the new style after POST …/styles, 404 after DELETE (stale_read counts misses).
//   k6 run -e BASE_URL=http://127.0.0.1:8787 -e ADMIN_TOKEN=dev-admin-token -e CHURN_RATE=30 load/churn.ts
import { check, group } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import { Rate } from "k6/metrics";
import type { Options } from "k6/options";
import { browse } from "./browse.ts";
import { checkAdminToken, discoverMaxId, refuseWritesToDeployed } from "./catalog.ts";
import {
  ADMIN_HEADERS, BASE_URL, BROWSE_ROUTES, CHURN_RATE, CHURN_ROUTES, randomProductId, STAGES, thresholds, TOTAL_DURATION,
  track,
} from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: {
    browse: { executor: "ramping-vus", exec: "browse", startVUs: 0, stages: STAGES },
    churn: {
      executor: "constant-arrival-rate", exec: "churn", rate: CHURN_RATE, timeUnit: "1m", duration: TOTAL_DURATION,
      preAllocatedVUs: 2, maxVUs: 5,
    },
  },
  thresholds: thresholds([...BROWSE_ROUTES, ...CHURN_ROUTES]),
  summaryTrendStats: TREND_STATS,
};

export function setup(): { maxId: number } {
  refuseWritesToDeployed("churn");
  checkAdminToken();
  return { maxId: discoverMaxId() };
}

const staleRead = new Rate("stale_read");
const gone = http.expectedStatuses(404);
type Json = Record<string, unknown>;

function call(method: string, path: string, route: string, body?: unknown, expect404 = false) {
  const params = { headers: ADMIN_HEADERS, tags: { route }, ...(expect404 ? { responseCallback: gone } : {}) };
  const res = http.request(method, `${BASE_URL}${path}`, body === undefined ? null : JSON.stringify(body), params);
  track(res, route);
  let json: Json | Json[] | undefined;
  try { json = res.status === 204 ? undefined : (res.json() as Json | Json[]); } catch { json = undefined; }
  return { res, json };
}

/** A check on a read that follows a write; a failure is also a stale read. */
function fresh(name: string, ok: boolean): void {
  staleRead.add(!ok);
  check(null, { [name]: () => ok });
}

export function churn(data: { maxId: number }): void {
  const tag = `k6 churn ${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Date.now()}`;
  group("churn", () => {
    // The admin looks at the newest products first. This GET also keeps the POST below off a keep-alive
    // connection that sat idle between iterations: wrangler dev closes those after 5 s, and a POST racing
    // that close fails with EOF (k6 retries only GETs and requests with an Idempotency-Key on its own).
    call("GET", `/products?after=${data.maxId}&count=5`, "list");
    const created = call("POST", "/products", "product_create", {
      name: tag, slogan: "Made by load/churn.ts", category: "Load test", default_price: "19.99",
      features: [{ feature: "Fabric", value: "Cotton" }, { feature: "Fit", value: null }],
    });
    const product = created.json as Json | undefined;
    const id = product?.id as number | undefined;
    check(created.res, {
      "create: 201 with Location": (r) => r.status === 201 && r.headers.Location === `/products/${id}`,
      "create: the product as GET shows it": () => product?.name === tag && product.default_price === "19.99" &&
        Array.isArray(product.features) && product.features.length === 2,
    });
    if (!Number.isInteger(id)) return;
    try {
      // Reads before each write fill the KV cache, so the read after it proves the write emptied it.
      const before = call("GET", `/products/${id}`, "product_read");
      check(before.res, { "read: 200 with the created name": (r) => r.status === 200 && (before.json as Json)?.name === tag });
      call("GET", `/products/${id}/styles`, "styles_read");

      const renamed = `${tag} v2`;
      const patched = call("PATCH", `/products/${id}`, "product_update", { name: renamed, default_price: "24.99" });
      check(patched.res, { "update: 200 with the new name": (r) => r.status === 200 && (patched.json as Json)?.name === renamed });
      const after = call("GET", `/products/${id}`, "product_read").json as Json | undefined;
      fresh("read after update: new name and price", after?.name === renamed && after.default_price === "24.99");

      const style = call("POST", `/products/${id}/styles`, "style_create", {
        name: "Load grey", original_price: "24.99", sale_price: "19.99", "default?": true,
        photos: [{ url: "https://img.example/k6.jpg", thumbnail_url: "https://img.example/k6-thumb.jpg" }],
        skus: [{ size: "M", quantity: 5 }, { size: "L", quantity: 0 }],
      });
      const styleId = (style.json as Json | undefined)?.style_id;
      check(style.res, {
        "style: 201 with its skus": (r) => r.status === 201 && Number.isInteger(styleId) &&
          Object.keys(((style.json as Json).skus ?? {}) as Json).length === 2,
      });
      const styles = call("GET", `/products/${id}/styles`, "styles_read").json as Json | undefined;
      fresh("styles after adding one: it is there", Array.isArray(styles?.results) &&
        (styles.results as Json[]).some((s) => s.style_id === styleId));

      const related = [randomProductId(data.maxId), randomProductId(data.maxId)].filter((x, i, a) => a.indexOf(x) === i);
      const put = call("PUT", `/products/${id}/related`, "related_update", related);
      check(put.res, { "related: 200, the list": (r) => r.status === 200 && JSON.stringify(put.json) === JSON.stringify(related) });
    } finally {
      const deleted = call("DELETE", `/products/${id}`, "product_delete");
      check(deleted.res, { "delete: 204": (r) => r.status === 204 });
      const read = call("GET", `/products/${id}`, "product_gone", undefined, true);
      const styles = call("GET", `/products/${id}/styles`, "product_gone", undefined, true);
      fresh("reads after delete: 404 PRODUCT_NOT_FOUND", [read, styles].every((x) =>
        x.res.status === 404 && (x.json as Json | undefined)?.error === "PRODUCT_NOT_FOUND"));
    }
  });
}

export { browse };
export default churn;
export const handleSummary = summaryFor("churn");
