/**
 * Reminders before a reservation starts, from the service's own `reminders` collection, fed by
 * the reservation events with newest state wins: a moved reservation's reminder moves, a
 * cancelled one's is dropped, whatever order the events arrive in. A due reminder makes its
 * notification under the key `reminder|reservationId|start`, so it is made once however many
 * instances find it; one whose start has passed is dropped as missed.
 *
 * How a tick finds what is due depends on the store. NeDB indexes `remindAt`, which only
 * scheduled reminders carry, and reads the range. On MongoDB (FerretDB) a tick asks by equality
 * for the due slots since its last (due-slots.ts); once per instance, before its first, a
 * catch-up pass handles what fell due before it started and gives an older version's reminders
 * their slot.
 */
import { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { ReservationEvent, type ReservationEnvelope } from "../../lib/events/reservation-events";
import { findMany, upsertNewer } from "../../lib/store";
import { dueSlotOf, nextCursor, slotsSince } from "./due-slots";
import { notify, type NotifyDeps } from "./in-app";

const BATCH = 100;
/**
 * How many reminders one read of the catch-up pass returns. On FerretDB each read decodes every
 * scheduled reminder, so after an upgrade, when none has a slot yet, a larger batch means fewer
 * such reads.
 */
const CATCH_UP_BATCH = 5_000;

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
  /** The slot it is looked for in on MongoDB (due-slots.ts), only while it is `scheduled`. */
  dueSlot?: string;
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
      "dueSlot",
    ]);
    return;
  }
  const remindAt = DateTime.fromISO(r.start, { zone: "utc" })
    .minus({ minutes: deps.reminderMinutes })
    .toISO()!;
  const dueSlot = dueSlotOf(remindAt, Date.now());
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
      dueSlot,
      status: "scheduled",
      updatedAt: r.updatedAt,
    },
    [],
    { likelyNew: event.type === ReservationEvent.CREATED },
  );
}

/** A reminder that will not be sent any more: no longer due, in no slot. */
const DONE = (status: "sent" | "missed") => ({
  $set: { status },
  $unset: { remindAt: "", dueSlot: "" },
});

/**
 * Sends a reminder found due at `now`, or drops it as missed when its start has passed; once,
 * however many instances found it.
 */
async function handleDue(deps: ReminderDeps, reminder: Required<ReminderRecord>, now: string) {
  const guard = { _id: reminder._id, status: "scheduled", start: reminder.start };
  if (reminder.start <= now) {
    await deps.reminders.updateMany(guard, DONE("missed"));
    return;
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

/**
 * Sends (or drops as missed) the first BATCH of scheduled reminders `query` finds due at `now`,
 * earliest first; whether that was all of them.
 */
async function sendBatch(
  deps: ReminderDeps,
  query: Record<string, unknown>,
  now: string,
): Promise<boolean> {
  const due = await findMany<Required<ReminderRecord>>(deps.reminders, {
    query: { ...query, status: "scheduled", remindAt: { $lte: now } },
    sort: ["remindAt"],
    limit: BATCH,
  });
  for (const reminder of due) await handleDue(deps, reminder, now);
  return due.length < BATCH;
}

/** Sends the reminders that are due, on NeDB; safe on every instance at once. */
export async function sendDueReminders(deps: ReminderDeps): Promise<void> {
  await sendBatch(deps, {}, new Date(Date.now()).toISOString());
}

/**
 * Sends the reminders due in the slots from `from` through now, on MongoDB; safe on every
 * instance at once. Returns where the next tick starts: a little before now when it found all,
 * `from` again when a slot held more than one batch.
 */
export async function sendDueInSlots(deps: ReminderDeps, from: string): Promise<string> {
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  let complete = true;
  for (const dueSlot of slotsSince(from, nowMs)) {
    if (!(await sendBatch(deps, { dueSlot }, now))) complete = false;
  }
  return complete ? nextCursor(nowMs) : from;
}

/**
 * Once per instance on MongoDB, before its first tick: sends (or drops as missed) what fell due
 * before now, which no slot the ticks ask for may hold (all instances were stopped, or an older
 * version wrote it), and gives an older version's reminders still to come their slot. Returns
 * where the first tick starts. On FerretDB it reads every scheduled reminder once.
 */
export async function catchUpReminders(deps: ReminderDeps): Promise<string> {
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const query = {
    status: "scheduled",
    $or: [{ remindAt: { $lte: now } }, { dueSlot: { $exists: false } }],
  };
  const seen = new Set<string>();
  for (;;) {
    const batch = await findMany<Required<ReminderRecord>>(deps.reminders, {
      query,
      limit: CATCH_UP_BATCH,
    });
    const fresh = batch.filter(reminder => !seen.has(reminder._id));
    // Nothing new: what is left was changed by others meanwhile and is theirs to finish.
    if (fresh.length === 0) return nextCursor(nowMs);
    for (const reminder of fresh) {
      seen.add(reminder._id);
      if (reminder.remindAt <= now) {
        await handleDue(deps, reminder, now);
        continue;
      }
      await deps.reminders.updateMany(
        {
          _id: reminder._id,
          status: "scheduled",
          remindAt: reminder.remindAt,
          dueSlot: { $exists: false },
        },
        { $set: { dueSlot: dueSlotOf(reminder.remindAt, nowMs) } },
      );
    }
    // A part batch was all there was: no second read of every scheduled reminder to see so.
    if (batch.length < CATCH_UP_BATCH) return nextCursor(nowMs);
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
