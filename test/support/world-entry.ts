import worker from "../../src/index";
import { OrderSerializer as Serializer } from "../../src/durable-objects/order-serializer";

// The Worker entry the test pool runs (vitest.config.mts `main`): the real Worker, and the real order
// serializer whose bindings, while a production world is running (test/support/world.ts), are the world's
// as its location sees them. Outside a world every binding is the real one, untouched.

type EnvView = (base: Env) => Env;
let worldView: EnvView | null = null;

/** While set, the serializer sees its bindings through `view` (the world's location of the object). */
export function viewSerializerEnv(view: EnvView | null): void {
  worldView = view;
}

export class OrderSerializer extends Serializer {
  constructor(ctx: DurableObjectState, env: Env) {
    // Read on every access: the object outlives a test's world, and may start before one.
    super(ctx, new Proxy(env, { get: (target, prop) => Reflect.get(worldView ? worldView(target) : target, prop) }));
  }
}

export default worker;
