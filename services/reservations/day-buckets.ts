/**
 * The day keys every reservation carries: its UTC days (`days`, lib/utc-days.ts), which FerretDB
 * can filter by; its (space, UTC day) keys (`spaceDays`, lib/space-days.ts), which NeDB serves
 * from one index; its (site group, UTC day) keys (`siteDays`), by which FerretDB reads one
 * site's day; and its (space, UTC month) keys (`spaceMonths`), by which FerretDB reads one
 * space's months (window-query.ts). Written with every start and end (lifecycle.ts), and given here to
 * the reservations stored before they existed. Until a pass finds none left that lacks the key
 * its store reads, this instance's window queries ask for none of them, so they miss nothing
 * meanwhile. Each record is written under its lock, like every other change of a reservation
 * (record-lock.ts).
 */
import type { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { siteDayKey, spaceDayKeys, spaceMonthKey } from "../../lib/space-days";
import { findMany } from "../../lib/store";
import { toStored } from "../../lib/time";
import { utcDaysOf, utcMonthsOf } from "../../lib/utc-days";
import { withReservationLock } from "./record-lock";
import type { ReservationRecord, SpaceView } from "./reservation-record";

const BATCH = 200;

type DayKeys = Required<Pick<ReservationRecord, "days" | "spaceDays" | "siteDays" | "spaceMonths">>;

/** Where a reservation is: its space, and the site group its space's reservations are keyed by. */
export interface KeyedSpace {
  spaceId: string;
  /** Null for a space that spaces does not know: no search asks for it. */
  siteGroup: string | null;
}

/** The day keys of a reservation of `space` over [start, end) (stored ISO instants). */
export function dayKeysOf(space: KeyedSpace, start: string, end: string): DayKeys {
  const days = utcDaysOf(start, end);
  const { siteGroup } = space;
  return {
    days,
    spaceDays: spaceDayKeys([space.spaceId], days),
    siteDays: siteGroup === null ? [] : days.map(day => siteDayKey(siteGroup, day)),
    spaceMonths: utcMonthsOf(days).map(month => spaceMonthKey(space.spaceId, month)),
  };
}

/** How a reservation of `space` over [start, end) stores its times: the instants and day keys. */
export function storedTimes(
  space: Pick<SpaceView, "id" | "siteGroup">,
  start: DateTime,
  end: DateTime,
): Required<Pick<ReservationRecord, "start" | "end">> & DayKeys {
  const stored = { start: toStored(start), end: toStored(end) };
  const keyed = { spaceId: space.id, siteGroup: space.siteGroup };
  return { ...stored, ...dayKeysOf(keyed, stored.start, stored.end) };
}

/**
 * The key whose absence marks a record still to be given its day keys on this store: the one
 * its window queries read last (every version that wrote a later key wrote the earlier ones).
 * The embedded store never reads `siteDays`, so it is not made to rewrite every record for it.
 */
export function keyReadBy(store: "embedded" | "mongo"): "spaceDays" | "spaceMonths" {
  return store === "embedded" ? "spaceDays" : "spaceMonths";
}

/**
 * Gives the reservations lacking `keyReadBy(store)` all their day keys; returns how many it
 * wrote, or null when `stop` said to stop before it was done. `siteGroupOf` asks spaces, once
 * per space.
 */
export async function backfillDays(
  deps: {
    reservations: DbAdapter;
    locks: DbAdapter;
    store: "embedded" | "mongo";
    siteGroupOf(spaceId: string): Promise<string | null>;
  },
  stop: () => boolean = () => false,
): Promise<number | null> {
  const missing = keyReadBy(deps.store);
  const groups = new Map<string, Promise<string | null>>();
  const siteGroupOf = (spaceId: string) => {
    let group = groups.get(spaceId);
    if (!group) groups.set(spaceId, (group = deps.siteGroupOf(spaceId)));
    return group;
  };
  let written = 0;
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationRecord>(deps.reservations, {
      query: { [missing]: { $exists: false } },
      limit: BATCH,
    });
    if (batch.length === 0) return written;
    for (const { _id, spaceId } of batch) {
      // Asked before the lock: a space's group never changes, and the lock is held briefly.
      const space = { spaceId, siteGroup: await siteGroupOf(spaceId) };
      await withReservationLock(
        deps.locks,
        _id,
        async () => {
          // Read again under the lock: a reschedule before it may have moved the reservation.
          const record = (await deps.reservations.findById(_id)) as ReservationRecord | null;
          if (!record || record[missing]) return;
          await deps.reservations.updateMany(
            { _id, [missing]: { $exists: false } },
            { $set: dayKeysOf(space, record.start, record.end) },
          );
          written++;
        },
        // Still locked after the wait: its holder is a live change; the next batch asks again.
        () => undefined,
      );
    }
  }
}
