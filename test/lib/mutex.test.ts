import { describe, expect, it } from "vitest";
import { Mutex } from "../../src/lib/mutex";

describe("Mutex", () => {
  it("runs tasks one at a time in arrival order, even across awaits", async () => {
    const lock = new Mutex();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 1));
      await Promise.resolve();
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([lock.run(task("a")), lock.run(task("b")), lock.run(task("c"))]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  });

  it("keeps serving after a task fails, and the failure reaches only its own caller", async () => {
    const lock = new Mutex();
    const failed = lock.run(async () => { throw new Error("boom"); });
    const next = lock.run(async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
  });
});
