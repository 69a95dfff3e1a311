/**
 * The day keys every reservation carries: its UTC days (`days`, lib/utc-days.ts), which FerretDB
 * can filter by, and its (space, UTC day) keys (`spaceDays`, lib/space-days.ts), which NeDB serves
 * from one index (window-query.ts). Written with every start and end (lifecycle.ts), and given
 * here to the reservations stored before either existed. Until a pass finds none left, this
 * instance's window queries ask for neither, so they miss nothing meanwhile. Each record is
 * written under its lock, like every other change of a reservation (record-lock.ts).
 */
import type { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { spaceDayKeys } from "../../lib/space-days";
import { findMany } from "../../lib/store";
import { toStored } from "../../lib/time";
import { utcDaysOf } from "../../lib/utc-days";
import { withReservationLock } from "./record-lock";
import type { ReservationRecord } from "./reservation-record";

const BATCH = 200;

/** The day keys of a reservation of `spaceId` over [start, end) (stored ISO instants). */
export function dayKeysOf(
  spaceId: string,
  start: string,
  end: string,
): Required<Pick<ReservationRecord, "days" | "spaceDays">> {
  const days = utcDaysOf(start, end);
  return { days, spaceDays: spaceDayKeys([spaceId], days) };
}

/** How a reservation of `spaceId` over [start, end) stores its times: the instants and day keys. */
export function storedTimes(
  spaceId: string,
  start: DateTime,
  end: DateTime,
): Required<Pick<ReservationRecord, "start" | "end" | "days" | "spaceDays">> {
  const stored = { start: toStored(start), end: toStored(end) };
  return { ...stored, ...dayKeysOf(spaceId, stored.start, stored.end) };
}

/**
 * Adds `days` and `spaceDays` to the reservations lacking `spaceDays` (the later of the two:
 * every version that wrote it wrote both); returns how many it wrote, or null when `stop` said
 * to stop before it was done.
 */
export async function backfillDays(
  deps: { reservations: DbAdapter; locks: DbAdapter },
  stop: () => boolean = () => false,
): Promise<number | null> {
  let written = 0;
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationRecord>(deps.reservations, {
      query: { spaceDays: { $exists: false } },
      limit: BATCH,
    });
    if (batch.length === 0) return written;
    for (const { _id } of batch) {
      await withReservationLock(
        deps.locks,
        _id,
        async () => {
          // Read again under the lock: a reschedule before it may have moved the reservation.
          const record = (await deps.reservations.findById(_id)) as ReservationRecord | null;
          if (!record || record.spaceDays) return;
          await deps.reservations.updateMany(
            { _id, spaceDays: { $exists: false } },
            { $set: dayKeysOf(record.spaceId, record.start, record.end) },
          );
          written++;
        },
        // Still locked after the wait: its holder is a live change; the next batch asks again.
        () => undefined,
      );
    }
  }
}
