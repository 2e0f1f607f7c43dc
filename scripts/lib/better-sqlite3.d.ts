// The slice of better-sqlite3 (a devDependency without bundled types) that the benches use.
declare module "better-sqlite3" {
  interface Statement { all(...params: unknown[]): unknown[] }
  class Database {
    constructor(file: string, options?: { readonly?: boolean; fileMustExist?: boolean });
    prepare(sql: string): Statement;
    close(): void;
  }
  export default Database;
}
