import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { contractDocument, servedDocument as generatedDocument } from "../support/contract";
import { call } from "../support/request";

// GET /openapi.json is complete for every route of API.md and its examples are true to its schemas.

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: object; examples?: Record<string, { value: unknown }> }> }>;
}
interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, object>; schemas: Record<string, { example?: unknown }> };
}

const PUBLIC = [
  "GET /health", "GET /products", "GET /products/{product_id}", "GET /products/{product_id}/styles",
  "GET /products/{product_id}/related", "POST /orders", "GET /orders/{order_id}",
  "GET /search", "GET /search/suggest", "GET /categories",
  "POST /carts", "GET /carts/{cart_id}", "PUT /carts/{cart_id}/items/{sku_id}", "DELETE /carts/{cart_id}/items/{sku_id}",
  "POST /carts/{cart_id}/checkout",
];
/** Writes that take no body: the path says it all (API.md, "Carts"). */
const BODYLESS = ["POST /carts", "POST /carts/{cart_id}/checkout"];
const ADMIN = [
  "POST /products", "PUT /products/{product_id}", "PATCH /products/{product_id}", "DELETE /products/{product_id}",
  "POST /products/{product_id}/styles", "PATCH /styles/{style_id}", "DELETE /styles/{style_id}",
  "PUT /products/{product_id}/related", "POST /skus/{sku_id}/stock", "GET /orders", "DELETE /orders/{order_id}",
];

async function servedDocument(): Promise<Document> {
  const res = await call("/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })));

/** Validates a value against a schema of the served document, closed as the contract tests close it. */
function validates(schema: object, value: unknown): string[] {
  const validator = new Validator(schema as Record<string, unknown>, "2020-12", false);
  validator.addSchema(contractDocument);
  return validator.validate(value).errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}
const componentRef = (name: string) => ({ $ref: `${contractDocument.$id as string}#/components/schemas/${name}` });

describe("GET /openapi.json", () => {
  it("is OpenAPI 3.1 with a same-origin server, so the docs page's Try it out calls this Worker", async () => {
    const doc = await servedDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/", description: "This Worker" }]);
  });

  it("is the document the contract tests validate every answer against", async () => {
    expect(await servedDocument()).toEqual(generatedDocument);
  });

  it("declares exactly the routes of API.md", async () => {
    expect(operations(await servedDocument()).map((o) => o.route).sort()).toEqual([...PUBLIC, ...ADMIN].sort());
  });

  it("puts the admin bearer scheme on every admin route, with its 401, and on no public route", async () => {
    const doc = await servedDocument();
    expect(doc.components.securitySchemes.adminBearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const { route, op } of operations(doc)) {
      if (ADMIN.includes(route)) {
        expect(op.security, route).toEqual([{ adminBearer: [] }]);
        expect(op.responses["401"], route).toBeDefined();
      } else {
        expect(op.security, route).toBeUndefined();
      }
    }
  });

  it("declares every path parameter, and a required JSON body for every write that takes one", async () => {
    const doc = await servedDocument();
    for (const { route, path, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name), route).toEqual(inPath);
      const takesBody = /^(POST|PUT|PATCH) /.test(route) && !BODYLESS.includes(route);
      if (BODYLESS.includes(route)) expect(op.requestBody, route).toBeUndefined();
      if (takesBody) expect(op.requestBody?.required, route).toBe(true);
      if (takesBody) expect(op.requestBody?.content["application/json"]?.schema, route).toBeDefined();
      if (takesBody) expect(op.responses["415"], route).toBeDefined();
    }
  });

  it("gives every response but 204 and 304 a JSON schema, and every error the Error schema", async () => {
    const doc = await servedDocument();
    for (const { route, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = response.content?.["application/json"]?.schema;
        if (status === "204" || status === "304") expect(response.content, `${route} ${status}`).toBeUndefined();
        else expect(schema, `${route} ${status}`).toBeDefined();
        if (Number(status) >= 400) expect(schema, `${route} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
      }
    }
  });

  it("has an example, valid against its own schema, for every response and request body component", async () => {
    const doc = await servedDocument();
    const named = ["Product", "ProductList", "ProductDetail", "ProductStyles", "Style", "RelatedProductIds", "Order", "OrderList",
      "StockLevel", "PlaceOrder", "ProductInput", "ProductPatch", "StyleInput", "StylePatch", "RelatedInput", "StockDelta",
      "Cart", "CartItem", "CartItemInput"];
    for (const name of named) {
      const { example } = doc.components.schemas[name]!;
      expect(example, name).toBeDefined();
      expect(validates(componentRef(name), example), name).toEqual([]);
    }
  });

  it("takes its catalog examples from the sample catalog's product 1", async () => {
    const doc = await servedDocument();
    expect(doc.components.schemas.ProductDetail!.example).toMatchObject({ id: 1, name: "Sky High Board Shorts 3000", default_price: "27.99" });
    expect(doc.components.schemas.ProductStyles!.example).toMatchObject({ product_id: "1", results: [{ style_id: 1, name: "Sky Blue & Crimson" }, { style_id: 2 }] });
  });

  it("gives each error response an example per code it names, in the Error shape", async () => {
    const doc = await servedDocument();
    let checked = 0;
    for (const { route, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const examples = Object.entries(response.content?.["application/json"]?.examples ?? {});
        expect(examples.length, `${route} ${status}`).toBeGreaterThan(0);
        for (const [code, { value }] of examples) {
          expect(value, `${route} ${status} ${code}`).toMatchObject({ error: code });
          expect(validates(componentRef("Error"), value), `${route} ${status} ${code}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
