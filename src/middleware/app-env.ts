import type { Db } from "../db/resilient-d1";

// The Hono environment every route and middleware shares: Worker bindings plus per-request values.
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** This request's D1 session (see d1-session.ts), wrapped so a D1 fault is D1Unavailable (a 503). */
    db: Db;
    /** True when the client sent a bookmark: it wants at least that fresh, so KV is skipped. */
    bookmarkSent: boolean;
  };
}
