import { type OutputUnit, Validator } from "@cfworker/json-schema";
import { app } from "../../src/app";
import { ERROR_STATUS } from "../../src/lib/errors";
import { OPENAPI_DOCUMENT } from "../../src/openapi";

// Contract tests: every response the suite receives through call()/callWith() (test/support/request.ts)
// is checked against the OpenAPI document the app serves at /openapi.json. A handler that drops,
// renames or adds a field, or answers a status its route doesn't declare, fails the test that got it.
// @cfworker/json-schema interprets schemas (no eval/new Function), so it runs inside workerd.

type Json = Record<string, unknown>;
interface Operation { responses: Record<string, { content?: Record<string, { schema?: Json }> }> }

const SPEC_ID = "https://storefront.invalid/openapi.json";
const NO_BODY_STATUSES = new Set([204, 304]);

/** Served by the Worker but not API operations: the document itself and the docs page with its assets. */
const OUTSIDE_THE_SPEC = [/^\/openapi\.json$/, /^\/docs(\/|$)/];

/**
 * Answers that belong to no operation, because no operation handled the request; they promise only
 * the one error shape (API.md): an unknown path is 404 NOT_FOUND, a known path with a method it
 * doesn't serve is 405 METHOD_NOT_ALLOWED.
 */
const UNROUTED = { unknownPath: { status: 404, error: "NOT_FOUND" }, unknownMethod: { status: 405, error: "METHOD_NOT_ALLOWED" } };

/** The document /openapi.json serves. */
export const servedDocument = app.getOpenAPI31Document(OPENAPI_DOCUMENT) as unknown as Json;

/**
 * The served document as the validator reads it: examples dropped (they are data, and the validator
 * would take an example's `id` field for a schema id) and every response object closed (closeObjects).
 */
export const contractDocument = closeObjects(JSON.parse(JSON.stringify(servedDocument, (key, value: unknown) =>
  key === "example" || key === "examples" ? undefined : value)) as Json);

/**
 * The published document leaves objects open (adding a field is not a breaking change for clients);
 * the tests hold the handlers to exactly the declared fields, so a renamed or extra field fails too.
 * `allOf` can't be closed member by member (each member would refuse the others' fields), so a schema
 * built with it is refused here: declare such objects flat (spread the shape) instead.
 */
function closeObjects(doc: Json): Json {
  const visit = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
    if (node === null || typeof node !== "object") return;
    const schema = node as Json;
    if (Array.isArray(schema.allOf)) throw new Error(`contract: ${where} uses allOf; declare the object flat so it can be closed`);
    if (schema.properties !== undefined && schema.additionalProperties === undefined) schema.additionalProperties = false;
    for (const [key, value] of Object.entries(schema)) {
      // Values, not schemas.
      if (key !== "default" && key !== "enum" && key !== "const") visit(value, `${where}/${key}`);
    }
  };
  visit((doc.components as Json | undefined)?.schemas, "#/components/schemas");
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) visit(response.content, `${method.toUpperCase()} ${path} ${status}`);
    }
  }
  return { ...doc, $id: SPEC_ID };
}

const pointer = (...parts: string[]) => parts.map((p) => "/" + p.replace(/~/g, "~0").replace(/\//g, "~1")).join("");

const templates = Object.keys(contractDocument.paths as Json)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`), params: (template.match(/\{/g) ?? []).length }))
  // A literal segment beats a parameter when both match (none collide today).
  .sort((a, b) => a.params - b.params);

const validators = new Map<string, Validator>();
function validatorFor(...path: string[]): Validator {
  const ref = `${SPEC_ID}#${pointer(...path)}`;
  let validator = validators.get(ref);
  if (!validator) {
    validator = new Validator({ $ref: ref }, "2020-12", false);
    validator.addSchema(contractDocument);
    validators.set(ref, validator);
  }
  return validator;
}

const errorSchema = () => validatorFor("components", "schemas", "Error");

function describeErrors(errors: OutputUnit[]): string {
  // The innermost failures say what is wrong; the $ref/properties wrappers around them only repeat it.
  const leaves = errors.filter((e) => !["$ref", "properties", "items", "additionalProperties", "allOf"].includes(e.keyword) || errors.length === 1);
  const say = (e: OutputUnit) => (e.error === "False boolean schema." ? "is not a field the schema declares" : e.error);
  return (leaves.length > 0 ? leaves : errors).slice(0, 10).map((e) => `  ${e.instanceLocation || "#"}: ${say(e)} (${e.keywordLocation})`).join("\n");
}

async function readJson(res: Response): Promise<{ body: unknown } | { problem: string }> {
  const text = await res.clone().text();
  const type = res.headers.get("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return { problem: `Content-Type is "${type}", not application/json` };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { problem: `body is not JSON: ${text.slice(0, 200)}` };
  }
}

async function checkBody(res: Response, validator: Validator): Promise<string | null> {
  const parsed = await readJson(res);
  if ("problem" in parsed) return parsed.problem;
  const result = validator.validate(parsed.body);
  if (!result.valid) return `body does not match the declared schema:\n${describeErrors(result.errors)}`;
  return res.status >= 400 ? checkErrorCode(res.status, parsed.body as { error: string }) : null;
}

/** API.md: each error code has one status, so a 404 carries a *_NOT_FOUND code and never, say, UNAVAILABLE. */
function checkErrorCode(status: number, body: { error: string }): string | null {
  const codeStatus = (ERROR_STATUS as Record<string, number>)[body.error];
  if (codeStatus === undefined) return `error code ${body.error} is not one of API.md's codes`;
  return codeStatus === status ? null : `error code ${body.error} belongs to status ${codeStatus}, not ${status}`;
}

/** What is wrong with this response for this request, by the spec; null when nothing is. */
export async function contractViolation(method: string, url: string, res: Response): Promise<string | null> {
  const path = new URL(url).pathname;
  // Preflights are answered by the CORS middleware before routing; they are no operation's.
  if (method === "OPTIONS" || OUTSIDE_THE_SPEC.some((p) => p.test(path))) return null;
  const match = templates.find((t) => t.pattern.test(path));
  const item = match ? (contractDocument.paths as Record<string, Record<string, Operation>>)[match.template]! : undefined;
  const opKey = method === "HEAD" ? "get" : method.toLowerCase();
  const op = item?.[opKey];
  if (!match || !op) {
    const expected = match ? UNROUTED.unknownMethod : UNROUTED.unknownPath;
    const what = match ? `${method} is not declared on ${match.template}` : `no path of the spec matches ${path}`;
    if (res.status !== expected.status) return `${what}, so the answer must be ${expected.status} ${expected.error}, not ${res.status}`;
    const violation = await checkBody(res, errorSchema());
    if (violation !== null) return violation;
    const { error } = (await res.clone().json()) as { error: string };
    return error === expected.error ? null : `${what}, so the error code must be ${expected.error}, not ${error}`;
  }
  const declared = op.responses[String(res.status)];
  if (!declared) return `status ${res.status} is not declared (declared: ${Object.keys(op.responses).join(", ")})`;
  const content = declared.content?.["application/json"];
  if (NO_BODY_STATUSES.has(res.status) || method === "HEAD" || !content?.schema) {
    const text = await res.clone().text();
    return text === "" ? null : `status ${res.status} declares no body, but one came: ${text.slice(0, 200)}`;
  }
  return checkBody(res, validatorFor("paths", match.template, opKey, "responses", String(res.status), "content", "application/json", "schema"));
}

/** Fails the calling test when the response breaks the contract; otherwise hands the response back untouched. */
export async function expectContract(method: string, url: string, res: Response): Promise<Response> {
  const violation = await contractViolation(method, url, res);
  if (violation !== null) {
    const route = `${method} ${new URL(url).pathname}`;
    throw new Error(`Contract: ${route} answered ${res.status}, which breaks /openapi.json: ${violation}`);
  }
  return res;
}
