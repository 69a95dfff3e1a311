/**
 * Claims no booking needs any more, freed when they stand in someone's way.
 *
 * A change writes its reservation first and releases the cells it no longer needs after; a
 * create's claims on a record the sweep removed are released by that sweep, or by its own
 * instance's tidy. A process that dies in between, or a store that fails the release, leaves
 * claims behind that nothing releases later: a time that no reservation shows as booked and that
 * nobody can book (409 without a conflict to show). Finding them all would take a look at claims
 * by age, which no index serves. So a create or a reschedule that runs into claims judges their
 * holders, and frees what a holder, read under its lock (which every change of a reservation past
 * its create holds), cannot need:
 *
 * - every claim of a reservation whose record is gone (only a pending record is ever removed, and
 *   an id is never used again) or cancelled (a cancel is final);
 * - a confirmed reservation's claims on cells outside its time, once they are older than
 *   `SETTLED_AFTER_MS`: a reschedule claims its new cells before it moves the record, so younger
 *   ones may belong to a move still under way, even one whose write failed on its way and may
 *   yet land.
 *
 * A pending holder is left alone: its create may still be under way, and otherwise the sweep
 * settles it. So is a holder whose lock is taken, however old the lock: a change is under way,
 * and a lock taken over after 30 s (a stalled holder, or a clock ahead) would let this act beside
 * it.
 */
import { withLock } from "../../lib/store-lock";
import { findMany } from "../../lib/store";
import { heldBy, release, type ClaimRecord } from "./claim-store";
import type { LifecycleDeps } from "./lifecycle";
import { reservationLockName } from "./record-lock";
import type { ReservationRecord } from "./reservation-record";
import { storedCells } from "./slot-claims";

/**
 * A claim outside its confirmed holder's time is a leftover only once it is this old: a move
 * under way writes its record well within it (the same margin as the sweep's, which also covers
 * instances whose clocks differ by up to a minute).
 */
export const SETTLED_AFTER_MS = 2 * 60_000;

type Deps = Pick<LifecycleDeps, "claims" | "reservations" | "locks" | "logger">;

/** Who holds cells a change asked for, as their records read now. */
export interface InTheWay {
  /** The other holders' records, by start; a holder whose record is gone has none. */
  records: ReservationRecord[];
  /** The other holders whose claims may be stale: worth a look under their lock. */
  suspects: string[];
  /** The changing reservation's own claims among the cells: a move back onto its old time. */
  own: ClaimRecord[];
}

/** The holders of any of `keys`, apart from `reservationId`, and which to look at again. */
export async function inTheWay(
  deps: Pick<Deps, "claims" | "reservations">,
  request: { spaceId: string; keys: string[]; reservationId: string },
): Promise<InTheWay> {
  const held = await heldBy(deps.claims, request);
  const own = held.get(request.reservationId) ?? [];
  held.delete(request.reservationId);
  if (held.size === 0) return { records: [], suspects: [], own };
  // `spaceId` for FerretDB, which filters `_id: { $in }` only after fetching every reservation.
  const records = await findMany<ReservationRecord>(deps.reservations, {
    query: { spaceId: request.spaceId, _id: { $in: [...held.keys()] } },
    sort: ["start"],
  });
  const byId = new Map(records.map(record => [String(record._id), record]));
  const suspects = [...held]
    .filter(([id, claims]) => staleAmong(byId.get(id) ?? null, claims).length > 0)
    .map(([id]) => id);
  return { records, suspects, own };
}

/** Which of `claims`, held by the reservation `record` (null: gone), it cannot need. */
export function staleAmong(record: ReservationRecord | null, claims: ClaimRecord[]): string[] {
  const keys = claims.map(claim => claim.key);
  if (!record || record.status === "cancelled") return keys;
  if (record.status !== "confirmed") return [];
  const cells = new Set(storedCells(record));
  const settled = new Date(Date.now() - SETTLED_AFTER_MS).toISOString();
  return claims
    .filter(claim => !cells.has(claim.key) && claim.createdAt < settled)
    .map(claim => claim.key);
}

/**
 * Frees the stale claims of each of these reservations of `spaceId`, judged again under its lock,
 * which it neither waits for nor takes over. Whether any went.
 */
export async function freeStale(
  deps: Deps,
  spaceId: string,
  reservationIds: string[],
): Promise<boolean> {
  let freed = false;
  for (const id of reservationIds) {
    const went = await withLock(
      deps.locks,
      reservationLockName(id),
      async () => {
        const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
        const held = await findMany<ClaimRecord>(deps.claims, {
          query: { spaceId, reservationId: id },
        });
        return freeHeld(deps, record, id, staleAmong(record, held));
      },
      () => false,
      { waitMs: 0, takeOver: false },
    );
    freed ||= went;
  }
  return freed;
}

/**
 * Frees `stale`, claims of reservation `id` (its `record`, or null when gone), for a caller that
 * holds its lock. Whether there were any.
 */
export async function freeHeld(
  deps: Pick<Deps, "claims" | "logger">,
  record: ReservationRecord | null,
  id: string,
  stale: string[],
): Promise<boolean> {
  if (stale.length === 0) return false;
  await release(deps.claims, id, stale);
  // Worth an operator's eye: something failed half-way here before (ids only, no person).
  deps.logger.warn("Freed cells that no booking needed", {
    reservationId: id,
    status: record?.status ?? "gone",
    cells: stale.length,
  });
  return true;
}
