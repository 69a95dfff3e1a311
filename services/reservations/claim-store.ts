/**
 * Claiming and releasing the cells of the slot grid (see slot-claims.ts) in the `claims`
 * collection, whose unique index on `key` is what keeps two reservations from overlapping.
 */
import type { DbAdapter } from "moleculer-db";
import { findMany, isUniqueViolation } from "../../lib/store";

export interface ClaimRecord {
  key: string;
  spaceId: string;
  reservationId: string;
  /** The operation that inserted it, so a failed attempt removes exactly its own claims. */
  op: string;
  createdAt: string;
}

/**
 * Inserts one claim per key for the reservation, as operation `op`. Returns false when any key
 * is held already; then none of this operation's claims stay behind (NeDB inserts a batch
 * atomically, MongoDB inserts in order and stops at the first collision, so what got in is
 * removed here). Throws when the store failed otherwise, leaving what may have got in (a write
 * that timed out may still land) to the caller, which alone knows whether it is still its own to
 * remove: a create's are not once a sweep completed it (lifecycle.ts, `withdrawFailed`).
 */
export async function claim(
  claims: DbAdapter,
  request: { spaceId: string; reservationId: string; op: string; keys: string[] },
): Promise<boolean> {
  const { spaceId, reservationId, op, keys } = request;
  if (keys.length === 0) return true;
  const createdAt = new Date().toISOString();
  try {
    // Sorted: concurrent writers meet at the first cell they share, so one of them wins it.
    await claims.insertMany(
      [...keys].sort().map(key => ({ key, spaceId, reservationId, op, createdAt })),
    );
    return true;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A collision: what got in is this attempt's alone, and the attempt is refused.
    await claims.removeMany({ op });
    return false;
  }
}

/** Undoes one operation's claims (a reschedule that failed or lost a race after claiming). */
export async function releaseOperation(claims: DbAdapter, op: string): Promise<void> {
  await claims.removeMany({ op });
}

/** Releases the reservation's claims on `keys`, or on everything when `keys` is omitted. */
export async function release(
  claims: DbAdapter,
  reservationId: string,
  keys?: string[],
): Promise<void> {
  if (keys && keys.length === 0) return;
  await claims.removeMany(keys ? { reservationId, key: { $in: keys } } : { reservationId });
}

/** The claims on any of `keys` (cells of `spaceId`), by the reservation holding them. */
export async function heldBy(
  claims: DbAdapter,
  request: { spaceId: string; keys: string[] },
): Promise<Map<string, ClaimRecord[]>> {
  const { spaceId, keys } = request;
  // `spaceId` is redundant (it starts every key) but an equality FerretDB lets PostgreSQL filter;
  // for `$in` it fetches every claim in the store. NeDB and MongoDB still use the key index.
  const found = await findMany<ClaimRecord>(claims, {
    query: { spaceId, key: { $in: keys } },
  });
  const byHolder = new Map<string, ClaimRecord[]>();
  for (const held of found) {
    byHolder.set(held.reservationId, [...(byHolder.get(held.reservationId) ?? []), held]);
  }
  return byHolder;
}
