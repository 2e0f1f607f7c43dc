import { describe, expect, it } from "vitest";
import { call } from "../support/request";

describe("GET /docs", () => {
  it("serves the Swagger UI page pointing at /openapi.json and at assets on the same origin", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("url: '/openapi.json'");
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(["/docs/assets/swagger-ui-dist/swagger-ui.css", "/docs/assets/swagger-ui-dist/swagger-ui-bundle.js"]);
  });

  it("serves the Swagger UI script and stylesheet from the Worker itself", async () => {
    const js = await call("/docs/assets/swagger-ui-dist/swagger-ui-bundle.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("Content-Type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toContain("SwaggerUIBundle");
    const css = await call("/docs/assets/swagger-ui-dist/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(".swagger-ui");
  });
});
