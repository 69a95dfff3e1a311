/**
 * A create the store fails half-way (the database went away after its claims) is settled once the
 * store answers again, by its own instance within seconds, not after the two-minute sweep: it
 * holds its time and may have published its event, so it is completed. A create whose
 * confirmation did reach the store before it failed keeps its record and its cells; what an
 * older version left pending (without its event) is removed.
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { EventEnvelope } from "../../lib/events/envelope";
import {
  markOlderPending,
  PENDING_TIMEOUT_MS,
  sweepAbandoned,
  type LifecycleDeps,
} from "../../services/reservations/lifecycle";
import { eventCollector } from "../support/event-collector";
import { alwaysOpenSpace, lifecycleSystem } from "../support/lifecycle-system";
import { waitFor, waitUntil } from "../support/waiting";

/** The embedded store's own lookup: what the index it chose hands over for a query. */
interface NeDbInternals {
  _getRawCandidates(query: object): unknown[];
}

const member = { user: { id: "member-1", role: "member", locale: "en" } };

/** What the MongoDB driver throws for a call in flight when the server goes away. */
const storeGone = () =>
  Object.assign(new Error("connection closed"), { name: "MongoNetworkError" });

describe("creates the store failed half-way", () => {
  let broker: ServiceBroker;
  let lifecycle: LifecycleDeps;
  let spaceId: string;
  const day = DateTime.utc().plus({ days: 3 }).startOf("day");
  const slot = (hour: number) => ({
    start: day.plus({ hours: hour }).toISO()!,
    end: day.plus({ hours: hour + 1 }).toISO()!,
  });
  const create = (at: { start: string; end: string }) =>
    broker.call<{ id: string }, object>(
      "reservations.create",
      { spaceId, ...at },
      { meta: { ...member } },
    );
  const claimsOf = (reservationId: string) =>
    (lifecycle.claims as DbAdapter).count({ query: { reservationId } });
  /**
   * Makes reservation `id` what a create of an older version that died between its claims and
   * its confirmation left, over two minutes ago: pending without its event (which that version
   * made only with the confirmation), and marked so unless a version older still left it.
   */
  const leftPending = (id: string, by: "marked" | "unmarked") => {
    const longAgo = new Date(Date.now() - PENDING_TIMEOUT_MS - 1_000).toISOString();
    const pending = { status: "pending", createdAt: longAgo };
    return lifecycle.reservations.updateMany(
      { _id: id },
      by === "marked"
        ? { $set: { ...pending, pendingSince: longAgo } }
        : { $set: pending, $unset: { pendingSince: "" } },
    );
  };
  /** After a create that failed, once its tidy looked: kept, confirmed, and its time taken. */
  const expectKept = async (at: { start: string; end: string }) => {
    await waitUntil(async () => lifecycle.unfinished.size === 0, "the tidy to look at it");
    const [kept] = await recordsAt(at);
    expect(kept).toMatchObject({ status: "confirmed" });
    expect(await claimsOf(kept._id)).toBeGreaterThan(0);
    // Its cells still hold: nobody else gets the time.
    await expect(create(at)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
  };
  const received: EventEnvelope<{ reservation: { id: string } }>[] = [];
  const createdOf = (id: string) => received.filter(e => e.data.reservation.id === id);
  const recordsAt = (at: { start: string }) =>
    lifecycle.reservations.find({ query: { spaceId, start: at.start } }) as Promise<
      { _id: string; status: string }[]
    >;

  beforeAll(async () => {
    ({ broker, lifecycle } = await lifecycleSystem(null, [
      eventCollector(received, ["reservation.created"]),
    ]));
    spaceId = await alwaysOpenSpace(broker, {
      name: "Spreekkamer 1",
      kind: "meeting-room",
      site: "Gouda",
      capacity: 4,
    });
  });

  afterAll(() => broker.stop());
  afterEach(() => jest.restoreAllMocks());

  it("completes the booking once the store answers again: it holds its time and was announced", async () => {
    const at = slot(9);
    // The store goes away after the claims: the confirmation and the clean-up both fail.
    jest.spyOn(lifecycle.reservations, "updateMany").mockRejectedValue(storeGone());
    jest.spyOn(lifecycle.reservations, "removeById").mockRejectedValue(storeGone());
    jest.spyOn(lifecycle.reservations, "removeMany").mockRejectedValue(storeGone());
    await expect(create(at)).rejects.toMatchObject({ name: "MongoNetworkError" });

    const [left] = await recordsAt(at);
    expect(left).toMatchObject({ status: "pending" });
    expect(await claimsOf(left._id)).toBeGreaterThan(0);
    // Still down for a while: the tidy keeps it in mind and tries again.
    await new Promise(resolve => setTimeout(resolve, 2_500));
    expect(lifecycle.unfinished.has(left._id)).toBe(true);

    jest.restoreAllMocks();
    await waitUntil(
      async () => (await recordsAt(at))[0]?.status === "confirmed",
      "the booking to be completed",
    );
    // Announced once by the create, once more by the tidy that completed it: one event id.
    await waitFor(() => createdOf(left._id).length === 2, "its event, again");
    expect(new Set(createdOf(left._id).map(e => e.eventId)).size).toBe(1);
    expect(await claimsOf(left._id)).toBeGreaterThan(0);
    expect(lifecycle.unfinished.size).toBe(0);
    // Its time stays taken.
    await expect(create(at)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
  });

  it("keeps a reservation whose confirmation reached the store before it failed, with its cells", async () => {
    const at = slot(11);
    const updateMany = lifecycle.reservations.updateMany.bind(lifecycle.reservations);
    jest.spyOn(lifecycle.reservations, "updateMany").mockImplementationOnce(async (q, u) => {
      await updateMany(q, u);
      throw storeGone();
    });
    await expect(create(at)).rejects.toMatchObject({ name: "MongoNetworkError" });
    await expectKept(at);
  });

  it("keeps the claims of a create that a sweep completed while its claiming stalled and failed", async () => {
    const at = slot(5);
    const insertMany = lifecycle.claims.insertMany.bind(lifecycle.claims);
    jest.spyOn(lifecycle.claims, "insertMany").mockImplementationOnce(async claims => {
      await insertMany(claims);
      // Meanwhile past two minutes: a sweep found its claims all in place and completed it.
      const [{ reservationId }] = claims as { reservationId: string }[];
      await lifecycle.reservations.updateMany(
        { _id: reservationId },
        { $set: { status: "confirmed" }, $unset: { pendingSince: "", createdEvent: "" } },
      );
      throw storeGone();
    });
    await expect(create(at)).rejects.toMatchObject({ name: "MongoNetworkError" });
    await expectKept(at);
  });

  it("a reschedule whose claiming failed after its claims got in undoes them and stays as it was", async () => {
    const { id } = await create(slot(3));
    const before = await claimsOf(id);
    const insertMany = lifecycle.claims.insertMany.bind(lifecycle.claims);
    jest.spyOn(lifecycle.claims, "insertMany").mockImplementationOnce(async claims => {
      await insertMany(claims);
      throw storeGone();
    });
    const to = slot(4);
    await expect(
      broker.call("reservations.reschedule", { id, ...to }, { meta: { ...member } }),
    ).rejects.toMatchObject({ name: "MongoNetworkError" });
    expect(await lifecycle.reservations.findById(id)).toMatchObject({ start: slot(3).start });
    expect(await claimsOf(id)).toBe(before);
    // The time it did not move to is free.
    await expect(create(to)).resolves.toMatchObject({ status: "confirmed" });
  });

  it("goes on when the driver's resend of its insert meets the insert that had landed", async () => {
    const at = slot(15);
    const insert = lifecycle.reservations.insert.bind(lifecycle.reservations);
    jest.spyOn(lifecycle.reservations, "insert").mockImplementationOnce(async record => {
      await insert(record);
      throw Object.assign(new Error("E11000 duplicate key error"), {
        name: "MongoServerError",
        code: 11000,
      });
    });
    await expect(create(at)).resolves.toMatchObject({ status: "confirmed" });
    const [record] = await recordsAt(at);
    expect(record).toMatchObject({ status: "confirmed" });
    expect(lifecycle.unfinished.size).toBe(0);
  });

  it("the sweep frees a record an older version left pending, without its event, after two minutes", async () => {
    const at = slot(17);
    const { id } = await create(at);
    await leftPending(id, "marked");
    await sweepAbandoned(lifecycle);
    expect(await recordsAt(at)).toEqual([]);
    expect(await claimsOf(id)).toBe(0);
  });

  it("the embedded sweep reads only pending records, not every reservation older than two minutes", async () => {
    const longAgo = new Date(Date.now() - PENDING_TIMEOUT_MS - 60_000).toISOString();
    const confirmed = await Promise.all([8, 10, 12, 14].map(hour => create(slot(hour))));
    for (const { id } of confirmed) {
      await lifecycle.reservations.updateMany({ _id: id }, { $set: { createdAt: longAgo } });
    }
    const { id: abandoned } = await create(slot(21));
    await leftPending(abandoned, "marked");
    const store = (lifecycle.reservations as unknown as { db: NeDbInternals }).db;
    const read = jest.spyOn(store, "_getRawCandidates");
    await sweepAbandoned(lifecycle);
    const handedOver = read.mock.results.flatMap(result => result.value as { _id: string }[]);
    // Its look, and then the removal of what it found: never a confirmed record.
    expect(new Set(handedOver.map(record => record._id))).toEqual(new Set([abandoned]));
    expect(await lifecycle.reservations.findById(abandoned)).toBeNull();
    // A confirmed record has no mark: it is in no list the sweep reads.
    const [kept] = (await lifecycle.reservations.find({
      query: { _id: confirmed[0].id },
    })) as Record<string, unknown>[];
    expect(kept).toMatchObject({ status: "confirmed" });
    expect(kept).not.toHaveProperty("pendingSince");
  });

  it("marks what an older version left pending, so the embedded sweep frees it", async () => {
    const at = slot(23);
    const { id } = await create(at);
    await leftPending(id, "unmarked");
    await sweepAbandoned(lifecycle);
    expect(await recordsAt(at)).toHaveLength(1);

    expect(await markOlderPending(lifecycle)).toBe(1);
    expect(await markOlderPending(lifecycle)).toBe(0);
    await sweepAbandoned(lifecycle);
    expect(await recordsAt(at)).toEqual([]);
    expect(await claimsOf(id)).toBe(0);
  });

  it("the sweep keeps a create that got confirmed between its look and the lock", async () => {
    const at = slot(19);
    const { id } = await create(at);
    const [record] = await recordsAt(at);
    // The sweep's look still saw it pending; by the time it holds the lock it is confirmed.
    jest
      .spyOn(lifecycle.reservations, "find")
      .mockResolvedValueOnce([{ ...record, status: "pending" }] as never);
    await sweepAbandoned(lifecycle);
    expect(await recordsAt(at)).toMatchObject([{ status: "confirmed" }]);
    expect(await claimsOf(id)).toBeGreaterThan(0);
  });

  it("a refused create leaves nothing for the tidy: it removed what it wrote itself", async () => {
    const at = slot(13);
    await create(at);
    await expect(create(at)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
    expect(lifecycle.unfinished.size).toBe(0);
    expect(await recordsAt(at)).toHaveLength(1);
  });
});
