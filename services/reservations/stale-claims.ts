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
 * - a confirmed reservation's claims on cells outside its time (a reschedule's release failed).
 *
 * A pending holder is left alone: its create may still be under way, and otherwise the sweep
 * settles it. A holder whose lock is taken is being changed, and is left alone too.
 */
import { DateTime } from "luxon";
import { findMany } from "../../lib/store";
import { heldBy, release, type ClaimRecord } from "./claim-store";
import type { LifecycleDeps } from "./lifecycle";
import { withReservationLock } from "./record-lock";
import type { ReservationRecord } from "./reservation-record";
import { claimKeys } from "./slot-claims";

/** Who holds cells a change asked for, as their records read now. */
export interface InTheWay {
  /** The holders' records, by start; a holder whose record is gone has none. */
  records: ReservationRecord[];
  /** The holders whose claims may be stale: worth a look under their lock. */
  suspects: string[];
}

/** The holders of any of `keys` besides `reservationId`, and which of them to look at again. */
export async function inTheWay(
  deps: Pick<LifecycleDeps, "claims" | "reservations">,
  request: { spaceId: string; keys: string[]; reservationId: string },
): Promise<InTheWay> {
  const held = await heldBy(deps.claims, request);
  if (held.size === 0) return { records: [], suspects: [] };
  // `spaceId` for FerretDB, which filters `_id: { $in }` only after fetching every reservation.
  const records = await findMany<ReservationRecord>(deps.reservations, {
    query: { spaceId: request.spaceId, _id: { $in: [...held.keys()] } },
    sort: ["start"],
  });
  const byId = new Map(records.map(record => [String(record._id), record]));
  const suspects = [...held]
    .filter(([id, keys]) => staleAmong(byId.get(id), keys).length > 0)
    .map(([id]) => id);
  return { records, suspects };
}

/** Which of `keys`, claimed by the reservation `record` (undefined: gone), it cannot need. */
function staleAmong(record: ReservationRecord | undefined, keys: string[]): string[] {
  if (!record || record.status === "cancelled") return keys;
  if (record.status !== "confirmed") return [];
  const cells = new Set(
    claimKeys(
      record.spaceId,
      DateTime.fromISO(record.start, { zone: "utc" }),
      DateTime.fromISO(record.end, { zone: "utc" }),
    ),
  );
  return keys.filter(key => !cells.has(key));
}

/**
 * Frees the stale claims of each of these reservations of `spaceId`, judged again under its lock
 * (not waited for). Whether any went.
 */
export async function freeStale(
  deps: Pick<LifecycleDeps, "claims" | "reservations" | "locks" | "logger">,
  spaceId: string,
  reservationIds: string[],
): Promise<boolean> {
  let freed = false;
  for (const id of reservationIds) {
    const went = await withReservationLock(
      deps.locks,
      id,
      async () => {
        const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
        const held = await findMany<ClaimRecord>(deps.claims, {
          query: { spaceId, reservationId: id },
        });
        const stale = staleAmong(
          record ?? undefined,
          held.map(claim => claim.key),
        );
        if (stale.length === 0) return false;
        await release(deps.claims, id, stale);
        // Worth an operator's eye: something failed half-way here before (ids only, no person).
        deps.logger.warn("Freed cells that no booking needed", {
          reservationId: id,
          status: record?.status ?? "gone",
          cells: stale.length,
        });
        return true;
      },
      () => false,
      0,
    );
    freed ||= went;
  }
  return freed;
}
