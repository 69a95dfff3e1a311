/**
 * Claims that no booking needs any more (services/reservations/stale-claims.ts): a cancel or a
 * reschedule whose release failed, or a create's claims on a record that is gone, leave cells
 * that no reservation shows and nobody could book. The next create or reschedule that runs into
 * them frees them and books; claims that a booking needs, or that a change under way may still
 * need (a pending create's, a locked reservation's, a move's younger than two minutes), stay. On the embedded store and on the Mongo-wire server.
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { LifecycleDeps } from "../../services/reservations/lifecycle";
import { reservationLockName, withReservationLock } from "../../services/reservations/record-lock";
import { claimKeys } from "../../services/reservations/slot-claims";
import { SETTLED_AFTER_MS } from "../../services/reservations/stale-claims";
import { alwaysOpenSpace, lifecycleSystem } from "../support/lifecycle-system";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";

const alice = { user: { id: "member-alice", role: "member", locale: "en" } };
const bob = { user: { id: "member-bob", role: "member", locale: "en" } };
const storeFailed = () => new Error("the store failed here");

interface Booked {
  id: string;
  status: string;
  start: string;
  end: string;
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("stale_claims").replace(/-/g, "_"))],
])("claims no booking needs are freed when in the way (%s)", (_label, database) => {
  let uri: string | null;
  let broker: ServiceBroker;
  let lifecycle: LifecycleDeps;
  let spaceId: string;
  const day = DateTime.utc().plus({ days: 4 }).startOf("day");
  const slot = (hour: number) => ({
    start: day.plus({ hours: hour }).toISO()!,
    end: day.plus({ hours: hour + 1 }).toISO()!,
  });
  const create = (at: { start: string; end: string }, meta: object) =>
    broker.call<Booked, object>("reservations.create", { spaceId, ...at }, { meta });
  const claimsOf = (reservationId: string) =>
    (lifecycle.claims as DbAdapter).count({ query: { reservationId } });
  const cellsOf = (at: { start: string; end: string }) =>
    claimKeys(
      spaceId,
      DateTime.fromISO(at.start, { zone: "utc" }),
      DateTime.fromISO(at.end, { zone: "utc" }),
    );
  /** Claims, as a create of `reservationId` would have written them, without its record. */
  const leftBehind = (reservationId: string, at: { start: string; end: string }) =>
    lifecycle.claims.insertMany(
      cellsOf(at).map(key => ({
        key,
        spaceId,
        reservationId,
        op: reservationId,
        createdAt: new Date().toISOString(),
      })),
    );
  /** Dates reservation `id`'s claims back past the time a move under way could still need them. */
  const aged = (reservationId: string) =>
    lifecycle.claims.updateMany(
      { reservationId },
      { $set: { createdAt: new Date(Date.now() - SETTLED_AFTER_MS - 1_000).toISOString() } },
    );
  /** The change fails at its release of claims, as on a store that went away, after its write. */
  const failingToRelease = async (change: () => Promise<unknown>) => {
    jest.spyOn(lifecycle.claims, "removeMany").mockRejectedValueOnce(storeFailed());
    await expect(change()).rejects.toThrow("the store failed here");
    jest.restoreAllMocks();
  };
  const cancelling = (id: string) => () =>
    broker.call("reservations.cancel", { id }, { meta: alice });
  const moving = (id: string, to: { start: string; end: string }) => () =>
    broker.call("reservations.reschedule", { id, ...to }, { meta: alice });

  beforeAll(async () => {
    uri = database();
    ({ broker, lifecycle } = await lifecycleSystem(uri));
    spaceId = await alwaysOpenSpace(broker, {
      name: "Stiltewerkplek 7",
      kind: "desk",
      site: "Zwolle",
      capacity: 1,
    });
  });

  afterAll(async () => {
    await broker.stop();
    if (uri) await dropDatabase(uri);
  });
  afterEach(() => jest.restoreAllMocks());

  it("books a time whose claims a cancel failed to release", async () => {
    const at = slot(8);
    const first = await create(at, alice);
    await failingToRelease(cancelling(first.id));
    expect(await lifecycle.reservations.findById(first.id)).toMatchObject({ status: "cancelled" });
    expect(await claimsOf(first.id)).toBe(4);

    const second = await create(at, bob);

    expect(second).toMatchObject({ status: "confirmed", start: at.start });
    expect(await claimsOf(first.id)).toBe(0);
    expect(await claimsOf(second.id)).toBe(4);
  });

  it("books a time a reschedule moved away from but failed to release", async () => {
    const before = slot(10);
    const after = slot(12);
    const moved = await create(before, alice);
    await failingToRelease(moving(moved.id, after));
    expect(await lifecycle.reservations.findById(moved.id)).toMatchObject({ start: after.start });
    expect(await claimsOf(moved.id)).toBe(8);
    // Young, they may be a move's still under way (see the test below); past that, leftovers.
    await aged(moved.id);

    const taker = await create(before, bob);

    expect(taker).toMatchObject({ status: "confirmed", start: before.start });
    // Only the cells its old time left: its new time stays its own.
    expect(await claimsOf(moved.id)).toBe(4);
    await expect(create(after, bob)).rejects.toMatchObject({
      type: "RESERVATION_CONFLICT",
      data: { conflicts: [{ start: after.start, end: after.end }] },
    });
  });

  it("moves a reservation back onto its old time, whose release had failed", async () => {
    const first = slot(2);
    const second = slot(3);
    const moved = await create(first, alice);
    await failingToRelease(moving(moved.id, second));
    await aged(moved.id);

    const back = await broker.call<Booked, object>(
      "reservations.reschedule",
      { id: moved.id, ...first },
      { meta: alice },
    );

    expect(back).toMatchObject({ status: "confirmed", start: first.start });
    expect(await claimsOf(moved.id)).toBe(4);
    await expect(create(second, bob)).resolves.toMatchObject({ status: "confirmed" });
  });

  it("leaves a booking's young claims outside its time: a move may be under way", async () => {
    const at = slot(4);
    const booked = await create(slot(5), alice);
    // A reschedule between its claims and its write, or one whose write failed on its way and
    // may still land: its new cells, claimed just now, outside the time the record still shows.
    await lifecycle.claims.insertMany(
      cellsOf(at).map(key => ({
        key,
        spaceId,
        reservationId: booked.id,
        op: "move-under-way",
        createdAt: new Date().toISOString(),
      })),
    );

    await expect(create(at, bob)).rejects.toMatchObject({
      type: "RESERVATION_CONFLICT",
      data: { conflicts: [{ start: slot(5).start, end: slot(5).end }] },
    });
    expect(await claimsOf(booked.id)).toBe(8);

    await aged(booked.id);
    await expect(create(at, bob)).resolves.toMatchObject({ status: "confirmed" });
    expect(await claimsOf(booked.id)).toBe(4);
  });

  it("books a time claimed by a create whose record is gone", async () => {
    const at = slot(14);
    await leftBehind("gone-reservation-1", at);

    const booked = await create(at, bob);

    expect(booked).toMatchObject({ status: "confirmed", start: at.start });
    expect(await claimsOf("gone-reservation-1")).toBe(0);
  });

  it("a reschedule frees them too", async () => {
    const at = slot(16);
    await leftBehind("gone-reservation-2", at);
    const booked = await create(slot(17), alice);

    const moved = await broker.call<Booked, object>(
      "reservations.reschedule",
      { id: booked.id, ...at },
      { meta: alice },
    );

    expect(moved).toMatchObject({ status: "confirmed", start: at.start });
    expect(await claimsOf("gone-reservation-2")).toBe(0);
  });

  it("never frees the claims of a booking that holds the time", async () => {
    const at = slot(18);
    const held = await create(at, alice);

    await expect(create(at, bob)).rejects.toMatchObject({
      type: "RESERVATION_CONFLICT",
      data: { conflicts: [{ start: at.start, end: at.end }] },
    });
    expect(await claimsOf(held.id)).toBe(4);
    expect(await lifecycle.reservations.findById(held.id)).toMatchObject({
      status: "confirmed",
    });
  });

  it("leaves the claims of a booking still being made", async () => {
    const at = slot(20);
    const now = new Date().toISOString();
    // A create between its claims and its confirmation: its record is pending.
    await lifecycle.reservations.insert({
      _id: "being-made-1",
      spaceId,
      ownerId: alice.user.id,
      start: at.start,
      end: at.end,
      title: "",
      status: "pending",
      version: 1,
      createdAt: now,
      updatedAt: now,
      pendingSince: now,
    });
    await leftBehind("being-made-1", at);

    await expect(create(at, bob)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
    expect(await claimsOf("being-made-1")).toBe(4);
  });

  it("leaves the claims of a reservation another change has locked, and frees them after", async () => {
    const at = slot(22);
    const first = await create(at, alice);
    await failingToRelease(cancelling(first.id));

    await withReservationLock(
      lifecycle.locks,
      first.id,
      async () => {
        await expect(create(at, bob)).rejects.toMatchObject({
          type: "RESERVATION_CONFLICT",
          // A cancelled holder is nobody's booking: there is no time to show.
          data: { conflicts: [] },
        });
        expect(await claimsOf(first.id)).toBe(4);
      },
      () => {
        throw new Error("the test could not take the lock");
      },
    );

    await expect(create(at, bob)).resolves.toMatchObject({ status: "confirmed" });
  });

  it("does not take over a lock, however old: its holder may only be stalled", async () => {
    const at = slot(23);
    const first = await create(at, alice);
    await failingToRelease(cancelling(first.id));
    const lock = {
      _id: reservationLockName(first.id),
      holder: "a stalled change",
      takenAt: new Date(Date.now() - 60_000).toISOString(),
    };
    await lifecycle.locks.insert(lock);

    await expect(create(at, bob)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
    expect(await claimsOf(first.id)).toBe(4);

    await lifecycle.locks.removeMany({ _id: lock._id });
    await expect(create(at, bob)).resolves.toMatchObject({ status: "confirmed" });
  });
});
