import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";

// The order serializer is created next to the D1 primary: SERIALIZER_LOCATION_HINT (wrangler.toml) is its
// locationHint. Locally the hint means nothing, so what is checked is what the namespace is asked for.
function recordingNamespace() {
  const calls: [string, DurableObjectNamespaceGetDurableObjectOptions | undefined][] = [];
  const ns = {
    idFromName: (name: string) => `id:${name}`,
    get: (id: string, options?: DurableObjectNamespaceGetDurableObjectOptions) => { calls.push([id, options]); return {}; },
  } as unknown as DurableObjectNamespace<OrderSerializer>;
  return { ns, calls };
}

const configured = env.SERIALIZER_LOCATION_HINT;
afterEach(() => { env.SERIALIZER_LOCATION_HINT = configured; });

describe("serializerStub", () => {
  it("asks for the one serializer with the configured location hint", () => {
    env.SERIALIZER_LOCATION_HINT = "weur";
    const { ns, calls } = recordingNamespace();
    serializerStub(ns);
    expect(calls).toEqual([["id:stock-v1", { locationHint: "weur" }]]);
  });

  it("asks for it with no hint when the var is empty, as locally", () => {
    env.SERIALIZER_LOCATION_HINT = "";
    const { ns, calls } = recordingNamespace();
    serializerStub(ns);
    expect(calls).toEqual([["id:stock-v1", undefined]]);
  });
});
