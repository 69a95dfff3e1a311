/**
 * Reminders are found by their due slot on MongoDB (services/notifications/due-slots.ts), so a
 * tick reads the reminders falling due since the last one, not every reminder still to come:
 * on FerretDB the old range query fetched and decoded all of them every 15 seconds. A catch-up
 * pass at start sends what fell due before it and gives an older version's reminders a slot.
 * On NeDB the ticks read the range from an index holding only scheduled reminders, as before.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { MongoClient } from "mongodb";
import type { DbAdapter } from "moleculer-db";
import {
  ReservationEvent,
  type PublicReservation,
  type ReservationEnvelope,
} from "../../lib/events/reservation-events";
import { createNotificationsService } from "../../services/notifications.service";
import { slotOf } from "../../services/notifications/due-slots";
import {
  trackReminder,
  type ReminderDeps,
  type ReminderRecord,
} from "../../services/notifications/reminders";
import { startFerretDb } from "../support/ferretdb";
import { testBroker } from "../support/local-system";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

/** An hour's reminder, so a reservation starting within the hour is due at once. */
const REMINDER_MINUTES = 60;

interface Notifications {
  adapter: DbAdapter;
  reminders: DbAdapter;
  deps: ReminderDeps;
  reminderCursor?: string;
  sendReminders(): Promise<void>;
}

const iso = (at: DateTime) => at.toISO({ suppressMilliseconds: false })!;

async function startNotifications(uri: string | null) {
  const broker = testBroker();
  // Who to tell and where: the two calls a reminder's notification makes.
  broker.createService({
    name: "users",
    actions: { contact: () => ({ email: "anna@example.test", name: "Anna", locale: "en" }) },
  });
  broker.createService({
    name: "spaces",
    actions: { get: () => ({ name: "Tulp", timeZone: "Europe/Amsterdam" }) },
  });
  broker.createService(
    // Ticks only when a test says so.
    createNotificationsService(testConfig({ mongoUri: uri, reminderMinutes: REMINDER_MINUTES }), {
      tickMs: 3_600_000,
    }),
  );
  await broker.start();
  const service = broker.getLocalService("notifications") as unknown as Notifications;
  /** The reservation `id` booked from `start` for an hour, as its create event tells it. */
  const booked = (id: string, start: DateTime) => {
    const reservation: PublicReservation = {
      id,
      spaceId: "space-1",
      ownerId: "anna",
      title: "Overleg",
      start: iso(start),
      end: iso(start.plus({ hours: 1 })),
      status: "confirmed",
      createdAt: iso(DateTime.utc()),
      updatedAt: new Date(Date.now()).toISOString(),
    };
    const event = {
      eventId: randomUUID(),
      type: ReservationEvent.CREATED,
      occurredAt: reservation.updatedAt,
      data: { reservation, by: "anna" },
    } as ReservationEnvelope;
    return trackReminder(service.deps, event);
  };
  const reminded = async (id: string) =>
    (await service.adapter.find({ query: { kind: "reservation.reminder", reservationId: id } }))
      .length;
  const stored = async (id: string) => (await service.reminders.findById(id)) as ReminderRecord;
  return { broker, service, booked, reminded, stored };
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("slots").replace(/-/g, "_"))],
])("reminders by due slot (%s)", (label, database) => {
  it("sends a reminder once it is due, and keeps one still to come, filed under its slot", async () => {
    const uri = database();
    const { broker, service, booked, reminded, stored } = await startNotifications(uri);
    try {
      const now = DateTime.utc();
      // Booked half an hour ahead with an hour's reminder: due at once, filed under now's slot.
      await booked("soon", now.plus({ minutes: 30 }));
      await booked("later", now.plus({ hours: 5 }));
      expect(await stored("soon")).toMatchObject({
        status: "scheduled",
        dueSlot: slotOf(Date.now()),
      });
      const later = await stored("later");
      expect(later.dueSlot).toBe(slotOf(Date.parse(later.remindAt!)));

      await service.sendReminders();
      await service.sendReminders();
      expect(await reminded("soon")).toBe(1);
      expect(await reminded("later")).toBe(0);
      const sent = await stored("soon");
      expect(sent.status).toBe("sent");
      expect(sent).not.toHaveProperty("dueSlot");
      expect(sent).not.toHaveProperty("remindAt");
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("a cancelled reservation's reminder leaves its slot", async () => {
    const uri = database();
    const { broker, service, booked, stored } = await startNotifications(uri);
    try {
      await booked("gone", DateTime.utc().plus({ hours: 5 }));
      const tracked = await stored("gone");
      await trackReminder(service.deps, {
        eventId: randomUUID(),
        type: ReservationEvent.CANCELLED,
        occurredAt: new Date().toISOString(),
        data: {
          reservation: {
            id: "gone",
            updatedAt: DateTime.fromISO(tracked.updatedAt).plus({ seconds: 1 }).toISO()!,
          } as PublicReservation,
          reason: "cancelled",
          by: "anna",
        },
      } as ReservationEnvelope);
      const cancelled = await stored("gone");
      expect(cancelled.status).toBe("cancelled");
      expect(cancelled).not.toHaveProperty("dueSlot");
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  if (label === "embedded store") return;

  it("ticks ask only for the slots since the last one, and find what falls due later", async () => {
    const uri = database();
    const { broker, service, booked, reminded } = await startNotifications(uri);
    const find = jest.spyOn(service.reminders, "find");
    try {
      const start = DateTime.utc().plus({ hours: 2 });
      await booked("in-an-hour", start);
      await service.sendReminders();
      expect(await reminded("in-an-hour")).toBe(0);

      // An hour on: the reminder falls due. The tick asks for each slot since the last by
      // equality, and never for every scheduled reminder.
      const remindAt = Date.parse(iso(start.minus({ minutes: REMINDER_MINUTES })));
      const clock = jest.spyOn(Date, "now").mockReturnValue(remindAt + 1_000);
      find.mockClear();
      await service.sendReminders();
      clock.mockRestore();
      expect(await reminded("in-an-hour")).toBe(1);
      const asked = find.mock.calls.map(call => (call[0] as { query: object }).query);
      // An hour and a minute of five-minute slots.
      expect(asked.length).toBeGreaterThanOrEqual(12);
      expect(asked.length).toBeLessThanOrEqual(14);
      for (const query of asked) {
        expect(query).toMatchObject({ dueSlot: expect.any(String), status: "scheduled" });
      }
      expect(asked.map(query => (query as { dueSlot: string }).dueSlot)).toContain(
        slotOf(remindAt),
      );
    } finally {
      find.mockRestore();
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("catches up at start: sends what fell due, drops what was missed, files older records", async () => {
    const uri = database();
    const { broker, service, reminded, stored } = await startNotifications(uri);
    try {
      const now = DateTime.utc();
      // As an older version, or an instance stopped over their due time, left them.
      const legacy = (id: string, start: DateTime) => ({
        _id: id,
        userId: "anna",
        spaceId: "space-1",
        start: iso(start),
        end: iso(start.plus({ hours: 1 })),
        title: "",
        remindAt: iso(start.minus({ minutes: REMINDER_MINUTES })),
        status: "scheduled",
        updatedAt: iso(now.minus({ days: 1 })),
      });
      await service.reminders.insert(legacy("due-unfiled", now.plus({ minutes: 20 })));
      await service.reminders.insert({
        ...legacy("due-filed-long-ago", now.plus({ minutes: 10 })),
        dueSlot: slotOf(now.minus({ minutes: 50 }).toMillis()),
      });
      await service.reminders.insert({
        ...legacy("missed", now.minus({ hours: 3 })),
        dueSlot: slotOf(now.minus({ hours: 4 }).toMillis()),
      });
      await service.reminders.insert(legacy("to-come", now.plus({ days: 2 })));

      expect(service.reminderCursor).toBeUndefined();
      await service.sendReminders();
      expect(service.reminderCursor).toBe(slotOf(Date.now() - 60_000));

      expect(await reminded("due-unfiled")).toBe(1);
      expect(await reminded("due-filed-long-ago")).toBe(1);
      expect(await reminded("missed")).toBe(0);
      expect(await stored("missed")).toMatchObject({ status: "missed" });
      const toCome = await stored("to-come");
      expect(toCome).toMatchObject({
        status: "scheduled",
        dueSlot: slotOf(Date.parse(toCome.remindAt!)),
      });
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});

describe("reminders by due slot on FerretDB with PostgreSQL", () => {
  it("a tick's query is filtered by PostgreSQL on the slot", async () => {
    const ferret = await startFerretDb({ backend: "postgresql" });
    const uri = `${ferret.url}/slots_pushdown`;
    const { broker, service } = await startNotifications(uri);
    const client = await MongoClient.connect(uri, { useUnifiedTopology: true });
    const find = jest.spyOn(service.reminders, "find");
    try {
      await service.sendReminders();
      find.mockClear();
      await service.sendReminders();
      const [query] = find.mock.calls.map(call => (call[0] as { query: object }).query);
      const explained = await client.db().command({
        explain: { find: "reminders", filter: query },
      });
      expect(explained.filterPushdown).toBe(true);
      expect(JSON.stringify(explained.queryPlanner)).toContain("dueSlot");
    } finally {
      find.mockRestore();
      await client.close();
      await broker.stop();
      await ferret.stop();
    }
  });
});
