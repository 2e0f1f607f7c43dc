import { describe, expect, it } from "vitest";
import { GroupQueue, QueueRefused } from "../../src/lib/group-queue";

type Job = { kind: "g" | "solo"; name: string };
const limits = (over: Partial<{ maxQueued: number; maxWaitMs: number; maxGroup: number }> = {}) =>
  () => ({ maxQueued: 100, maxWaitMs: 60_000, maxGroup: 100, ...over });

/** A queue whose stages log what they ran, one at a time, each crossing a real await. */
function recorder(over = {}) {
  const stages: string[][] = [];
  let running = 0, overlapped = false;
  const queue = new GroupQueue<Job, string>(limits(over), (j) => j.kind === "g", async (jobs) => {
    running++;
    if (running > 1) overlapped = true;
    stages.push(jobs.map((j) => j.name));
    await new Promise((r) => setTimeout(r, 1));
    running--;
    return jobs.map((j) => `done:${j.name}`);
  });
  return { queue, stages, overlapped: () => overlapped };
}

describe("GroupQueue", () => {
  it("runs one stage at a time, grouping consecutive groupable jobs and running the others alone, in arrival order", async () => {
    const { queue, stages, overlapped } = recorder();
    const jobs: Job[] = [
      { kind: "g", name: "a" }, { kind: "g", name: "b" }, { kind: "g", name: "c" }, { kind: "solo", name: "s" }, { kind: "g", name: "d" },
    ];
    const answers = await Promise.all(jobs.map((j) => queue.submit(j)));
    expect(answers).toEqual(["done:a", "done:b", "done:c", "done:s", "done:d"]);
    // The first job starts a stage on its own; the rest arrived while it ran.
    expect(stages).toEqual([["a"], ["b", "c"], ["s"], ["d"]]);
    expect(overlapped()).toBe(false);
  });

  it("takes at most maxGroup jobs into one stage", async () => {
    const { queue, stages } = recorder({ maxGroup: 2 });
    await Promise.all(["a", "b", "c", "d", "e"].map((name) => queue.submit({ kind: "g", name })));
    expect(stages).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("refuses a job that would queue behind maxQueued others, with a Retry-After of at least a second", async () => {
    const { queue } = recorder({ maxQueued: 1 });
    const results = await Promise.allSettled(["a", "b", "c"].map((name) => queue.submit({ kind: "g", name })));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    const refused = (results[2] as PromiseRejectedResult).reason as QueueRefused;
    expect(refused).toBeInstanceOf(QueueRefused);
    expect(refused.reason).toBe("full");
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it("keeps serving after a stage fails, and the failure reaches only that stage's callers", async () => {
    const queue = new GroupQueue<Job, string>(limits(), () => false, async ([job]) => {
      if (job!.name === "bad") throw new Error("boom");
      return [job!.name];
    });
    const results = await Promise.allSettled(["ok1", "bad", "ok2"].map((name) => queue.submit({ kind: "solo", name })));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});
