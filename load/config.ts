// Shared settings for every k6 scenario. Point BASE_URL at `wrangler dev` (127.0.0.1:8787) or a
// preview deployment; MAX_PRODUCT_ID at the catalog's highest id so ids are drawn from the whole range.
export const BASE_URL = (__ENV.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
export const ADMIN_TOKEN = __ENV.ADMIN_TOKEN ?? "dev-admin-token";
export const MAX_PRODUCT_ID = Number(__ENV.MAX_PRODUCT_ID ?? "3000");

export function randomProductId(): number {
  return 1 + Math.floor(Math.random() * MAX_PRODUCT_ID);
}

/** "hit" / "miss" from the Server-Timing header the API sends on cached routes, or null. */
export function cacheStatus(serverTiming: string | undefined): "hit" | "miss" | null {
  const match = /cache;desc=(hit|miss)/.exec(serverTiming ?? "");
  return match ? (match[1] as "hit" | "miss") : null;
}
