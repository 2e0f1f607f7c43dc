import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import worker from "../../src/index";
import { expectContract } from "./contract";

export const ADMIN_TOKEN = "test-admin-token";
export const BASE = "https://storefront.test";

/**
 * A request through the real Worker entry (exports.default), as a client would send it. Every answer
 * is checked against /openapi.json on the way back (test/support/contract.ts).
 */
export async function call(path: string, init?: RequestInit): Promise<Response> {
  const req = new Request(`${BASE}${path}`, init);
  return expectContract(req.method, req.url, await exports.default.fetch(req));
}

/**
 * The same Worker with some bindings swapped (a counting D1, a failing KV): the services take their
 * dependencies from the bindings, so this is a parameter, not a mock. Waits for waitUntil work
 * (cache fills) so the next request sees it.
 */
export async function callWith(overrides: Partial<Env>, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const req = new Request(`${BASE}${path}`, init);
  const res = await worker.fetch(req, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return expectContract(req.method, req.url, res);
}

/** A request through the real bindings that also waits for its background work (cache fills). */
export const settled = (path: string, init?: RequestInit) => callWith({}, path, init);

export function adminInit(init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${ADMIN_TOKEN}`);
  if (init.body !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  return { ...init, headers };
}

export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } };
}
