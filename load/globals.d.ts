// Globals k6 provides that @types/k6 leaves out. The tsconfig drops the DOM lib on purpose, so a
// browser-only global (fetch, URL, document) is a type error here rather than a crash in k6.
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};
