import { DurableObject } from "cloudflare:workers";

// Placeholder until the orders issue lands: the class must exist for the binding declared in wrangler.toml.
export class OrderSerializer extends DurableObject<Env> {}
