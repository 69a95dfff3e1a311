/**
 * One change at a time per reservation, across every instance (lib/store-lock.ts).
 *
 * A change writes its reservation more than once (the change, then clearing its outbox). Another
 * change's write must not fall in between: a store that applies an update as read-modify-write
 * of the whole document (the Mongo-wire server the tests run on; measured, it loses concurrent
 * updates of one document) could otherwise put back a time whose cells were already released,
 * and the time would then be bookable twice. On MongoDB the lock costs an insert and a delete.
 * A create takes none: its record is `pending` until its one update, and nothing else writes a
 * pending record while its create may still write it (lifecycle.ts, `createReservation`). The
 * freeing of claims left behind (stale-claims.ts) judges a reservation's claims by its record
 * under this lock, so it relies on every change of a reservation past its create holding it.
 */
import type { DbAdapter } from "moleculer-db";
import { withLock } from "../../lib/store-lock";

/** How long a change waits for the one before it before answering 409. */
export const LOCK_WAIT_MS = 5_000;

/** The name of a reservation's lock in `reservation_locks`. */
export function reservationLockName(reservationId: unknown): string {
  return `reservation|${String(reservationId)}`;
}

/**
 * Runs `work` holding the reservation's lock, waiting up to `waitMs` for it; when it stays held,
 * `whenHeld` answers instead.
 */
export function withReservationLock<T, U>(
  locks: DbAdapter,
  reservationId: string,
  work: () => Promise<T>,
  whenHeld: () => U,
  waitMs = LOCK_WAIT_MS,
): Promise<T | U> {
  return withLock(locks, reservationLockName(reservationId), work, whenHeld, { waitMs });
}
