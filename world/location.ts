import type { D1Central } from "./d1-world";
import { namespaceFrom } from "./durable-object";
import { type KvGate, LocationKv } from "./kv-world";
import { LocationD1 } from "./location-d1";
import { locationRules, type LocationRules, type WorldRules } from "./rules";

// One location of the world: the bindings its Worker sees (D1 with this location's sessions and round
// trips, the serializer a round trip away) and its own KV copies. What it shares with the others (the D1
// world, KV's write gate, the KV store) is passed in: an object in tests, RPC stubs in `npm run serve`.

export interface Shared {
  d1: D1Central;
  kvGate: KvGate;
  kvStore: KVNamespace;
}

export class WorldLocation {
  readonly rules: LocationRules;
  readonly d1: LocationD1;
  readonly kv: LocationKv;

  constructor(readonly world: WorldRules, name: string, shared: Shared) {
    this.rules = locationRules(world, name);
    this.d1 = new LocationD1(shared.d1, world, this.rules);
    this.kv = new LocationKv(shared.kvStore, shared.kvGate, world, this.rules);
  }

  /**
   * The Worker's bindings here: `base` with D1 and the serializer as this location sees them, and KV as
   * CACHE (the binding the KV-cached design before issue 20 read, so that design can be run here too).
   */
  env<E extends { DB: D1Database; ORDER_SERIALIZER: object }>(base: E): E {
    return {
      ...base, DB: this.d1.asBinding(), CACHE: this.kv.asBinding(),
      ORDER_SERIALIZER: namespaceFrom(base.ORDER_SERIALIZER, this.world, this.rules),
    };
  }

  /** A request as it arrives here: `request.cf.colo` names the location. */
  request(input: string | Request, init?: RequestInit): Request {
    return new Request(new Request(input, init), { cf: { colo: this.rules.name } } as RequestInit);
  }
}
