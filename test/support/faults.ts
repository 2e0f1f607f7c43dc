import { env } from "cloudflare:workers";
import { noteInjectedFault } from "./logs";

// Test doubles around the REAL bindings that fail on cue; everything they don't fail goes to the
// real binding, so the database and cache afterwards are real state to assert on. Each failure on cue
// is noted (noteInjectedFault), so the error lines it makes the Worker log are expected (./logs.ts).

const D1_OVERLOADED = "D1_ERROR: D1 DB is overloaded. Requests queued for too long.";
const never = <T>() => new Promise<T>(() => {});

export type KvFault = "throw" | "hang";

export function faultyKv(faults: { get?: KvFault; put?: KvFault; delete?: KvFault; deleteFailuresFrom?: number }, real: KVNamespace = env.CACHE) {
  const calls = { get: 0, put: 0, delete: 0 };
  const act = <T>(fault: KvFault | undefined, run: () => Promise<T>): Promise<T> => {
    if (fault !== undefined) noteInjectedFault();
    return fault === "throw" ? Promise.reject(new Error("KV GET failed: 503 Service Unavailable")) : fault === "hang" ? never<T>() : run();
  };
  const kv = {
    getWithMetadata: (key: string, type: "text") => { calls.get++; return act(faults.get, () => real.getWithMetadata(key, type)); },
    get: (key: string) => { calls.get++; return act(faults.get, () => real.get(key)); },
    put: (key: string, value: string, options?: KVNamespacePutOptions) => { calls.put++; return act(faults.put, () => real.put(key, value, options)); },
    delete: (key: string) => {
      calls.delete++;
      const failing = faults.delete ?? (faults.deleteFailuresFrom !== undefined && calls.delete >= faults.deleteFailuresFrom ? "throw" : undefined);
      return act(failing, () => real.delete(key));
    },
  };
  return { kv: kv as unknown as KVNamespace, calls };
}

/** D1 whose statements (reads: first/all/raw; writes: run/batch) fail the first `times` calls. */
export function faultyD1(faults: { reads?: number; writes?: number }, real: D1Database = env.DB) {
  const left = { reads: faults.reads ?? 0, writes: faults.writes ?? 0 };
  const fail = (kind: "reads" | "writes") => {
    if (left[kind] <= 0) return false;
    left[kind]--;
    noteInjectedFault();
    return true;
  };
  const statement = (stmt: D1PreparedStatement): D1PreparedStatement => ({
    bind: (...v: unknown[]) => statement(stmt.bind(...v)),
    first: (col?: string) => (fail("reads") ? Promise.reject(new Error(D1_OVERLOADED)) : col === undefined ? stmt.first() : stmt.first(col)),
    all: () => (fail("reads") ? Promise.reject(new Error(D1_OVERLOADED)) : stmt.all()),
    raw: (o?: { columnNames?: boolean }) => (fail("reads") ? Promise.reject(new Error(D1_OVERLOADED)) : stmt.raw(o as { columnNames: true })),
    run: () => (fail("writes") ? Promise.reject(new Error(D1_OVERLOADED)) : stmt.run()),
    __inner: stmt,
  }) as unknown as D1PreparedStatement;
  const target = (t: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => statement(t.prepare(sql)),
    batch: (stmts: D1PreparedStatement[]) => (fail("writes")
      ? Promise.reject(new Error(D1_OVERLOADED))
      : t.batch(stmts.map((s) => (s as unknown as { __inner: D1PreparedStatement }).__inner))),
  });
  const db = { ...target(real), withSession: (c?: string) => { const s = real.withSession(c); return { ...target(s), getBookmark: () => s.getBookmark() }; } };
  return { db: db as unknown as D1Database, left };
}

type Namespace = Env["ORDER_SERIALIZER"];
type Mode = "fail-before" | "lose-answer" | "always-fail";

/**
 * The serializer's namespace, whose stub fails the first call in one of three ways: before reaching
 * the object, after the object did the work (the answer is lost on the way back), or every time.
 */
export function faultySerializer(mode: Mode, real: Namespace = env.ORDER_SERIALIZER) {
  const calls = { attempts: 0 };
  const attempt = async <T>(call: () => Promise<T>): Promise<T> => {
    calls.attempts++;
    if (mode === "always-fail" || (mode === "fail-before" && calls.attempts === 1)) {
      noteInjectedFault();
      throw new Error("Durable Object reset because its code was updated.");
    }
    const result = await call();
    if (mode === "lose-answer" && calls.attempts === 1) {
      noteInjectedFault();
      throw new Error("Network connection lost.");
    }
    return result;
  };
  type Stub = ReturnType<Namespace["get"]>;
  const wrap = (stub: Stub) => ({
    placeOrder: (...a: Parameters<Stub["placeOrder"]>) => attempt(() => stub.placeOrder(...a)),
    cancelOrder: (...a: Parameters<Stub["cancelOrder"]>) => attempt(() => stub.cancelOrder(...a)),
    adjustStock: (...a: Parameters<Stub["adjustStock"]>) => attempt(() => stub.adjustStock(...a)),
  });
  const ns = { idFromName: (n: string) => real.idFromName(n), get: (id: DurableObjectId) => wrap(real.get(id)) };
  return { ns: ns as unknown as Namespace, calls };
}

/**
 * The real D1 (and its sessions), recording every batch as its statements' SQL and bound values, and
 * running `before` ahead of each one: a test can change rows "outside the serializer" at the exact
 * moment between a group's read and its write. Results are D1's own.
 */
export function interceptedD1(before: (batch: { sql: string; params: unknown[] }[]) => Promise<void> | void = () => {}, real: D1Database = env.DB) {
  type Recorded = D1PreparedStatement & { __inner: D1PreparedStatement; __sql: string; __params: unknown[] };
  const batches: { sql: string; params: unknown[] }[][] = [];
  const statement = (stmt: D1PreparedStatement, sql: string, params: unknown[] = []): Recorded => ({
    bind: (...v: unknown[]) => statement(stmt.bind(...v), sql, v),
    first: (col?: string) => (col === undefined ? stmt.first() : stmt.first(col)),
    all: () => stmt.all(),
    raw: (o?: { columnNames?: boolean }) => stmt.raw(o as { columnNames: true }),
    run: () => stmt.run(),
    __inner: stmt, __sql: sql, __params: params,
  }) as unknown as Recorded;
  const target = (t: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => statement(t.prepare(sql), sql),
    batch: async (stmts: D1PreparedStatement[]) => {
      const batch = (stmts as Recorded[]).map((s) => ({ sql: s.__sql, params: s.__params }));
      batches.push(batch);
      await before(batch);
      return t.batch((stmts as Recorded[]).map((s) => s.__inner));
    },
  });
  const db = { ...target(real), withSession: (c?: string) => { const s = real.withSession(c); return { ...target(s), getBookmark: () => s.getBookmark() }; } };
  /** Batches that write orders (the serializer's group writes, failed ones included). */
  const orderWrites = () => batches.filter((b) => b.some((s) => /^INSERT INTO orders\b/.test(s.sql)));
  return { db: db as unknown as D1Database, batches, orderWrites };
}

/**
 * The real KV, whose puts wait: until `release()` is called (`hold: "until-released"`), or for `delayMs`.
 * Reads and deletes go straight through, so a test can run a write while a cache fill is in flight.
 */
export function heldKv(hold: { delayMs?: number } = {}, real: KVNamespace = env.CACHE) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const calls = { put: 0, delete: 0 };
  const wait = () => (hold.delayMs === undefined ? released : new Promise<void>((resolve) => setTimeout(resolve, hold.delayMs)));
  const kv = {
    getWithMetadata: (key: string, type: "text") => real.getWithMetadata(key, type),
    get: (key: string) => real.get(key),
    put: async (key: string, value: string, options?: KVNamespacePutOptions) => { calls.put++; await wait(); return real.put(key, value, options); },
    delete: (key: string) => { calls.delete++; return real.delete(key); },
  };
  return { kv: kv as unknown as KVNamespace, calls, release };
}
