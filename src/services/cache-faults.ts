/** One JSON line per cache fault; the request itself carries on without the cache. */
export function logCacheFault(operation: "read" | "fill" | "fill check" | "fill undo" | "delete", key: string, err: unknown): void {
  console.error(JSON.stringify({ level: "error", event: "kv_fault", operation, key, error: String(err) }));
}
