import { check, group } from "k6";
import http from "k6/http";
import { Rate } from "k6/metrics";
import type { Options } from "k6/options";
import { BASE_URL, cacheStatus, randomProductId } from "./config.ts";

// A shopper: list → product → styles → related, with checks on each body's shape.
export const options: Options = {
  vus: Number(__ENV.VUS ?? "10"),
  duration: __ENV.DURATION ?? "30s",
  thresholds: {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{route:styles}": ["p(95)<200"],
  },
};

const cacheHits = new Rate("cache_hit");

export default function browse(): void {
  const id = randomProductId();
  group("browse", () => {
    const list = http.get(`${BASE_URL}/products?after=${Math.max(0, id - 1)}&count=5`, { tags: { route: "list" } });
    check(list, { "list is an array": (r) => Array.isArray(r.json()) });

    const product = http.get(`${BASE_URL}/products/${id}`, { tags: { route: "product" } });
    check(product, { "product has features": (r) => r.status === 200 && Array.isArray(r.json("features")) });

    const styles = http.get(`${BASE_URL}/products/${id}/styles`, { tags: { route: "styles" } });
    check(styles, { "styles has results": (r) => r.status === 200 && Array.isArray(r.json("results")) });
    const status = cacheStatus(styles.headers["Server-Timing"]);
    if (status) cacheHits.add(status === "hit");

    const related = http.get(`${BASE_URL}/products/${id}/related`, { tags: { route: "related" } });
    check(related, { "related is an array": (r) => r.status === 200 && Array.isArray(r.json()) });
  });
}
