// Every number the freshness argument rests on, in one place; test/cache/timing.test.ts asserts the
// inequalities between them, so a change that breaks the argument fails CI (docs/decisions/freshness.md).

/** The contract: stock changed by orders (and carts) may lag where the change was made by at most this. */
export const ORDER_STOCK_LAG_MS = 2_000;

/** The contract: other locations see a write within this plus the replicas' lag. */
export const ELSEWHERE_LAG_MS = 60_000;

/**
 * The replica lag this design is sized for. D1 publishes no bound; the production world uses 500 ms
 * (world/locations.json). Past it the order-stock promise degrades by the excess, nothing else does.
 */
export const ASSUMED_REPLICA_LAG_MS = 500;

/** The read cache's default lifetime (the READ_CACHE_MS var), judged from when the D1 read was sent. */
export const DEFAULT_READ_CACHE_MS = 1_000;

/** READ_CACHE_MS is clamped to this, so no setting can break the order-stock promise. */
export const MAX_READ_CACHE_MS = ORDER_STOCK_LAG_MS - ASSUMED_REPLICA_LAG_MS;

/** A write polls its location's replica this often until the replica shows it... */
export const REPLICA_POLL_MS = 25;

/** ...for at most this long; past it the write answers anyway (and logs it): a D1 incident, not a 503. */
export const REPLICA_WAIT_MAX_MS = 5_000;

/** At most this many answers per isolate: the oldest is forgotten first. */
export const READ_CACHE_ENTRIES = 5_000;
