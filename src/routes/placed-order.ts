import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { queueLimits } from "../durable-objects/order-serializer";
import { callSerializer, type Stub, throwFailure } from "../durable-objects/serializer-client";
import type { AppEnv } from "../middleware/app-env";
import { bookmarkHeader } from "../middleware/d1-session";
import type { OrderSchema } from "../schemas/orders";
import type { PlaceOrderOutcome, WithBookmark } from "../services/order-outcome";
import { rawJson } from "./raw-json";

/**
 * Places an order through the serializer under `key` (POST /orders, a cart's checkout) and answers it:
 * 201 with the order, its Location, the write's bookmark and `Idempotent-Replayed` for a replay.
 */
export async function placeOrderVia(c: Context<AppEnv>, key: string, call: (stub: Stub) => Promise<WithBookmark<PlaceOrderOutcome>>) {
  const outcome = await callSerializer(c.env.ORDER_SERIALIZER, call, { key, deadlineMs: queueLimits(c.env).maxWaitMs });
  if (!outcome.ok) throwFailure(outcome);
  const headers: Record<string, string> = { Location: `/orders/${outcome.orderId}`, ...bookmarkHeader(outcome.bookmark) };
  if (outcome.replayed) headers["Idempotent-Replayed"] = "true";
  return rawJson<z.infer<typeof OrderSchema>, 201>(c, outcome.body, 201, headers);
}
