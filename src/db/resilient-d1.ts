/** What the services need of D1: a database, a session, or a test double all fit. */
export type Db = Pick<D1Database, "prepare" | "batch">;

/**
 * D1 failed for a reason of its own (overloaded, timeout, reset, network), not because of what was asked:
 * nothing was changed, and the same request may succeed shortly. `what` is the call that failed
 * ("statement", "statement retry", "batch"); `cause` is D1's own error. The edge decides what the client
 * hears (src/middleware/render-error.ts: 503 UNAVAILABLE with Retry-After).
 */
export class D1Unavailable extends Error {
  /**
   * True when what failed may have been a write that committed before the failure (a write session's
   * call that D1 didn't refuse up front): the edge then answers OUTCOME_UNKNOWN, not UNAVAILABLE.
   */
  readonly maybeWritten: boolean;

  constructor(readonly what: string, cause: unknown, writes: boolean) {
    super(`D1 is unavailable (${what} failed)`, { cause });
    this.name = "D1Unavailable";
    this.maybeWritten = writes && !refusedUpFront(cause);
  }
}

// D1 says so when it refused a call before running it (its queue was full): nothing was written.
const refusedUpFront = (err: unknown) => /overloaded|queued for too long/i.test(err instanceof Error ? err.message : String(err));

// A constraint failure is an answer (out of stock, duplicate key); a programming error is a bug (500).
// Anything else D1 throws — overloaded, timeout, reset, network — is the platform having a bad day.
const isAnswer = (message: string) => /constraint failed/i.test(message);
const isBug = (message: string) => /SQLITE_ERROR|SQLITE_RANGE|no such (table|column)|syntax error/i.test(message);

function isTransientD1Error(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return !isAnswer(message) && !isBug(message);
}

function classify(err: unknown, what: string, writes: boolean): unknown {
  if (!isTransientD1Error(err)) return err;
  console.error(JSON.stringify({ level: "error", event: "d1_unavailable", what, error: String(err) }));
  return new D1Unavailable(what, err, writes);
}

const inner = new WeakMap<object, D1PreparedStatement>();

export interface ResilienceOptions {
  /**
   * Retry a statement once after a transient failure. Only the caller knows whether what it runs is safe
   * to run twice (a GET's session: yes; a write, or a `WITH … INSERT`, no), so it says so; guessing
   * from the SQL text would one day retry a write that happens to start like a read. Default: never.
   */
  retryReads?: boolean;
}

/**
 * Wraps D1 so transient failures become D1Unavailable (a 503, not a 500, at the edge) and, when
 * the caller declares its statements safe to repeat, retries one once first. Batches are never retried
 * here: each is applied whole or not at all, and whether it landed is something the client can read back
 * (or retry with its key).
 */
export function resilientDb(db: Db, options: ResilienceOptions = {}): Db {
  const retry = options.retryReads === true;
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const attempt = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (first) {
        if (!retry || !isTransientD1Error(first)) throw classify(first, "statement", !retry);
        try {
          return await fn();
        } catch (second) {
          throw classify(second, "statement retry", false);
        }
      }
    };
    const wrapped = {
      bind: (...values: unknown[]) => wrap(stmt.bind(...values)),
      first: (column?: string) => attempt(() => (column === undefined ? stmt.first() : stmt.first(column))),
      all: () => attempt(() => stmt.all()),
      run: () => attempt(() => stmt.run()),
      raw: (options?: { columnNames?: boolean }) => attempt(() => stmt.raw(options as { columnNames: true })),
    } as unknown as D1PreparedStatement;
    inner.set(wrapped, stmt);
    return wrapped;
  };
  return {
    prepare: (sql: string) => wrap(db.prepare(sql)),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      try {
        return await db.batch<T>(statements.map((s) => inner.get(s) ?? s));
      } catch (err) {
        throw classify(err, "batch", !retry);
      }
    },
  };
}
