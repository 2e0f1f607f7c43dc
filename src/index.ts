import { app } from "./app";

export { OrderSerializer } from "./durable-objects/order-serializer";
export type { AppType } from "./app";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
