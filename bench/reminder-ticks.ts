/**
 * One reminder tick of `notifications` on FerretDB 1.24 / PostgreSQL, as the store grows: the
 * query a tick made before the due slots (every scheduled reminder, filtered by time in FerretDB)
 * and the queries it makes now (services/notifications/reminders.ts, `sendDueInSlots`: the slots
 * since its last tick, by equality), side by side in one run. Every instance ticks every 15 s
 * (REMINDER_CHECK_SECONDS), whatever else it does, so this cost is paid all the time. The
 * reminders are shaped as `trackReminder` stores them, one per upcoming reservation, due over
 * the next 60 days from an hour ahead; none is due during the run, as between two bursts of
 * reminders.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/reminder-ticks.js [--rounds 20]
 */
import { DateTime } from "luxon";
import { dueSlotOf, nextCursor } from "../services/notifications/due-slots";
import { sendDueInSlots, type ReminderDeps } from "../services/notifications/reminders";
import { adapterOf, alternate, option, runProbe } from "./probe";
import { addPushdownIndexes, analyzeTables } from "./processes";

const ROUNDS = Number(option("rounds", "20"));
/** Scheduled reminders in the store: a small organisation's to the full size. */
const SIZES = [1_000, 10_000, 100_000];
const HORIZON_MINUTES = 60 * 24 * 60;
const now = DateTime.utc();

/** A scheduled reminder, due `minutesAhead` from now, as `trackReminder` writes it. */
function reminder(i: number, minutesAhead: number) {
  const remindAt = now.plus({ minutes: minutesAhead });
  const start = remindAt.plus({ minutes: 30 });
  return {
    _id: `reservation-${i}`,
    userId: `user-${i % 500}`,
    spaceId: `space-${i % 2000}`,
    start: start.toISO()!,
    end: start.plus({ hours: 1 }).toISO()!,
    title: "",
    remindAt: remindAt.toISO()!,
    dueSlot: dueSlotOf(remindAt.toISO()!, now.toMillis()),
    status: "scheduled",
    updatedAt: now.toISO()!,
  };
}

runProbe("reminder_ticks", async (client, ferret) => {
  const reminders = client.db().collection("reminders");
  // As notifications.service.ts declares them on MongoDB, then the operator's GIN indexes.
  await reminders.createIndex({ dueSlot: 1 }, { sparse: true });
  await reminders.createIndex({ status: 1, remindAt: 1 });
  await reminders.createIndex({ userId: 1 });
  addPushdownIndexes(ferret.postgresUrl!, "reminder_ticks");
  const at = () => new Date().toISOString();
  const before = () =>
    reminders
      .find({ status: "scheduled", remindAt: { $lte: at() } }, { sort: { remindAt: 1 } })
      .limit(100)
      .toArray();
  // A tick 15 s after the last: the slots from a minute before that one through now.
  const cursor = nextCursor(Date.now() - 15_000);
  // The tick's own code, which here only reads: nothing is due (the check on `before`'s answer
  // below), and a reminder found due would fail the run on the `notifications` it lacks.
  const deps = { reminders: adapterOf(reminders) } as unknown as ReminderDeps;
  const after = () => sendDueInSlots(deps, cursor);
  console.log(
    `FerretDB 1.24 / PostgreSQL; scheduled reminders due over the next 60 days, ${ROUNDS} rounds each\n`,
  );
  console.log(
    "| scheduled reminders | before: by status and time, ms per tick | now: by due slot, ms per tick | ratio |\n| ---: | ---: | ---: | ---: |",
  );
  let stored = 0;
  for (const size of SIZES) {
    for (let from = stored; from < size; from += 5_000) {
      const to = Math.min(size, from + 5_000);
      await reminders.insertMany(
        Array.from({ length: to - from }, (_, k) =>
          // From an hour ahead, so none falls due while the run lasts.
          reminder(from + k, 60 + (((from + k) * 7919) % HORIZON_MINUTES)),
        ),
      );
    }
    stored = size;
    // What autovacuum would have done by now (this machine's PostgreSQL runs without it).
    analyzeTables(ferret.postgresUrl!, "reminder_ticks");
    const ms = await alternate<"before" | "after", unknown>(ROUNDS, { before, after }, answer => {
      if (Array.isArray(answer) && answer.length !== 0) {
        throw new Error(`${answer.length} reminders due; none should be`);
      }
    });
    console.log(
      `| ${size.toLocaleString("en")} | ${ms.before.toFixed(1)} | ${ms.after.toFixed(1)} | ${(ms.before / ms.after).toFixed(0)}× |`,
    );
  }
});
