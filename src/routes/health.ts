import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";

// Touches no storage: the baseline every benchmark compares against.
export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(
  createRoute({
    method: "get", path: "/health", tags: ["Operations"], summary: "Liveness; touches no storage",
    responses: {
      200: {
        content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
        description: "The Worker is up",
      },
    },
  }),
  (c) => c.json({ status: "ok" as const }, 200),
);
