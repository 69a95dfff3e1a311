/**
 * reservation.* and space.* events are durable: on NATS JetStream a consumer that starts after
 * they were published still receives them, each in the documented envelope with its own id.
 * In the embedded default the in-process adapter delivers them without any server.
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { EventEnvelope } from "../../lib/events/envelope";
import { outboxOf } from "../../mixins/durable-events.mixin";
import { createReservationsService } from "../../services/reservations.service";
import { createSpacesService } from "../../services/spaces.service";
import { createReportsService } from "../../services/reports.service";
import { natsBroker, testBroker } from "../support/local-system";
import { deleteStreams, dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { eventCollector } from "../support/event-collector";
import { waitFor } from "../support/waiting";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
const member = { user: { id: "member-1", role: "member", locale: "en" } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Reservation {
  id: string;
}

/** Books and cancels once, as a manager and a member would; returns the reservation id. */
async function bookAndCancel(broker: ServiceBroker): Promise<string> {
  const space = await broker.call<{ id: string }, object>(
    "spaces.create",
    { name: "Events room", kind: "meeting-room", location: { site: "Delft" }, capacity: 4 },
    { meta: manager },
  );
  const day = DateTime.now().setZone("Europe/Amsterdam").plus({ days: 2 }).startOf("day");
  const reservation = await broker.call<Reservation, object>(
    "reservations.create",
    {
      spaceId: space.id,
      start: day.set({ hour: 10 }).toISO(),
      end: day.set({ hour: 11 }).toISO(),
      title: "Planning",
    },
    { meta: member },
  );
  await broker.call("reservations.cancel", { id: reservation.id }, { meta: member });
  return reservation.id;
}

const collector = (received: EventEnvelope[]) =>
  eventCollector(received, ["space.created", "reservation.created", "reservation.cancelled"]);

function expectEnvelopes(received: EventEnvelope[], reservationId: string) {
  const byType = Object.fromEntries(received.map(e => [e.type, e]));
  expect(Object.keys(byType).sort()).toEqual([
    "reservation.cancelled",
    "reservation.created",
    "space.created",
  ]);
  for (const envelope of received) {
    expect(envelope.eventId).toMatch(UUID);
    expect(DateTime.fromISO(envelope.occurredAt).isValid).toBe(true);
  }
  expect(new Set(received.map(e => e.eventId)).size).toBe(received.length);
  expect(byType["reservation.created"].data).toMatchObject({
    reservation: { id: reservationId, status: "confirmed", ownerId: "member-1" },
    by: "member-1",
  });
  expect(byType["reservation.cancelled"].data).toMatchObject({
    reservation: { id: reservationId, status: "cancelled" },
    reason: "cancelled",
  });
}

describe("durable events", () => {
  const namespace = uniqueName("ms-events");

  afterAll(() => deleteStreams(namespace));

  it("on JetStream reach a consumer that was not running when they were published", async () => {
    const config = testConfig();
    const producer = natsBroker(namespace, "producer");
    producer.createService(createSpacesService(config));
    producer.createService(createReservationsService(config));
    await producer.start();
    let reservationId: string;
    try {
      reservationId = await bookAndCancel(producer);
    } finally {
      await producer.stop();
    }

    const received: EventEnvelope[] = [];
    const consumer = natsBroker(namespace, "consumer");
    consumer.createService(collector(received));
    await consumer.start();
    try {
      await waitFor(() => received.length >= 3, "three events");
      expectEnvelopes(received, reservationId);
    } finally {
      await consumer.stop();
    }
  });

  it("in the embedded default are delivered in-process", async () => {
    const config = testConfig();
    const broker = testBroker();
    const received: EventEnvelope[] = [];
    broker.createService(createSpacesService(config));
    broker.createService(createReservationsService(config));
    broker.createService(collector(received));
    await broker.start();
    try {
      const reservationId = await bookAndCancel(broker);
      await waitFor(() => received.length >= 3, "three events");
      expectEnvelopes(received, reservationId);
    } finally {
      await broker.stop();
    }
  });
});

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("outbox").replace(/-/g, "_"))],
])("the outbox (%s)", (_label, database) => {
  it("keeps an event whose publish failed with the change, and the relay publishes it later", async () => {
    const uri = database();
    const broker = testBroker();
    const received: EventEnvelope[] = [];
    broker.createService(createSpacesService(testConfig({ mongoUri: uri })));
    broker.createService(collector(received));
    await broker.start();
    const channels = broker as unknown as { sendToChannel: (...args: unknown[]) => Promise<void> };
    const send = channels.sendToChannel;
    try {
      channels.sendToChannel = () => Promise.reject(new Error("JetStream is down"));
      const space = await broker.call<{ id: string }, object>(
        "spaces.create",
        { name: "Outbox room", kind: "desk", location: { site: "Breda" }, capacity: 1 },
        { meta: manager },
      );
      // The change is stored and answered although its event could not go out.
      expect(space.id).toBeTruthy();
      expect(received).toEqual([]);

      channels.sendToChannel = send;
      const spaces = broker.getLocalService("spaces") as unknown as {
        relayOutbox(olderThanMs: number): Promise<number>;
      };
      expect(await spaces.relayOutbox(0)).toBe(1);
      await waitFor(() => received.length === 1, "the relayed event");
      expect(received[0]).toMatchObject({
        type: "space.created",
        data: { space: { id: space.id } },
      });
      // Published once and removed: nothing is left to relay, and clients never see the outbox.
      expect(await spaces.relayOutbox(0)).toBe(0);
      const read = await broker.call<Record<string, unknown>, object>(
        "spaces.get",
        { id: space.id },
        {
          meta: manager,
        },
      );
      expect(read).not.toHaveProperty("outbox");
      expect(read).not.toHaveProperty("outboxSince");
      expect(read).not.toHaveProperty("outboxIds");
    } finally {
      channels.sendToChannel = send;
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});

describe("the outbox relay and an older version's outboxes", () => {
  it("asks without the flag at start and once such an instance has left, not every few minutes", async () => {
    const broker = testBroker();
    const received: EventEnvelope[] = [];
    broker.createService(createSpacesService(testConfig()));
    broker.createService(collector(received));
    await broker.start();
    const spaces = broker.getLocalService("spaces") as unknown as {
      adapter: { find: (params: object) => Promise<unknown[]>; insert(doc: object): Promise<void> };
      relayOutbox(olderThanMs: number): Promise<number>;
    };
    const find = jest.spyOn(spaces.adapter, "find");
    const registry = broker.registry as unknown as { getServiceList(opts: object): object[] };
    const services = registry.getServiceList.bind(registry);
    /** Whether each of `rounds` more relay rounds asked without `outboxPending`. */
    const unflaggedAsked = async (rounds: number) => {
      const asked: boolean[] = [];
      for (let i = 0; i < rounds; i++) {
        find.mockClear();
        await spaces.relayOutbox(0);
        const [query] = find.mock.calls.map(call => (call[0] as { query: object }).query);
        asked.push(!("outboxPending" in query));
      }
      return asked;
    };
    try {
      // Alone with its own version: the first round, then never (the old relay asked every 20th).
      expect(await unflaggedAsked(30)).toEqual([true, ...Array(29).fill(false)]);

      // An instance of an older version runs (it relays what it stages itself), then leaves:
      // what it staged without the flag is looked for in the four rounds after.
      const staged: Partial<ReturnType<typeof outboxOf>> = outboxOf({
        eventId: "3f1c7c1e-6f0a-4b8e-9a51-1c2d3e4f5a6b",
        type: "space.created",
        occurredAt: new Date().toISOString(),
        data: { space: { id: "staged-by-older" } },
      });
      delete staged.outboxPending;
      await spaces.adapter.insert({ _id: "staged-by-older", name: "Oud", ...staged });
      const older = jest
        .spyOn(registry, "getServiceList")
        .mockImplementation(opts => [...services(opts), { name: "spaces", metadata: {} }]);
      expect(await unflaggedAsked(2)).toEqual([false, false]);
      older.mockRestore();
      expect(await unflaggedAsked(6)).toEqual([true, true, true, true, false, false]);
      await waitFor(
        () => received.some(e => e.eventId === "3f1c7c1e-6f0a-4b8e-9a51-1c2d3e4f5a6b"),
        "the older version's event, relayed",
      );
    } finally {
      await broker.stop();
    }
  });
});

describe("the reports read model", () => {
  it("does not count an event twice, nor let an older one undo a newer", async () => {
    const broker = testBroker();
    const received: EventEnvelope[] = [];
    const config = testConfig();
    broker.createService(createSpacesService(config));
    broker.createService(createReservationsService(config));
    broker.createService(createReportsService(config));
    broker.createService(collector(received));
    await broker.start();
    try {
      const reservationId = await bookAndCancel(broker);
      await waitFor(() => received.length >= 3, "three events");
      const day = DateTime.now().setZone("Europe/Amsterdam").plus({ days: 2 }).startOf("day");
      const report = () =>
        broker.call<{ rows: unknown[] }, object>(
          "reports.utilization",
          { from: day.toISO(), to: day.plus({ days: 1 }).toISO() },
          { meta: manager },
        );
      const before = await report();
      expect(before.rows).toEqual([
        expect.objectContaining({ reservations: 0, cancellations: 1, bookedHours: 0 }),
      ]);

      const reports = broker.getLocalService("reports") as unknown as {
        emitLocalChannelHandler(channel: string, payload: unknown): Promise<void>;
      };
      // Every event again, then the creation once more after the cancellation.
      for (const event of [...received, received.find(e => e.type === "reservation.created")!]) {
        await reports.emitLocalChannelHandler(event.type, event);
      }
      expect(await report()).toEqual(before);
      expect(reservationId).toBeTruthy();
    } finally {
      await broker.stop();
    }
  });
});
