import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { writeInvalidating } from "../../src/services/cache-invalidation";

const KEY = "v1:styles:424242";

describe("writeInvalidating", () => {
  it("deletes again when the write throws after committing, and passes the error on", async () => {
    await env.CACHE.put(KEY, "before the write");
    const write = writeInvalidating(env.CACHE, [KEY], async () => {
      expect(await env.CACHE.get(KEY)).toBeNull(); // the first delete ran before the write
      await env.CACHE.put(KEY, "filled from the old row"); // a concurrent fill lands mid-write
      throw new Error("answer lost after the commit");
    });
    await expect(write).rejects.toThrow("answer lost after the commit");
    expect(await env.CACHE.get(KEY)).toBeNull();
  });

  it("deletes again after a write that answered", async () => {
    const result = await writeInvalidating(env.CACHE, [KEY], async () => {
      await env.CACHE.put(KEY, "filled from the old row");
      return "written";
    });
    expect(result).toBe("written");
    expect(await env.CACHE.get(KEY)).toBeNull();
  });
});
