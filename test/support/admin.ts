import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { ADMIN_TOKEN, call } from "./request";

/** An admin request with a JSON body (when given) and the test token, unless another token is passed. */
export function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return call(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Asserts the one error shape of API.md, exactly. */
export async function expectError(res: Response, status: number, error: string, message: string, details?: unknown): Promise<void> {
  expect(res.status).toBe(status);
  const expected: Record<string, unknown> = { error, message, request_id: res.headers.get("X-Request-Id") };
  if (details !== undefined) expected.details = details;
  expect(await res.json()).toEqual(expected);
}

/** Asserts a 400 VALIDATION_ERROR whose details name exactly these fields. */
export async function expectInvalid(res: Response, fields: string[]): Promise<void> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; details: { field: string; message: string }[] };
  expect(body.error).toBe("VALIDATION_ERROR");
  expect(body.details.map((d) => d.field)).toEqual(fields);
}

export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  return (await env.DB.prepare(sql).bind(...params).first<number>("n")) ?? 0;
}

const CATALOG_TABLES = ["products", "features", "styles", "photos", "skus", "related"];

/** How many rows each catalog table holds. */
export async function catalogCounts(): Promise<Record<string, number>> {
  const counts = await Promise.all(CATALOG_TABLES.map((t) => countRows(`SELECT count(*) AS n FROM ${t}`)));
  return Object.fromEntries(CATALOG_TABLES.map((t, i) => [t, counts[i]!]));
}

/** Every row of every catalog table (the test catalogs are small): a rejected write must leave it equal. */
export async function catalogSnapshot(): Promise<Record<string, unknown[]>> {
  const rows = await Promise.all(CATALOG_TABLES.map(async (t) => (await env.DB.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()).results));
  return Object.fromEntries(CATALOG_TABLES.map((t, i) => [t, rows[i]!]));
}

/** The id a 201 names in its Location header. */
export function createdId(res: Response): number {
  const location = res.headers.get("Location") ?? "";
  expect(location).toMatch(/^\/products\/\d+$/);
  return Number(location.split("/")[2]);
}
