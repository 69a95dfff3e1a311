/**
 * Work of which this process does at most `concurrency` at once, with at most `maxWaiting` calls
 * waiting for a turn and none waiting longer than `maxWaitMs`: past either bound a call is
 * refused at once (`refuse` throws), not queued. For work whose cost a caller can multiply
 * without limit, such as hashing passwords (64 MiB and a few hundred ms of CPU each): a flood of
 * sign-ins spread over many addresses, each under the per-address limit, held hundreds of MB and
 * made every sign-in wait until the broker's timeout, which then opened the circuit breaker for
 * everyone.
 */
export type BoundedWork = <T>(work: () => Promise<T>) => Promise<T>;

export interface BoundedWorkOptions {
  concurrency: number;
  maxWaiting: number;
  maxWaitMs: number;
  /** Throws the refusal: called when the queue is full or a call waited too long. */
  refuse(): never;
}

export function createBoundedWork(options: BoundedWorkOptions): BoundedWork {
  const { concurrency, maxWaiting, maxWaitMs, refuse } = options;
  let running = 0;
  const waiting: { start(): void }[] = [];

  const next = () => {
    running--;
    waiting.shift()?.start();
  };

  const turn = () =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        start() {
          clearTimeout(timer);
          running++;
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        try {
          refuse();
        } catch (err) {
          reject(err);
        }
      }, maxWaitMs);
      waiting.push(entry);
    });

  return async work => {
    if (running < concurrency) running++;
    else if (waiting.length >= maxWaiting) refuse();
    else await turn();
    try {
      return await work();
    } finally {
      next();
    }
  };
}
