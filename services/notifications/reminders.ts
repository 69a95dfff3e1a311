/**
 * Reminders before a reservation starts, from the service's own `reminders` collection, fed by
 * the reservation events with newest state wins: a moved reservation's reminder moves, a
 * cancelled one's is dropped, whatever order the events arrive in. A due reminder makes its
 * notification under the key `reminder|reservationId|start`, so it is made once however many
 * instances find it; one whose start has passed is dropped as missed.
 */
import { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { ReservationEvent, type ReservationEnvelope } from "../../lib/events/reservation-events";
import { findMany, upsertNewer } from "../../lib/store";
import { notify, type NotifyDeps } from "./in-app";

const BATCH = 100;

export interface ReminderRecord {
  /** The reservation's id. */
  _id: string;
  userId?: string;
  spaceId?: string;
  start?: string;
  end?: string;
  title?: string;
  /**
   * When it is due, only while it is `scheduled`: the embedded store's index on it then holds
   * only what is still to send, not every reminder ever sent (notifications.service.ts).
   */
  remindAt?: string;
  status: "scheduled" | "sent" | "cancelled" | "missed";
  updatedAt: string;
}

export interface ReminderDeps extends NotifyDeps {
  reminders: DbAdapter;
  /** How long before the start a reminder is due. */
  reminderMinutes: number;
}

/** Keeps the reservation's reminder in step with the event (newest state wins). */
export async function trackReminder(deps: ReminderDeps, event: ReservationEnvelope): Promise<void> {
  const r = event.data.reservation;
  if (event.type === ReservationEvent.CANCELLED) {
    await upsertNewer(deps.reminders, r.id, { status: "cancelled", updatedAt: r.updatedAt }, [
      "remindAt",
    ]);
    return;
  }
  const remindAt = DateTime.fromISO(r.start, { zone: "utc" })
    .minus({ minutes: deps.reminderMinutes })
    .toISO()!;
  await upsertNewer(
    deps.reminders,
    r.id,
    {
      userId: r.ownerId,
      spaceId: r.spaceId,
      start: r.start,
      end: r.end,
      title: r.title,
      remindAt,
      status: "scheduled",
      updatedAt: r.updatedAt,
    },
    [],
    { likelyNew: event.type === ReservationEvent.CREATED },
  );
}

/** A reminder that will not be sent any more: no longer due. */
const DONE = (status: "sent" | "missed") => ({ $set: { status }, $unset: { remindAt: "" } });

/** Sends the reminders that are due; safe on every instance at once. */
export async function sendDueReminders(deps: ReminderDeps): Promise<void> {
  const now = new Date().toISOString();
  const due = await findMany<Required<ReminderRecord>>(deps.reminders, {
    query: { status: "scheduled", remindAt: { $lte: now } },
    sort: ["remindAt"],
    limit: BATCH,
  });
  for (const reminder of due) {
    const guard = { _id: reminder._id, status: "scheduled", start: reminder.start };
    if (reminder.start <= now) {
      await deps.reminders.updateMany(guard, DONE("missed"));
      continue;
    }
    const key = `reminder|${reminder._id}|${reminder.start}`;
    // Another instance got there first: nothing to make, only to mark.
    const made = await deps.notifications.findOne({ key });
    if (!made) {
      await notify(deps, {
        key,
        userId: reminder.userId,
        kind: "reservation.reminder",
        reservation: { id: reminder._id, ...reminder },
      });
    }
    await deps.reminders.updateMany(guard, DONE("sent"));
  }
}

/**
 * Removes the `remindAt` an older version left on reminders no longer scheduled (sent, missed,
 * cancelled). On the embedded store it kept them in the index `sendDueReminders` reads. Run at
 * start there; it reads every reminder once. Returns how many it changed.
 */
export async function dropOlderRemindTimes(reminders: DbAdapter): Promise<number> {
  return reminders.updateMany(
    { status: { $ne: "scheduled" }, remindAt: { $exists: true } },
    { $unset: { remindAt: "" } },
  );
}
