// browse: a shopper finds something — types into the search box (suggest), searches, opens a category
// page — then renders product pages — list → product → styles → related — from lists that start at
// ids drawn from the whole catalog (a quarter of them from its last 10%), opening the list's first
// product as a shopper would, so gaps in the ids (deleted or rejected products) are never requested.
// Each body's shape is checked against the API contract. Each VU sends its own CF-Connecting-IP (as
// shoppers have their own addresses), which the local Worker's per-address search limit counts.
//   k6 run -e BASE_URL=http://127.0.0.1:8787 -e STAGES=smoke load/browse.ts
import { check, group } from "k6";
import http from "k6/http";
import type { Options } from "k6/options";
import { discoverMaxId } from "./catalog.ts";
import { BASE_URL, BROWSE_ROUTES, pick, randomProductId, STAGES, thresholds, track } from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: { browse: { executor: "ramping-vus", exec: "browse", startVUs: 0, stages: STAGES } },
  thresholds: thresholds(BROWSE_ROUTES),
  summaryTrendStats: TREND_STATS,
};

export function setup(): { maxId: number } {
  return { maxId: discoverMaxId() };
}

type Json = Record<string, unknown>;
const MONEY = /^\d+\.\d{2}$/;
const isProduct = (p: Json) =>
  Number.isInteger(p.id) && typeof p.name === "string" && typeof p.category === "string" &&
  typeof p.default_price === "string" && MONEY.test(p.default_price);
const isStyle = (s: Json) =>
  Number.isInteger(s.style_id) && typeof s.name === "string" && MONEY.test(String(s.original_price)) &&
  (s.sale_price === null || MONEY.test(String(s.sale_price))) && typeof s["default?"] === "boolean" &&
  Array.isArray(s.photos) && (s.photos as Json[]).every((p) => typeof p.url === "string" && typeof p.thumbnail_url === "string") &&
  typeof s.skus === "object" && s.skus !== null && !Array.isArray(s.skus) &&
  Object.entries(s.skus as Record<string, Json>).every(([k, v]) => /^\d+$/.test(k) && Number.isInteger(v.quantity) && typeof v.size === "string");

/** JSON body, or undefined when it isn't JSON (the check then fails rather than the iteration). */
function body(res: { body: unknown; json: () => unknown }): unknown {
  try { return res.json(); } catch { return undefined; }
}

// Words and categories of the generated catalog (scripts/lib/catalog-rows.ts).
const TYPED = ["jog", "jacket", "retro ch", "summit par", "hood", "cargo sh"];
const WORDS = ["jacket", "joggers", "fabric", "retro hoodie", "canvas kicks", "coastal cap", "breathable", "parka"];
const CATEGORIES = ["Jackets", "Pants", "Kicks", "Tops", "Accessories", "Shorts"];
const isHit = (r: Json) => Number.isInteger(r.id) && typeof r.name === "string" && typeof r.category === "string" &&
  MONEY.test(String(r.default_price)) && MONEY.test(String(r.price));

function find(): void {
  const params = { headers: { "CF-Connecting-IP": `198.18.${__VU >> 8}.${__VU % 256}` } };
  group("find", () => {
    const suggest = track(http.get(`${BASE_URL}/search/suggest?q=${encodeURIComponent(pick(TYPED))}`, { ...params, tags: { route: "suggest" } }), "suggest");
    const s = body(suggest) as { results?: Json[] } | undefined;
    check(suggest, {
      "suggest: 200": (r) => r.status === 200,
      "suggest: at most 10 names": () => Array.isArray(s?.results) && s.results.length <= 10 && s.results.every((x) => Number.isInteger(x.id) && typeof x.name === "string"),
    });
    const search = track(http.get(`${BASE_URL}/search?q=${encodeURIComponent(pick(WORDS))}`, { ...params, tags: { route: "search" } }), "search");
    const found = body(search) as { results?: Json[]; next_cursor?: unknown } | undefined;
    check(search, {
      "search: 200": (r) => r.status === 200,
      "search: summaries": () => Array.isArray(found?.results) && found.results.every(isHit) && (found.next_cursor === null || typeof found.next_cursor === "string"),
    });
    const category = pick(CATEGORIES);
    const page = track(http.get(`${BASE_URL}/search?category=${category}&in_stock=true`, { ...params, tags: { route: "category" } }), "category");
    const listed = body(page) as { results?: Json[] } | undefined;
    check(page, {
      "category: 200": (r) => r.status === 200,
      "category: its products by id": () => Array.isArray(listed?.results) && listed.results.every((r, i, all) =>
        isHit(r) && r.category === category && (i === 0 || (r.id as number) > (all[i - 1]!.id as number))),
    });
  });
}

export function browse(data: { maxId: number }): void {
  find();
  const drawn = randomProductId(data.maxId);
  group("browse", () => {
    const after = drawn - 1;
    const list = track(http.get(`${BASE_URL}/products?${after > 0 ? `after=${after}&` : ""}count=5`, { tags: { route: "list" } }), "list");
    const rows = body(list) as Json[] | undefined;
    check(list, {
      "list: 200": (r) => r.status === 200,
      "list: products after the id, ascending": () => Array.isArray(rows) && rows.length >= 1 && rows.length <= 5 &&
        rows.every((p, i) => isProduct(p) && (p.id as number) > after && (i === 0 || (p.id as number) > (rows[i - 1]!.id as number))),
    });
    // The first product listed: the drawn id itself unless that one doesn't exist.
    const id = Array.isArray(rows) && Number.isInteger(rows[0]?.id) ? (rows[0]!.id as number) : drawn;

    const product = track(http.get(`${BASE_URL}/products/${id}`, { tags: { route: "product" } }), "product");
    const p = body(product) as Json | undefined;
    check(product, {
      "product: 200": (r) => r.status === 200,
      "product: shape": () => !!p && p.id === id && isProduct(p) && Array.isArray(p.features) &&
        (p.features as Json[]).every((f) => typeof f.feature === "string" && (f.value === null || typeof f.value === "string")),
    });

    const styles = track(http.get(`${BASE_URL}/products/${id}/styles`, { tags: { route: "styles" } }), "styles");
    const s = body(styles) as Json | undefined;
    check(styles, {
      "styles: 200": (r) => r.status === 200,
      "styles: shape": () => !!s && s.product_id === String(id) && Array.isArray(s.results) && (s.results as Json[]).every(isStyle),
    });

    const related = track(http.get(`${BASE_URL}/products/${id}/related`, { tags: { route: "related" } }), "related");
    const ids = body(related) as unknown[] | undefined;
    check(related, {
      "related: 200": (r) => r.status === 200,
      "related: distinct ids, not itself": () => Array.isArray(ids) && ids.every((x) => Number.isInteger(x) && x !== id) &&
        new Set(ids).size === ids.length,
    });
  });
}

export default browse;
export const handleSummary = summaryFor("browse");
