// The part of better-sqlite3 12 the scripts use (the package ships no types; @types isn't a dependency).
declare module "better-sqlite3" {
  interface Statement {
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
    pluck(toggle?: boolean): Statement;
  }
  interface Options { readonly?: boolean; fileMustExist?: boolean }
  class Database {
    constructor(filename: string, options?: Options);
    prepare(sql: string): Statement;
    exec(sql: string): this;
    transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
    close(): void;
  }
  export default Database;
}
