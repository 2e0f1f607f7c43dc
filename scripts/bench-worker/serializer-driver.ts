// `POST /__bench/serializer {"buyers", "seconds", "skus"}` (bench entry only): `buyers` closed loops
// inside the Worker, each calling the serializer's placeOrder over RPC as the route does (1 line of
// 1 unit on a random sku, its own key), for `seconds`. Answers orders/s and p50/p99 of placed orders.
// This is the serializer's ceiling without HTTP parsing and routing per order.
import { serializerStub } from "../../src/durable-objects/serializer-client";

export async function driveSerializer(request: Request, env: Env): Promise<Response> {
  const { buyers, seconds, skus } = (await request.json()) as { buyers: number; seconds: number; skus: number[] };
  const stub = serializerStub(env.ORDER_SERIALIZER);
  const placed: number[] = [];
  const other: Record<string, number> = {};
  const started = Date.now();
  const stopAt = started + seconds * 1000;
  await Promise.all(Array.from({ length: buyers }, async () => {
    while (Date.now() < stopAt) {
      const t = performance.now();
      try {
        const outcome: { ok: boolean; code?: string } = await stub.placeOrder({
          items: [{ sku_id: skus[Math.floor(Math.random() * skus.length)]!, quantity: 1 }],
          idempotencyKey: `bench:${crypto.randomUUID()}`, requestHash: "bench",
        });
        if (outcome.ok) placed.push(performance.now() - t);
        else other[outcome.code!] = (other[outcome.code!] ?? 0) + 1;
      } catch (err) {
        const key = `thrown ${String(err).slice(0, 60)}`;
        other[key] = (other[key] ?? 0) + 1;
      }
    }
  }));
  const elapsed = (Date.now() - started) / 1000;
  placed.sort((a, b) => a - b);
  const at = (p: number) => (placed.length === 0 ? null : placed[Math.min(placed.length - 1, Math.ceil((p / 100) * placed.length) - 1)]!);
  return Response.json({ placed: placed.length, seconds: elapsed, perSecond: placed.length / elapsed, p50: at(50), p99: at(99), other });
}
