// The Worker as deployed (src/index.ts), plus two knobs for `npm run bench` only:
// - the var BENCH_D1_RTT_MS gives the order serializer a D1 binding with that many ms of simulated
//   round trip (round-trip-d1.ts);
// - POST /__bench/serializer drives the serializer from inside the Worker (serializer-driver.ts), to
//   measure its own ceiling without the HTTP front in the way.
// `npm run bench -- orders` bundles THIS file instead of src/index.ts (scripts/bench-orders.ts); the
// deployed Worker's entry is src/index.ts, which never imports anything under scripts/.
import worker, { OrderSerializer as Serializer } from "../../src/index";
import { withRoundTrip } from "./round-trip-d1";
import { driveSerializer } from "./serializer-driver";

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/__bench/serializer") return driveSerializer(request, env);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;

export class OrderSerializer extends Serializer {
  constructor(ctx: DurableObjectState, env: Env) {
    const rtt = Number((env as unknown as Record<string, string | undefined>).BENCH_D1_RTT_MS ?? "0");
    super(ctx, rtt > 0 ? { ...env, DB: withRoundTrip(env.DB, rtt) } : env);
  }
}
