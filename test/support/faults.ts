import { env } from "cloudflare:workers";
import { noteInjectedFault } from "./logs";

// Test doubles around the REAL bindings that fail on cue; everything they don't fail goes to the
// real binding, so the database and cache afterwards are real state to assert on. Each failure on cue
// is noted (noteInjectedFault), so the error lines it makes the Worker log are expected (./logs.ts).

const D1_OVERLOADED = "D1_ERROR: D1 DB is overloaded. Requests queued for too long.";

/**
 * D1 whose statements (reads: first/all/raw; writes: run/batch) fail the first `times` calls, refused up
 * front as D1 refuses when overloaded; with `lostAnswers`, a failing batch runs first and its answer is lost.
 */
export function faultyD1(faults: { reads?: number; writes?: number; lostAnswers?: boolean }, real: D1Database = env.DB) {
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
    batch: async (stmts: D1PreparedStatement[]) => {
      const inner = stmts.map((s) => (s as unknown as { __inner: D1PreparedStatement }).__inner);
      if (!fail("writes")) return t.batch(inner);
      if (!faults.lostAnswers) throw new Error(D1_OVERLOADED);
      await t.batch(inner);
      throw new Error("D1_ERROR: Network connection lost.");
    },
  });
  const db = { ...target(real), withSession: (c?: string) => { const s = real.withSession(c); return { ...target(s), getBookmark: () => s.getBookmark() }; } };
  return { db: db as unknown as D1Database, left };
}

type Namespace = Env["ORDER_SERIALIZER"];
type Mode = "fail-before" | "lose-answer" | "always-fail" | "overloaded" | "hang" | "lose-first-answer-then-fail";

/**
 * The serializer's namespace, whose stub fails in one of these ways: the first call before reaching the
 * object ("fail-before"); the first call after the object did the work, its answer lost on the way back
 * ("lose-answer"); that, then the retry failing too ("lose-first-answer-then-fail"); every call, before
 * reaching the object ("always-fail"); every call refused by the runtime as overloaded, which Cloudflare
 * marks `overloaded` and never delivers ("overloaded"); or every call never answering ("hang").
 */
export function faultySerializer(mode: Mode, real: Namespace = env.ORDER_SERIALIZER) {
  const calls = { attempts: 0 };
  const attempt = async <T>(call: () => Promise<T>): Promise<T> => {
    calls.attempts++;
    const first = calls.attempts === 1;
    if (mode === "hang") { noteInjectedFault(); return new Promise<T>(() => {}); }
    if (mode === "overloaded") {
      noteInjectedFault();
      throw Object.assign(new Error("Durable Object is overloaded. Too many requests queued."), { overloaded: true });
    }
    if (mode === "always-fail" || (mode === "fail-before" && first) || (mode === "lose-first-answer-then-fail" && !first)) {
      noteInjectedFault();
      throw new Error("Durable Object reset because its code was updated.");
    }
    const result = await call();
    if ((mode === "lose-answer" || mode === "lose-first-answer-then-fail") && first) {
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
    createCart: (...a: Parameters<Stub["createCart"]>) => attempt(() => stub.createCart(...a)),
    setCartItem: (...a: Parameters<Stub["setCartItem"]>) => attempt(() => stub.setCartItem(...a)),
    checkoutCart: (...a: Parameters<Stub["checkoutCart"]>) => attempt(() => stub.checkoutCart(...a)),
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

/** The real D1, every statement and batch answering `ms` later (a slow database, not a failing one). */
export function slowD1(ms: number, real: D1Database = env.DB) {
  const later = <T>(run: () => Promise<T>) => new Promise<T>((resolve, reject) => setTimeout(() => run().then(resolve, reject), ms));
  const statement = (stmt: D1PreparedStatement): D1PreparedStatement => ({
    bind: (...v: unknown[]) => statement(stmt.bind(...v)),
    first: (col?: string) => later(() => (col === undefined ? stmt.first() : stmt.first(col))),
    all: () => later(() => stmt.all()),
    raw: (o?: { columnNames?: boolean }) => later(() => stmt.raw(o as { columnNames: true })),
    run: () => later(() => stmt.run()),
    __inner: stmt,
  }) as unknown as D1PreparedStatement;
  const target = (t: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => statement(t.prepare(sql)),
    batch: (stmts: D1PreparedStatement[]) => later(() => t.batch(stmts.map((s) => (s as unknown as { __inner: D1PreparedStatement }).__inner))),
  });
  const db = { ...target(real), withSession: (c?: string) => { const s = real.withSession(c); return { ...target(s), getBookmark: () => s.getBookmark() }; } };
  return db as unknown as D1Database;
}
