import { describe, expect, it } from "vitest";
import { call } from "./support/request";

describe("GET /health", () => {
  it("answers ok with a request id", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
