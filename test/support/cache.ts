import { settled } from "./request";

/**
 * Reads a cached route until its payload is in KV. A fill happens on a key's second read in an isolate
 * ("store on the second miss", src/services/fill-admission.ts), so two settled reads always store it.
 */
export async function fillCache(path: string): Promise<void> {
  await settled(path);
  await settled(path);
}
