/**
 * One change at a time per reservation, across every instance (lib/store-lock.ts).
 *
 * A change writes its reservation more than once (the change, then clearing its outbox). Another
 * change's write must not fall in between: a store that applies an update as read-modify-write
 * of the whole document (the Mongo-wire server the tests run on; measured, it loses concurrent
 * updates of one document) could otherwise put back a time whose cells were already released,
 * and the time would then be bookable twice. On MongoDB the lock costs an insert and a delete.
 */
import type { DbAdapter } from "moleculer-db";
import { acquireLock, type Unlock } from "../../lib/store-lock";

/** How long a change waits for the one before it before answering 409. */
export const LOCK_WAIT_MS = 5_000;

/** Locks the reservation, waiting up to `waitMs`; null when it stayed locked. */
export function lockReservation(
  locks: DbAdapter,
  reservation: { _id: string },
  waitMs = LOCK_WAIT_MS,
): Promise<Unlock | null> {
  return acquireLock(locks, `reservation|${reservation._id}`, { waitMs });
}
