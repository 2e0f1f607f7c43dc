import type { ReadCache } from "../cache/read-cache";
import type { Db } from "../db/resilient-d1";

// The Hono environment every route and middleware shares: Worker bindings plus per-request values.
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** This request's D1 session (see d1-session.ts), wrapped so a D1 fault is D1Unavailable (a 503). */
    db: Db;
    /** The bookmark of this request's session so far (null before its first query). */
    sessionBookmark: () => string | null;
    /** This isolate's read cache (one per app: src/cache/read-cache.ts). */
    readCache: ReadCache;
  };
}
