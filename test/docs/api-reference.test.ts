import { describe, expect, it } from "vitest";
import { renderApiReference, type OpenApiDocument } from "./api-reference";
import { call } from "../support/request";

// The repository's own API reference is generated from the route declarations: the document the Worker
// serves, as docs/openapi.json, and rendered as docs/api.md. A declaration changed without regenerating
// them fails here; `npm run docs:api` (this file with -u) writes them again.
describe("the API reference in docs/", () => {
  it("docs/openapi.json is the document GET /openapi.json serves", async () => {
    const served = await (await call("/openapi.json")).json();
    await expect(`${JSON.stringify(served, null, 2)}\n`).toMatchFileSnapshot("../../docs/openapi.json");
  });

  it("docs/api.md is that document rendered, every operation and schema in it", async () => {
    const served = await (await call("/openapi.json")).json<OpenApiDocument>();
    const markdown = renderApiReference(served);
    for (const [path, item] of Object.entries(served.paths)) {
      for (const method of Object.keys(item)) expect(markdown).toContain(`### \`${method.toUpperCase()} ${path}\``);
    }
    for (const name of Object.keys(served.components?.schemas ?? {})) expect(markdown).toContain(`### ${name}\n`);
    await expect(markdown).toMatchFileSnapshot("../../docs/api.md");
  });
});
