// The soak's load: requests started at a FIXED RATE (open loop, so a slower server gets the same
// offered load instead of less), at most `maxInFlight` at once, mixing catalog reads, orders, order
// reads and product churn. Each response's latency goes into the bucket of the minute it started in.
import { loadavg } from "node:os";
import { ADMIN_TOKEN, percentile } from "./scale-report";
import type { ScaleFacts } from "./scale-state";

export const KINDS = ["product", "styles", "related", "list", "order-read", "order", "churn"] as const;
export type Kind = (typeof KINDS)[number];
// Share of the fixed rate per kind (churn runs on its own clock, `churnPerSecond`).
const MIX: [Kind, number][] = [["product", 30], ["styles", 25], ["related", 10], ["list", 10], ["order-read", 10], ["order", 15]];

export interface SoakSettings { minutes: number; rate: number; maxInFlight: number; churnPerSecond: number; warmupSeconds: number }
export interface Minute {
  minute: number; load1: number; requests: number; skipped: number; errors: number;
  statuses: Record<string, number>; lat: Record<string, number[]>;
}
export interface MinuteStats { minute: number; load1: number; requests: number; skipped: number; errors: number;
  statuses: Record<string, number>; p50: Record<string, number>; p99: Record<string, number> }

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
let client = 0;
const ip = () => `198.18.${1 + (client >> 8) % 200}.${client++ % 256}`; // RFC 2544 range, far below 1,000/min each
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" };

export async function soak(base: string, facts: ScaleFacts, s: SoakSettings, onMinute: (m: MinuteStats) => void): Promise<MinuteStats[]> {
  const orderIds: string[] = [];
  const churn: { id: number | null; step: number } = { id: null, step: 0 };
  const minutes: Minute[] = [];
  const loadStart = performance.now();
  const start = loadStart + s.warmupSeconds * 1000; // the same load runs during the warm-up, unrecorded
  const end = start + s.minutes * 60_000;
  const discard = (): Minute => ({ minute: 0, load1: 0, requests: 0, skipped: 0, errors: 0, statuses: {}, lat: {} });
  let inFlight = 0;
  const bucket = (t: number) => {
    if (t < start) return discard();
    const m = Math.floor((t - start) / 60_000);
    while (minutes.length <= m) minutes.push({ minute: minutes.length + 1, load1: 0, requests: 0, skipped: 0, errors: 0, statuses: {}, lat: {} });
    return minutes[m]!;
  };

  function request(kind: Kind): [string, RequestInit] {
    const id = pick(facts.productIds);
    switch (kind) {
      case "product": return [`/products/${id}`, {}];
      case "styles": return [`/products/${id}/styles`, {}];
      case "related": return [`/products/${id}/related`, {}];
      case "list": return [Math.random() < 0.5 ? "/products?count=5" : `/products?after=${id}&count=5`, {}];
      case "order-read": return orderIds.length === 0 ? ["/health", {}] : [`/orders/${pick(orderIds)}`, {}];
      case "order": return ["/orders", { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip() },
        body: JSON.stringify({ items: [{ sku_id: pick(facts.skuIds), quantity: 1 }] }) }];
      case "churn": { // create → patch → delete, one step per tick
        const step = churn.id === null ? 0 : churn.step;
        if (step === 0) return ["/products", { method: "POST", headers: admin, body: JSON.stringify({
          name: `soak churn ${Date.now()}`, category: "Soak", default_price: "12.00", features: [{ feature: "Fabric", value: "Canvas" }] }) }];
        if (step === 1) return [`/products/${churn.id}`, { method: "PATCH", headers: admin, body: JSON.stringify({ default_price: "13.50" }) }];
        return [`/products/${churn.id}`, { method: "DELETE", headers: admin }];
      }
    }
  }

  async function send(kind: Kind) {
    const t0 = performance.now();
    const m = bucket(t0);
    if (inFlight >= s.maxInFlight) { m.skipped++; return; }
    inFlight++;
    const [path, init] = request(kind);
    let status = 0;
    let body = "";
    try {
      const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(10_000) });
      status = res.status;
      body = await res.text();
    } catch { status = 0; }
    inFlight--;
    const ms = performance.now() - t0;
    m.requests++;
    m.statuses[status] = (m.statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 300) { m.errors++; if (kind === "churn") churn.id = null; return; }
    (m.lat[kind] ??= []).push(ms);
    (m.lat.all ??= []).push(ms);
    if (kind === "order") { orderIds.push((JSON.parse(body) as { id: string }).id); if (orderIds.length > 2000) orderIds.shift(); }
    if (kind === "churn") {
      if (churn.id === null || churn.step === 0) { churn.id = (JSON.parse(body) as { id: number }).id; churn.step = 1; }
      else if (churn.step === 1) churn.step = 2;
      else { churn.id = null; churn.step = 0; }
    }
  }

  const weights = MIX.reduce((a, [, w]) => a + w, 0);
  const kindAt = (r: number) => { for (const [k, w] of MIX) { if ((r -= w) < 0) return k; } return MIX[0]![0]; };
  const pending = new Set<Promise<void>>();
  const launch = (kind: Kind) => { const p = send(kind).finally(() => pending.delete(p)); pending.add(p); };
  let sent = 0, churned = 0, reported = 0;
  const stats = (m: Minute): MinuteStats => ({ minute: m.minute, load1: m.load1, requests: m.requests, skipped: m.skipped, errors: m.errors,
    statuses: m.statuses,
    p50: Object.fromEntries(Object.entries(m.lat).map(([k, v]) => [k, percentile(v, 50)])),
    p99: Object.fromEntries(Object.entries(m.lat).map(([k, v]) => [k, percentile(v, 99)])) });
  while (performance.now() < end) {
    const elapsed = (performance.now() - loadStart) / 1000;
    for (; sent < elapsed * s.rate; sent++) launch(kindAt(Math.random() * weights));
    for (; churned < elapsed * s.churnPerSecond; churned++) launch("churn");
    bucket(performance.now()).load1 = loadavg()[0]!;
    // A minute is reported once the next one has started (its last responses may still land in it).
    while (reported < minutes.length - 1 && performance.now() - start > (reported + 1) * 60_000 + 10_000) onMinute(stats(minutes[reported++]!));
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(pending);
  const full = minutes.slice(0, s.minutes); // a sliver past the end would be a partial minute
  while (reported < full.length) onMinute(stats(full[reported++]!));
  return full.map(stats);
}
