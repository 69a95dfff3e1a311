/**
 * A lock every instance of a service respects, on whatever store it runs: a document in the
 * service's own `locks` collection whose `_id` is the lock's name. Of two concurrent inserts of
 * one `_id` the store refuses the second, and that is the only guarantee relied on (a conditional
 * update is not atomic on every Mongo-wire server; see docs/ARCHITECTURE.md).
 */
import { randomUUID } from "node:crypto";
import type { DbAdapter } from "moleculer-db";
import { isUniqueViolation } from "./store";

type Unlock = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for the holder before giving up (null). */
  waitMs?: number;
  /** A lock this old belongs to a process that died holding it, and is taken over. */
  staleMs?: number;
  /**
   * False: a lock counts as held however old it is. For work that must never run beside the
   * holder's, even one stalled past `staleMs` (or on a host whose clock runs ahead).
   */
  takeOver?: boolean;
}

interface LockRecord {
  _id: string;
  holder: string;
  takenAt: string;
}

async function acquireLock(
  locks: DbAdapter,
  name: string,
  { waitMs = 5_000, staleMs = 30_000, takeOver = true }: LockOptions = {},
): Promise<Unlock | null> {
  const holder = randomUUID();
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await locks.insert({ _id: name, holder, takenAt: new Date().toISOString() });
      return async () => {
        await locks.removeMany({ _id: name, holder });
      };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const held = (await locks.findOne({ _id: name })) as LockRecord | null;
    if (takeOver && held && Date.parse(held.takenAt) < Date.now() - staleMs) {
      await locks.removeMany({ _id: name, holder: held.holder });
      continue;
    }
    if (Date.now() >= deadline) return null;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** How long a release the store refused waits before each next try, in ms. */
export const RELEASE_RETRIES_MS = [1_000, 5_000, 15_000];

/**
 * Releases a lock whose work has ended; never throws. The work's outcome is what its caller
 * must see: a booking made and then answered with a 5xx because the store refused the release
 * would be retried by a person as a second booking, and a work's own error must not be masked.
 * A refused release is tried again in the background (the store is down for a moment), and
 * after that the lock counts as stale at `staleMs` and is taken over, as one left by a process
 * that died.
 */
async function release(unlock: Unlock): Promise<void> {
  try {
    await unlock();
  } catch {
    retryRelease(unlock, RELEASE_RETRIES_MS);
  }
}

function retryRelease(unlock: Unlock, delays: readonly number[]): void {
  const [delay, ...rest] = delays;
  if (delay === undefined) return;
  const timer = setTimeout(() => {
    unlock().catch(() => retryRelease(unlock, rest));
  }, delay);
  // A process that is stopping does not wait for it: its lock then goes stale as above.
  timer.unref();
}

/**
 * Runs `work` holding the lock `name` and releases it however `work` ends. When the lock stays
 * held past `waitMs`, `work` does not run and `whenHeld` answers instead (or throws). What `work`
 * returns or throws is the outcome, whether or not the store accepts the release (`release`).
 */
export async function withLock<T, U>(
  locks: DbAdapter,
  name: string,
  work: () => Promise<T>,
  whenHeld: () => U,
  options: LockOptions = {},
): Promise<T | U> {
  const unlock = await acquireLock(locks, name, options);
  if (!unlock) return whenHeld();
  try {
    return await work();
  } finally {
    await release(unlock);
  }
}
