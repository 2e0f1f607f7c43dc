// autocannon 8 ships no types and @types/autocannon is not a dependency: this declares only the part of
// its programmatic API that scripts/lib/bench-kit.ts uses (see node_modules/autocannon/README.md).
declare module "autocannon" {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before every send of this request; the returned request is what goes on the wire. */
    setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  }

  export interface AutocannonResult { duration: number; errors: number; non2xx: number; requests: { total: number } }

  /** What autocannon(opts) returns without a callback: an event emitter that is also a promise. */
  export interface AutocannonInstance extends PromiseLike<AutocannonResult> {
    /** "response": (client, statusCode, resBytes, responseTimeMs) for every response. */
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): this;
  }

  export default function autocannon(opts: { url: string; connections: number; duration: number; requests: AutocannonRequest[]; timeout: number }): AutocannonInstance;
}
