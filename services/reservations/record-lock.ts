/**
 * One change at a time per reservation, across every instance: a lock claimed under the unique
 * index of `claims`, the one guarantee every store we run on enforces.
 *
 * A change writes its reservation more than once (the change, then clearing its outbox). Another
 * change's write must not fall in between: a store that applies an update as read-modify-write
 * of the whole document (the Mongo-wire server the tests run on; measured, it loses concurrent
 * updates of one document) could otherwise put back a time whose cells were already released,
 * and the time would then be bookable twice. On MongoDB the lock costs an insert and a delete.
 */
import { randomUUID } from "node:crypto";
import type { DbAdapter } from "moleculer-db";
import { claim, lockKey, releaseOperation, type ClaimRecord } from "./claim-store";

/** How long a change waits for the one before it before answering 409. */
export const LOCK_WAIT_MS = 5_000;
/** A lock this old belongs to a process that died holding it; changes take it over. */
export const LOCK_STALE_MS = 30_000;

export type Unlock = () => Promise<void>;

/** Locks the reservation, waiting up to `waitMs`; null when it stayed locked. */
export async function lockReservation(
  claims: DbAdapter,
  reservation: { _id: string; spaceId: string },
  waitMs = LOCK_WAIT_MS,
): Promise<Unlock | null> {
  const key = lockKey(reservation._id);
  const op = `lock-${randomUUID()}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const request = { spaceId: reservation.spaceId, reservationId: reservation._id, op };
    if (await claim(claims, { ...request, keys: [key] })) {
      return () => releaseOperation(claims, op);
    }
    const held = (await claims.findOne({ key })) as ClaimRecord | null;
    if (held && Date.parse(held.createdAt) < Date.now() - LOCK_STALE_MS) {
      await claims.removeMany({ key, op: held.op });
      continue;
    }
    if (Date.now() >= deadline) return null;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
