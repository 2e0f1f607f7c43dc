/**
 * A FIFO lock for one Durable Object instance. The object's input gate only holds while it awaits its
 * own storage; an await on D1 lets the next request in. Everything that reads stock, checks it and
 * writes it runs inside `run`, so two such sequences never interleave.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it succeeded or not.
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
