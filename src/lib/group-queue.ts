/**
 * A bounded FIFO that runs its jobs one stage at a time, taking consecutive groupable jobs together.
 * It replaces a plain lock in the order serializer: while one group's database round trip is in
 * flight, new jobs wait here, and the next stage takes all of them (up to `maxGroup`) at once.
 *
 * Back-pressure: a job that would make more than `maxQueued` wait is refused at once, and a job still
 * waiting after `maxWaitMs` is refused then; either way it never reached a stage, so nothing was done.
 * Jobs already in a stage always wait for its outcome.
 */
export interface QueueLimits {
  maxQueued: number;
  maxWaitMs: number;
  maxGroup: number;
}

/** Runs one stage; settles with one result per input once its write has committed (the next stage may start). */
export type Stage<I, R> = (inputs: I[]) => Promise<R[]>;

/** Why a job was refused before it reached a stage, and when to come back (whole seconds, jittered). */
export class QueueRefused extends Error {
  constructor(readonly reason: "full" | "deadline", readonly retryAfterSeconds: number) {
    super(reason === "full" ? "queue full" : "waited past the deadline");
  }
}

interface Waiting<I, R> {
  input: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** How far back the drain rate looks. */
const RATE_WINDOW_MS = 2_000;
const MAX_RETRY_AFTER_S = 30;

export class GroupQueue<I, R> {
  private readonly waiting: Waiting<I, R>[] = [];
  private running = false;
  private readonly drained: { at: number; jobs: number }[] = [];

  constructor(
    private readonly limits: () => QueueLimits,
    private readonly canGroup: (input: I) => boolean,
    private readonly stage: Stage<I, R>,
    private readonly random: () => number = Math.random,
  ) {}

  submit(input: I): Promise<R> {
    const { maxQueued, maxWaitMs } = this.limits();
    if (this.waiting.length >= maxQueued) return Promise.reject(new QueueRefused("full", this.retryAfter()));
    return new Promise<R>((resolve, reject) => {
      const entry: Waiting<I, R> = {
        input, resolve, reject,
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(entry);
          if (at < 0) return; // already taken by a stage
          this.waiting.splice(at, 1);
          reject(new QueueRefused("deadline", this.retryAfter()));
        }, maxWaitMs),
      };
      this.waiting.push(entry);
      void this.pump();
    });
  }

  /**
   * Seconds until the queue has likely drained, from the jobs finished in the last two seconds,
   * stretched by up to 2× at random so refused callers don't all come back at the same moment.
   */
  retryAfter(): number {
    const now = Date.now();
    this.prune(now);
    const done = this.drained.reduce((n, d) => n + d.jobs, 0);
    const perSecond = done === 0 ? 0 : done / (Math.max(now - this.drained[0]!.at, 250) / 1000);
    const base = perSecond === 0 ? 1 : Math.max(1, this.waiting.length / perSecond);
    return Math.min(MAX_RETRY_AFTER_S, Math.ceil(base * (1 + this.random())));
  }

  private prune(now: number) {
    while (this.drained.length > 0 && now - this.drained[0]!.at > RATE_WINDOW_MS) this.drained.shift();
  }

  private take(): Waiting<I, R>[] {
    const first = this.waiting[0]!;
    if (!this.canGroup(first.input)) return this.waiting.splice(0, 1);
    const max = Math.max(1, this.limits().maxGroup);
    let n = 1;
    while (n < max && n < this.waiting.length && this.canGroup(this.waiting[n]!.input)) n++;
    return this.waiting.splice(0, n);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.take();
        for (const entry of group) clearTimeout(entry.timer);
        try {
          const results = await this.stage(group.map((e) => e.input));
          group.forEach((e, i) => e.resolve(results[i]!));
        } catch (err) {
          group.forEach((e) => e.reject(err));
        }
        this.drained.push({ at: Date.now(), jobs: group.length });
        this.prune(Date.now());
      }
    } finally {
      this.running = false;
    }
  }
}
