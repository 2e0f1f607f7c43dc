import { type LocationRules, roundTrip, type WorldRules } from "./rules";

// The order serializer lives in one location (`do_location`); a call from anywhere pays that location's
// round trip to it, half on the way there and half on the way back.

type Callable = Record<string | symbol, (...args: unknown[]) => Promise<unknown>>;

/** A stub whose every RPC method pays the round trip (a plain object: no property of the real stub is copied). */
function distantStub(stub: object, rules: WorldRules, half: number): object {
  return new Proxy({}, {
    get(_, method) {
      if (method === "then") return undefined; // not a promise
      return async (...args: unknown[]) => {
        await roundTrip(rules, half);
        try {
          return await (stub as Callable)[method]!(...args);
        } finally {
          await roundTrip(rules, half);
        }
      };
    },
  });
}

export function namespaceFrom<N extends object>(real: N, rules: WorldRules, caller: LocationRules): N {
  const ns = real as unknown as DurableObjectNamespace;
  const half = caller.durable_object / 2;
  return {
    idFromName: (name: string) => ns.idFromName(name),
    idFromString: (id: string) => ns.idFromString(id),
    newUniqueId: (options?: DurableObjectNamespaceNewUniqueIdOptions) => ns.newUniqueId(options),
    get: (id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) => distantStub(ns.get(id, options), rules, half),
  } as unknown as N;
}
