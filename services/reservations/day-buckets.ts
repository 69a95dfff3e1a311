/**
 * Gives every reservation stored before `days` existed its UTC days (lib/utc-days.ts). Until a
 * pass finds none left, this instance's window queries do not ask for a day (queries.ts
 * `overlapping`), so they miss nothing meanwhile. Each record is written under its lock, like
 * every other change of a reservation (record-lock.ts).
 */
import type { DbAdapter } from "moleculer-db";
import { findMany } from "../../lib/store";
import { utcDaysOf } from "../../lib/utc-days";
import { withReservationLock } from "./record-lock";
import type { ReservationRecord } from "./reservation-record";

const BATCH = 200;

/**
 * Adds `days` to the reservations lacking it; returns how many it wrote, or null when `stop`
 * said to stop before it was done.
 */
export async function backfillDays(
  deps: { reservations: DbAdapter; locks: DbAdapter },
  stop: () => boolean = () => false,
): Promise<number | null> {
  let written = 0;
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationRecord>(deps.reservations, {
      query: { days: { $exists: false } },
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
          if (!record || record.days) return;
          await deps.reservations.updateMany(
            { _id, days: { $exists: false } },
            { $set: { days: utcDaysOf(record.start, record.end) } },
          );
          written++;
        },
        // Still locked after the wait: its holder is a live change; the next batch asks again.
        () => undefined,
      );
    }
  }
}
