// The Worker as deployed (src/index.ts), plus two knobs for `npm run bench` only:
// - the var BENCH_D1_RTT_MS gives the order serializer a D1 binding with that many ms of simulated
//   round trip (round-trip-d1.ts);
// - POST /__bench/serializer drives the serializer from inside the Worker (serializer-driver.ts), to
//   measure its own ceiling without the HTTP front in the way;
// - POST /__bench/carts runs the carts bench's mixed run the same way (carts-driver.ts).
// `npm run bench -- orders` and `npm run bench -- carts` bundle THIS file instead of src/index.ts; the
// deployed Worker's entry is src/index.ts, which never imports anything under scripts/.
import worker, { OrderSerializer as Serializer } from "../../src/index";
import { withRoundTrip } from "./round-trip-d1";
import { driveCarts } from "./carts-driver";
import { driveSerializer } from "./serializer-driver";

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const path = new URL(request.url).pathname;
    if (path === "/__bench/serializer") return driveSerializer(request, env);
    if (path === "/__bench/carts") return driveCarts(request, env);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;

export class OrderSerializer extends Serializer {
  constructor(ctx: DurableObjectState, env: Env) {
    const rtt = Number((env as unknown as Record<string, string | undefined>).BENCH_D1_RTT_MS ?? "0");
    super(ctx, rtt > 0 ? { ...env, DB: withRoundTrip(env.DB, rtt) } : env);
  }
}
