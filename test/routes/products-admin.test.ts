import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogSnapshot, createdId, expectError } from "../support/admin";
import { CAMO_PRODUCT_BODY, seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog);

const NEW_PRODUCT = {
  name: "  Trail Cap ", slogan: "Shade on the move", description: "Light and packable", category: "Hats",
  default_price: "24.5", features: [{ feature: "Fabric", value: "Nylon" }, { feature: "Vents", value: null }],
};

describe("POST /products", () => {
  it("answers 201 with the product as GET shows it, a Location and private caching", async () => {
    const res = await admin("POST", "/products", NEW_PRODUCT);
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const id = createdId(res);
    expect(id).toBeGreaterThan(7);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      id, name: "Trail Cap", slogan: "Shade on the move", description: "Light and packable", category: "Hats",
      default_price: "24.50", features: [{ feature: "Fabric", value: "Nylon" }, { feature: "Vents", value: null }],
    });
    expect(await (await call(`/products/${id}`)).text()).toBe(body);
  });

  it("defaults slogan and description to empty strings and features to an empty list", async () => {
    const res = await admin("POST", "/products", { name: "Plain Tee", category: "Shirts", default_price: "140" });
    expect(await res.json()).toEqual({
      id: createdId(res), name: "Plain Tee", slogan: "", description: "", category: "Shirts", default_price: "140.00", features: [],
    });
  });

  for (const [price, shown] of [["140", "140.00"], ["140.5", "140.50"], ["140.00", "140.00"], ["0", "0.00"], ["99999999.99", "99999999.99"]]) {
    it(`accepts the money string ${JSON.stringify(price)} and shows it as ${shown}`, async () => {
      const res = await admin("POST", "/products", { name: "Priced", category: "Misc", default_price: price });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { default_price: string }).default_price).toBe(shown);
    });
  }

  it("gives each new product a fresh id, never one used before", async () => {
    const first = createdId(await admin("POST", "/products", { name: "A", category: "Misc", default_price: "1" }));
    expect((await admin("DELETE", `/products/${first}`)).status).toBe(204);
    const second = createdId(await admin("POST", "/products", { name: "B", category: "Misc", default_price: "1" }));
    expect(second).toBe(first + 1);
  });
});

describe("PUT /products/:id", () => {
  it("replaces the whole product, features included, and answers it as GET shows it", async () => {
    const res = await admin("PUT", "/products/3", {
      name: "Evening Joggers", slogan: "Night owls too", description: "Still cotton", category: "Pants",
      default_price: "45.00", features: [{ feature: "Fit", value: "Loose" }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const expected = {
      id: 3, name: "Evening Joggers", slogan: "Night owls too", description: "Still cotton", category: "Pants",
      default_price: "45.00", features: [{ feature: "Fit", value: "Loose" }],
    };
    expect(await res.json()).toEqual(expected);
    expect(await (await call("/products/3")).json()).toEqual(expected);
  });

  it("resets the optional fields a PUT leaves out: slogan and description to \"\", features to []", async () => {
    const res = await admin("PUT", "/products/3", { name: "Joggers", category: "Pants", default_price: "40" });
    expect(await res.json()).toEqual({
      id: 3, name: "Joggers", slogan: "", description: "", category: "Pants", default_price: "40.00", features: [],
    });
  });

  it("answers 404 PRODUCT_NOT_FOUND for an unknown product and creates nothing", async () => {
    const before = await catalogSnapshot();
    const res = await admin("PUT", "/products/424242", { name: "Ghost", category: "Misc", default_price: "1", features: [{ feature: "F", value: "v" }] });
    await expectError(res, 404, "PRODUCT_NOT_FOUND", "Product 424242 does not exist");
    expect(await catalogSnapshot()).toEqual(before);
  });
});

describe("PATCH /products/:id", () => {
  it("changes only the given fields and keeps the features when they aren't given", async () => {
    const res = await admin("PATCH", "/products/1", { name: "Camo Onesie II", default_price: "150.99" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...CAMO_PRODUCT_BODY, name: "Camo Onesie II", default_price: "150.99" });
  });

  it("replaces the feature list when features are given", async () => {
    const res = await admin("PATCH", "/products/1", { features: [{ feature: "Zip", value: "YKK" }] });
    expect(((await res.json()) as { features: unknown }).features).toEqual([{ feature: "Zip", value: "YKK" }]);
  });

  it("clears the features with an empty list", async () => {
    const res = await admin("PATCH", "/products/1", { features: [] });
    expect(((await res.json()) as { features: unknown }).features).toEqual([]);
  });

  it("answers 400 naming the body for an empty patch", async () => {
    const res = await admin("PATCH", "/products/1", {});
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: (body)", [{ field: "(body)", message: "must name at least one field to change" }]);
  });

  it("answers 400 naming a field that can't be patched (id)", async () => {
    const res = await admin("PATCH", "/products/1", { id: 99 });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: id", [{ field: "id", message: "unknown field: id" }]);
  });

  it("answers 404 PRODUCT_NOT_FOUND for an unknown product, with or without features", async () => {
    for (const body of [{ name: "Ghost" }, { features: [{ feature: "F", value: null }] }]) {
      await expectError(await admin("PATCH", "/products/424242", body), 404, "PRODUCT_NOT_FOUND", "Product 424242 does not exist");
    }
  });
});

describe("methods", () => {
  it("answers 405 with the allowed methods, admin ones included, for a method no route serves", async () => {
    const res = await call("/products/1", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, PUT, PATCH, DELETE");
  });
});

describe("admin routes in the OpenAPI document", () => {
  it("lists every catalog write with the adminBearer security scheme", async () => {
    const spec = (await (await call("/openapi.json")).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    const writes: [string, string][] = [
      ["/products", "post"], ["/products/{product_id}", "put"], ["/products/{product_id}", "patch"],
      ["/products/{product_id}", "delete"], ["/products/{product_id}/styles", "post"], ["/styles/{style_id}", "patch"],
      ["/styles/{style_id}", "delete"], ["/products/{product_id}/related", "put"],
    ];
    for (const [path, method] of writes) expect(spec.paths[path]?.[method]?.security).toEqual([{ adminBearer: [] }]);
  });
});
