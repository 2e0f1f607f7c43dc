// `POST /__bench/carts` (bench entry only): a mixed run against the order serializer over RPC, as the
// routes call it, with the serializer's D1 `BENCH_D1_RTT_MS` away (index.ts). The same number of
// closed-loop callers for each kind, each making calls of its kind only, so their rates compare: order
// callers (placeOrder), hold callers (PUT a quantity on their own cart), release callers (DELETE a line of
// a prepared cart) and checkout callers (check out a prepared cart once a line was released). Preparers
// fill carts with two holds and abandon every fifth, which then expires; a canceller cancels a placed
// order every 0.25 s and a restocker adds units every 0.5 s. Every 0.5 s the sampler reads one D1
// snapshot and checks the invariants (carts-ledger.ts). After the run nothing is sent: it waits for the
// alarm's sweeps to give every held unit back.
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { conserved, readLedger, type SkuLedger, violations } from "./carts-ledger";

interface Settings { callers: number; preparers: number; seconds: number; warmup: number; hot: number[]; spread: number[]; hotStock: number; spreadStock: number; holdMs: number }
type Kind = "order" | "cancel" | "create" | "hold" | "release" | "checkout" | "restock" | "prep-hold";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function driveCarts(request: Request, env: Env): Promise<Response> {
  const s = (await request.json()) as Settings;
  const stub = serializerStub(env.ORDER_SERIALIZER);
  const skus = [...s.hot, ...s.spread];
  // A fifth of the picks go to the few hot skus, whose low stock makes buyers and holders collide.
  const pick = () => { const set = Math.random() < 0.2 ? s.hot : s.spread; return set[Math.floor(Math.random() * set.length)]!; };
  let keyN = 0;
  const key = () => `bench-carts:${crypto.randomUUID()}:${keyN++}`;

  // The starting stock, set through the serializer like any restock (so the ledger balances from here).
  for (const l of await readLedger(env.DB, skus)) {
    const target = s.hot.includes(l.sku) ? s.hotStock : s.spreadStock;
    const delta = target - l.quantity;
    if (delta !== 0) await stub.adjustStock({ skuId: l.sku, delta, idempotencyKey: key(), requestHash: "bench" });
  }
  const start = await readLedger(env.DB, skus);
  const base = new Map(start.map((l) => [l.sku, conserved(l)]));

  const t0 = Date.now(), measureFrom = t0 + s.warmup * 1000, stopAt = measureFrom + s.seconds * 1000;
  const done: Record<string, number[]> = {};
  const other: Record<string, number> = {};
  const note = (what: string) => { other[what] = (other[what] ?? 0) + 1; };
  /** Times one call; counts it under `kind` when it succeeded inside the measured window. */
  async function timed<T extends { ok: boolean; code?: string }>(kind: Kind, call: () => Promise<T>): Promise<T | null> {
    const started = performance.now();
    try {
      const outcome = await call();
      const now = Date.now();
      if (outcome.ok && now >= measureFrom && now <= stopAt) (done[kind] ??= []).push(performance.now() - started);
      if (!outcome.ok) note(`${kind} ${outcome.code}`);
      return outcome;
    } catch (err) {
      note(`${kind} thrown ${String(err).slice(0, 60)}`);
      return null;
    }
  }
  const running = () => Date.now() < stopAt;
  /** Carts with one held line, waiting for a release caller; then (one line left) for a checkout caller. */
  const toRelease: { cartId: string; sku: number; at: number }[] = [];
  const toCheckout: { cartId: string; at: number }[] = [];
  const abandoned: string[] = [];
  const placed: string[] = [];
  const newCart = async () => {
    const id = `cart_bench${crypto.randomUUID().replaceAll("-", "")}`;
    return (await timed("create", () => stub.createCart(id)))?.ok ? id : null;
  };
  /** A pooled cart too old to be sure it is still held when the call lands is left to expire (the sweep frees it). */
  const fresh = (at: number) => Date.now() - at <= s.holdMs - 2_000;

  const orderCaller = async () => {
    while (running()) {
      const o = await timed("order", () => stub.placeOrder({ items: [{ sku_id: pick(), quantity: 1 }], idempotencyKey: key(), requestHash: "bench" }));
      if (o?.ok) placed.push((o as unknown as { orderId: string }).orderId);
    }
  };
  // Every call a hold: a new line, or a new quantity (up or down) for one of the cart's three lines.
  const holdCaller = async () => {
    const cart = await newCart();
    const lines: number[] = [];
    while (running() && cart) {
      const sku = lines.length < 3 ? pick() : lines[Math.floor(Math.random() * lines.length)]!;
      const r = await timed("hold", () => stub.setCartItem(cart, sku, 1 + Math.floor(Math.random() * 3)));
      if (r?.ok && !lines.includes(sku)) lines.push(sku);
    }
    if (cart) abandoned.push(cart);
  };
  // Every call a release (DELETE): one line of a prepared cart, which then goes on to a checkout caller.
  const releaseCaller = async () => {
    while (running()) {
      const entry = toRelease.shift();
      if (!entry) { await sleep(5); continue; }
      if (!fresh(entry.at)) { abandoned.push(entry.cartId); continue; }
      const r = await timed("release", () => stub.setCartItem(entry.cartId, entry.sku, 0));
      if (r?.ok) toCheckout.push({ cartId: entry.cartId, at: Date.now() });
    }
  };
  const checkoutCaller = async () => {
    while (running()) {
      const entry = toCheckout.shift();
      if (!entry) { await sleep(5); continue; }
      if (!fresh(entry.at)) { abandoned.push(entry.cartId); continue; }
      await timed("checkout", () => stub.checkoutCart({ cartId: entry.cartId, idempotencyKey: key(), requestHash: `cart:${entry.cartId}`, ifMatch: null }));
    }
  };
  // Carts with two held lines; every fifth is abandoned at once, to expire on its own.
  const preparer = async () => {
    for (let n = 1; running(); n++) {
      if (toRelease.length >= s.callers * 4) { await sleep(5); continue; }
      const cart = await newCart();
      if (!cart) continue;
      const first = pick(), second = pick();
      const a = await timed("prep-hold", () => stub.setCartItem(cart, first, 1));
      const b = first === second ? a : await timed("prep-hold", () => stub.setCartItem(cart, second, 1));
      if (n % 5 === 0 || !a?.ok || !b?.ok || first === second) abandoned.push(cart);
      else toRelease.push({ cartId: cart, sku: first, at: Date.now() });
    }
  };
  const canceller = async () => {
    while (running()) {
      await sleep(250);
      const id = placed.splice(Math.floor(Math.random() * placed.length), 1)[0];
      if (id) await timed("cancel", () => stub.cancelOrder(id));
    }
  };
  const restocker = async () => {
    while (running()) {
      await sleep(500);
      await timed("restock", () => stub.adjustStock({ skuId: s.hot[Math.floor(Math.random() * s.hot.length)]!, delta: 4, idempotencyKey: key(), requestHash: "bench" }));
    }
  };
  const samples: { at: number; expiredUnswept: number; held: number }[] = [];
  const broken: string[] = [];
  const sample = async () => {
    const now = Date.now();
    const ledger: SkuLedger[] = await readLedger(env.DB, skus, now);
    broken.push(...violations(ledger, base));
    samples.push({ at: now - t0, expiredUnswept: ledger.reduce((n, l) => n + l.lines - l.live, 0), held: ledger.reduce((n, l) => n + l.held, 0) });
  };
  const sampler = async () => { while (running()) { await sample(); await sleep(500); } };

  const times = (n: number, f: () => Promise<void>) => Array.from({ length: n }, f);
  await Promise.all([
    ...times(s.callers, orderCaller), ...times(s.callers, holdCaller), ...times(s.callers, releaseCaller),
    ...times(s.callers, checkoutCaller), ...times(s.preparers, preparer), canceller(), restocker(), sampler(),
  ]);
  abandoned.push(...toRelease.map((p) => p.cartId), ...toCheckout.map((p) => p.cartId));
  await sample();

  // Nothing is sent to the serializer any more: the alarm alone must give every held unit back.
  const latest = await env.DB.prepare("SELECT max(expires_at) AS at FROM cart_items").first<string | null>("at");
  const lastExpiry = latest === null ? Date.now() : Date.parse(latest);
  let freedAt: number | null = null;
  while (Date.now() < lastExpiry + 60_000) {
    await sleep(1_000);
    await sample();
    if (samples[samples.length - 1]!.held === 0) { freedAt = Date.now(); break; }
  }
  const end = await readLedger(env.DB, skus);
  const rate = (kind: Kind) => {
    const ms = [...(done[kind] ?? [])].sort((a, b) => a - b);
    const at = (p: number) => (ms.length === 0 ? null : ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]!);
    return { count: ms.length, perSecond: ms.length / s.seconds, p50: at(50), p99: at(99) };
  };
  const kinds: Kind[] = ["order", "hold", "release", "checkout", "create", "prep-hold", "cancel", "restock"];
  return Response.json({
    settings: s, rates: Object.fromEntries(kinds.map((k) => [k, rate(k)])), other,
    samples: samples.length, violations: broken.slice(0, 20), violationCount: broken.length,
    maxExpiredUnswept: Math.max(0, ...samples.map((x) => x.expiredUnswept)),
    abandonedCarts: abandoned.length, freedAfterLastExpiryMs: freedAt === null ? null : freedAt - lastExpiry,
    end: { held: end.reduce((n, l) => n + l.held, 0), lines: end.reduce((n, l) => n + l.lines, 0), conserved: end.every((l) => conserved(l) === base.get(l.sku)) },
  });
}
