// The few better-sqlite3 calls scripts/bench-search-sql.ts makes (the package ships no types and
// @types/better-sqlite3 is not a dependency).
declare module "better-sqlite3" {
  interface Statement { get(...params: unknown[]): unknown }
  class Database {
    constructor(file: string, options?: { readonly?: boolean });
    prepare(sql: string): Statement;
    close(): void;
  }
  export default Database;
}
