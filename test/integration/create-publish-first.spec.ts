/**
 * A create publishes its event before it confirms its record, in one write and without a lock
 * (lifecycle.ts). What that asks of everything else: a create that died after its claims may have
 * been announced, so the sweep completes it with the same event; one that died before holding its
 * time is removed unannounced; one stalled so long that a sweep may have judged it does not
 * publish; a space switched off meanwhile cancels the booking with its own event; the erasure of
 * a person waits for their booking being made. On the embedded store and on the Mongo-wire server,
 * whose read-modify-write updates are why a create's record has one writer at a time.
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { EventEnvelope } from "../../lib/events/envelope";
import {
  forgetUser,
  PENDING_TIMEOUT_MS,
  sweepAbandoned,
  type LifecycleDeps,
} from "../../services/reservations/lifecycle";
import { reservationLockName } from "../../services/reservations/record-lock";
import { eventCollector } from "../support/event-collector";
import { alwaysOpenSpace, lifecycleSystem } from "../support/lifecycle-system";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";
import { waitFor, waitUntil } from "../support/waiting";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
const member = { user: { id: "member-1", role: "member", locale: "en" } };
const processDied = () => new Error("the process died here");

interface Stored {
  _id: string;
  status: string;
  ownerId: string;
  title: string;
  pendingSince?: string;
  createdEvent?: EventEnvelope;
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("create_publish").replace(/-/g, "_"))],
])("a create publishes, then confirms (%s)", (_label, database) => {
  let uri: string | null;
  let broker: ServiceBroker;
  let lifecycle: LifecycleDeps;
  let spaceId: string;
  const received: EventEnvelope<{
    reservation: { id: string };
    reason?: string;
    space?: object;
  }>[] = [];
  const day = DateTime.utc().plus({ days: 3 }).startOf("day");
  const slot = (hour: number, hours = 1) => ({
    start: day.plus({ hours: hour }).toISO()!,
    end: day.plus({ hours: hour + hours }).toISO()!,
  });
  const create = (at: { start: string; end: string }, meta: object = member) =>
    broker.call<{ id: string; status: string }, object>(
      "reservations.create",
      { spaceId, ...at },
      { meta },
    );
  const claimsOf = (reservationId: string) =>
    (lifecycle.claims as DbAdapter).count({ query: { reservationId } });
  const recordAt = async (at: { start: string }) => {
    const found = (await lifecycle.reservations.find({
      query: { spaceId, start: at.start },
    })) as Stored[];
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0] as Stored | undefined;
  };
  const eventsOf = (id: string, type = "reservation.created") =>
    received.filter(e => e.type === type && e.data.reservation.id === id);
  /** Dates reservation `id`'s create back past the sweep's two minutes. */
  const ageing = (id: string) => {
    const longAgo = new Date(Date.now() - PENDING_TIMEOUT_MS - 1_000).toISOString();
    return lifecycle.reservations.updateMany(
      { _id: id, status: "pending" },
      { $set: { createdAt: longAgo, pendingSince: longAgo } },
    );
  };
  /**
   * The space reads as switched off from a create's `from`-th look at it on (its first look is
   * 1), as if a manager deactivated it then; `atSwitchOff` runs at that look.
   */
  const switchedOffFromLook = (from: number, atSwitchOff?: () => Promise<void>) => {
    const loadSpace = lifecycle.loadSpace;
    let looks = 0;
    return jest.spyOn(lifecycle, "loadSpace").mockImplementation(async (id, parent) => {
      const space = await loadSpace(id, parent);
      if (++looks < from) return space;
      if (looks === from) await atSwitchOff?.();
      return { ...space, active: false };
    });
  };
  /** Its instance forgets the create failed, as a process that died does. */
  const forgottenByItsInstance = () =>
    jest.spyOn(lifecycle.unfinished, "add").mockImplementation(() => lifecycle.unfinished);

  beforeAll(async () => {
    uri = database();
    ({ broker, lifecycle } = await lifecycleSystem(uri, [
      eventCollector(received, ["reservation.created", "reservation.cancelled"]),
    ]));
    spaceId = await alwaysOpenSpace(broker, {
      name: "Spreekkamer 2",
      kind: "meeting-room",
      site: "Gouda",
      capacity: 4,
    });
  });

  afterAll(async () => {
    await broker.stop();
    if (uri) await dropDatabase(uri);
  });
  afterEach(() => jest.restoreAllMocks());

  it("writes its reservation twice, takes no lock, and has published before it answers", async () => {
    const inserts = jest.spyOn(lifecycle.reservations, "insert");
    const updates = jest.spyOn(lifecycle.reservations, "updateMany");
    const locks = jest.spyOn(lifecycle.locks, "insert");
    const published = jest.spyOn(lifecycle.events, "publish");

    const { id, status } = await create(slot(8));

    expect(status).toBe("confirmed");
    expect(inserts).toHaveBeenCalledTimes(1);
    expect(updates).toHaveBeenCalledTimes(1);
    expect(locks).not.toHaveBeenCalled();
    // The event went out before the confirmation, which also emptied what the record carried.
    expect(published.mock.invocationCallOrder[0]).toBeLessThan(updates.mock.invocationCallOrder[0]);
    const stored = (await lifecycle.reservations.findById(id)) as Stored;
    expect(stored).not.toHaveProperty("createdEvent");
    expect(stored).not.toHaveProperty("pendingSince");
    expect(stored).not.toHaveProperty("outbox");
    await waitFor(() => eventsOf(id).length === 1, "its event");
    // With the space's name and zone, so those it tells need not ask spaces.
    expect(eventsOf(id)[0].data).toMatchObject({
      space: { name: "Spreekkamer 2", timeZone: expect.any(String) },
    });
  });

  it("a create that died after publishing is completed by the sweep, with the same event again", async () => {
    const at = slot(10);
    const publish = lifecycle.events.publish;
    jest.spyOn(lifecycle.events, "publish").mockImplementation(async events => {
      await publish(events);
      throw processDied();
    });
    forgottenByItsInstance();
    await expect(create(at)).rejects.toThrow("the process died here");
    jest.restoreAllMocks();

    const left = (await recordAt(at))!;
    expect(left).toMatchObject({ status: "pending" });
    await waitFor(() => eventsOf(left._id).length === 1, "the event it published");
    // Younger than two minutes: its create may still run, so the sweep leaves it.
    await sweepAbandoned(lifecycle);
    expect(await recordAt(at)).toMatchObject({ status: "pending" });

    await ageing(left._id);
    await sweepAbandoned(lifecycle);
    const completed = (await recordAt(at))!;
    expect(completed).toMatchObject({ _id: left._id, status: "confirmed" });
    expect(completed).not.toHaveProperty("createdEvent");
    expect(completed).not.toHaveProperty("outbox");
    expect(await claimsOf(left._id)).toBeGreaterThan(0);
    await waitFor(() => eventsOf(left._id).length === 2, "the event published again");
    const [first, again] = eventsOf(left._id);
    expect(again.eventId).toBe(first.eventId);
    await expect(create(at)).rejects.toMatchObject({ type: "RESERVATION_CONFLICT" });
  });

  it("a create that died before publishing but holding its time is completed and announced once", async () => {
    const at = slot(12);
    jest.spyOn(lifecycle.events, "publish").mockRejectedValue(processDied());
    forgottenByItsInstance();
    await expect(create(at)).rejects.toThrow("the process died here");
    jest.restoreAllMocks();

    const left = (await recordAt(at))!;
    await ageing(left._id);
    await sweepAbandoned(lifecycle);
    expect(await recordAt(at)).toMatchObject({ status: "confirmed" });
    await waitFor(() => eventsOf(left._id).length === 1, "its event");
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(eventsOf(left._id)).toHaveLength(1);
  });

  it("a create that died before all its cells were claimed is removed unannounced, with what it claimed", async () => {
    const at = slot(14, 2);
    const claims = lifecycle.claims as DbAdapter;
    const insertMany = claims.insertMany.bind(claims);
    jest.spyOn(claims, "insertMany").mockImplementation(async (...args: object[]) => {
      // The declared rest parameter is wrong: the adapter takes one array.
      const docs = args[0] as unknown as object[];
      await insertMany(docs.slice(0, 3));
      throw processDied();
    });
    jest.spyOn(claims, "removeMany").mockRejectedValue(processDied());
    jest.spyOn(lifecycle.reservations, "removeMany").mockRejectedValue(processDied());
    forgottenByItsInstance();
    await expect(create(at)).rejects.toThrow("the process died here");
    jest.restoreAllMocks();

    const left = (await recordAt(at))!;
    expect(left).toMatchObject({ status: "pending" });
    expect(await claimsOf(left._id)).toBe(3);
    await ageing(left._id);
    await sweepAbandoned(lifecycle);
    expect(await recordAt(at)).toBeUndefined();
    expect(await claimsOf(left._id)).toBe(0);
    expect(eventsOf(left._id)).toEqual([]);
    await expect(create(at)).resolves.toMatchObject({ status: "confirmed" });
  });

  it("a create stalled past a minute does not publish: a sweep may have freed its time meanwhile", async () => {
    const at = slot(17);
    const claims = lifecycle.claims as DbAdapter;
    const insertMany = claims.insertMany.bind(claims);
    const now = performance.now.bind(performance);
    let id = "";
    const publish = jest.spyOn(lifecycle.events, "publish");
    jest.spyOn(claims, "insertMany").mockImplementation(async (...args: object[]) => {
      const docs = args[0] as unknown as { reservationId: string }[];
      // Meanwhile a sweep found the record before these claims landed, and removed it.
      id = docs[0].reservationId;
      await lifecycle.reservations.removeById(id);
      const landed = await insertMany(docs);
      // The create's own clock, which no adjustment of the wall clock moves, says a minute passed.
      jest.spyOn(performance, "now").mockImplementation(() => now() + PENDING_TIMEOUT_MS);
      return landed;
    });
    await expect(create(at)).rejects.toMatchObject({ type: "SERVICE_UNAVAILABLE" });
    expect(publish).not.toHaveBeenCalled();
    jest.restoreAllMocks();
    // Its instance frees the cells that landed for a record that is gone.
    await waitUntil(async () => (await claimsOf(id)) === 0, "the stray claims to go");
    await expect(create(at)).resolves.toMatchObject({ status: "confirmed" });
  });

  it("a space switched off while its booking was made: the booking is cancelled, and both events tell", async () => {
    const at = slot(19);
    // The deactivation lands between the create's first look and its confirmation; its own
    // sweep cancels only confirmed bookings, so it misses this one.
    switchedOffFromLook(2);
    await expect(create(at)).rejects.toMatchObject({ type: "SPACE_INACTIVE" });
    jest.restoreAllMocks();

    const record = (await recordAt(at))!;
    expect(record).toMatchObject({ status: "cancelled" });
    expect(await claimsOf(record._id)).toBe(0);
    await waitFor(() => eventsOf(record._id, "reservation.cancelled").length === 1, "its cancel");
    expect(eventsOf(record._id)).toHaveLength(1);
    expect(eventsOf(record._id, "reservation.cancelled")[0].data.reason).toBe("space-deactivated");
  });

  it("a retry of a booking withdrawn for its switched-off space starts afresh", async () => {
    const at = slot(20);
    switchedOffFromLook(2);
    const withKey = { ...member, idempotencyKey: "withdrawn-once" };
    await expect(create(at, withKey)).rejects.toMatchObject({ type: "SPACE_INACTIVE" });
    jest.restoreAllMocks();
    const withdrawn = (await recordAt(at))!;
    expect(withdrawn).not.toHaveProperty("idempotencyKey");

    // Not the withdrawn booking replayed: the space is active again here, so it books anew.
    const again = await broker.call<{ id: string; status: string }, object>(
      "reservations.create",
      { spaceId, ...at },
      { meta: withKey },
    );
    expect(again).toMatchObject({ status: "confirmed" });
    expect(again.id).not.toBe(withdrawn._id);
  });

  it("a withdrawal that cannot take the lock answers 503, and its instance cancels it soon after", async () => {
    const at = slot(6);
    const lock = { _id: "", holder: "another change", takenAt: "" };
    // Another change holds the new booking's lock for longer than a cancel waits.
    switchedOffFromLook(2, async () => {
      lock._id = reservationLockName((await recordAt(at))!._id);
      lock.takenAt = new Date().toISOString();
      await lifecycle.locks.insert({ ...lock });
    });
    await expect(create(at)).rejects.toMatchObject({ type: "SERVICE_UNAVAILABLE" });
    const kept = (await recordAt(at))!;
    expect(kept).toMatchObject({ status: "confirmed" });
    expect(lifecycle.unfinished.has(kept._id)).toBe(true);

    // The lock is free again; the space is still switched off.
    await lifecycle.locks.removeMany({ _id: lock._id });
    await waitUntil(async () => (await recordAt(at))?.status === "cancelled", "the withdrawal");
    // The tidy releases the time in its next write, after the one that cancelled it.
    await waitUntil(async () => (await claimsOf(kept._id)) === 0, "its time freed");
    await waitFor(() => eventsOf(kept._id, "reservation.cancelled").length === 1, "its cancel");
  });

  it("a last look at the space that fails leaves the booking to its instance, which cancels it if switched off", async () => {
    const at = slot(4);
    const unreachable = Object.assign(new Error("Service 'spaces.get' is not available."), {
      code: 404,
      retryable: true,
    });
    const loadSpace = lifecycle.loadSpace;
    let looks = 0;
    const looking = jest.spyOn(lifecycle, "loadSpace").mockImplementation(async (id, parent) => {
      const space = await loadSpace(id, parent);
      if (++looks === 1) return space;
      if (looks === 2) throw unreachable;
      return { ...space, active: false };
    });
    await expect(create(at)).rejects.toMatchObject({ retryable: true });
    const record = (await recordAt(at))!;
    expect(record).toMatchObject({ status: "confirmed" });
    await waitUntil(async () => (await recordAt(at))?.status === "cancelled", "its tidy's look");
    expect(looks).toBeGreaterThan(2);
    looking.mockRestore();
    expect(await claimsOf(record._id)).toBe(0);
  });

  it("a booking the deactivation cancelled first: its request is refused, and a retry starts afresh", async () => {
    const at = slot(3);
    switchedOffFromLook(2, async () => {
      // The deactivation's own sweep finds it confirmed, just before the create looks.
      await broker.call("reservations.cancelUpcoming", { spaceId }, { meta: manager });
    });
    const withKey = { ...member, idempotencyKey: "cancelled-by-sweep" };
    await expect(create(at, withKey)).rejects.toMatchObject({ type: "SPACE_INACTIVE" });
    jest.restoreAllMocks();
    const cancelled = (await recordAt(at))!;
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled).not.toHaveProperty("idempotencyKey");
    const again = await broker.call<{ id: string }, object>(
      "reservations.create",
      { spaceId, ...at },
      { meta: withKey },
    );
    expect(again.id).not.toBe(cancelled._id);
  });

  it("a create stalled in publishing does not confirm: its instance completes it instead", async () => {
    const at = slot(2);
    const publish = lifecycle.events.publish;
    const now = performance.now.bind(performance);
    jest.spyOn(lifecycle.events, "publish").mockImplementation(async events => {
      const published = await publish(events);
      jest.spyOn(performance, "now").mockImplementation(() => now() + PENDING_TIMEOUT_MS);
      return published;
    });
    const updates = jest.spyOn(lifecycle.reservations, "updateMany");
    await expect(create(at)).rejects.toMatchObject({ type: "SERVICE_UNAVAILABLE" });
    expect(updates).not.toHaveBeenCalled();
    jest.restoreAllMocks();

    const left = (await recordAt(at))!;
    expect(left).toMatchObject({ status: "pending" });
    await waitUntil(async () => (await recordAt(at))?.status === "confirmed", "its completion");
    await waitFor(() => eventsOf(left._id).length === 2, "its event, again");
    expect(new Set(eventsOf(left._id).map(e => e.eventId)).size).toBe(1);
  });

  it("erasing a person starts over when a booking of theirs was confirmed after the cancel looked", async () => {
    const at = slot(22);
    const who = { user: { id: "member-3", role: "member", locale: "en" } };
    const { id } = await create(at, who);
    const find = lifecycle.reservations.find.bind(lifecycle.reservations);
    let cancelsLook = true;
    // The cancel's look (for the person's confirmed bookings) still saw it pending: its create
    // had not confirmed yet. Other looks, of this test or in the background, see the store.
    jest.spyOn(lifecycle.reservations, "find").mockImplementation(async params => {
      const found = (await find(params)) as Stored[];
      const query = (params as { query?: Record<string, unknown> }).query ?? {};
      // By owner, or by the owner's open key (services/reservations/open-keys.ts).
      const owner = query.openOwner ?? query.ownerId;
      if (!(cancelsLook && owner === "member-3" && query.status === "confirmed")) {
        return found;
      }
      cancelsLook = false;
      return found.filter(r => r._id !== id);
    });
    await expect(forgetUser(lifecycle, "member-3", "admin-1")).rejects.toMatchObject({
      retryable: true,
    });
    jest.restoreAllMocks();
    // Not anonymised while it still holds the time.
    expect(await recordAt(at)).toMatchObject({ status: "confirmed", ownerId: "member-3" });
    await forgetUser(lifecycle, "member-3", "admin-1");
    expect(await recordAt(at)).toMatchObject({ status: "cancelled", ownerId: "erased" });
    expect(await claimsOf(id)).toBe(0);
  });

  it("erasing a person waits for their booking being made, then cancels and forgets it", async () => {
    const at = slot(21);
    const who = { user: { id: "member-2", role: "member", locale: "en" } };
    jest.spyOn(lifecycle.events, "publish").mockRejectedValue(processDied());
    forgottenByItsInstance();
    await expect(create(at, who)).rejects.toThrow("the process died here");
    jest.restoreAllMocks();
    const left = (await recordAt(at))!;

    // Its create may still run: the erasure is to be tried again, and wrote nothing.
    await expect(forgetUser(lifecycle, "member-2", "admin-1")).rejects.toMatchObject({
      retryable: true,
    });
    expect(await recordAt(at)).toMatchObject({ status: "pending", ownerId: "member-2" });

    // Past the time a create may take: the erasure settles it as the sweep would, then starts
    // over, so the booking's cancel comes first.
    await ageing(left._id);
    await expect(forgetUser(lifecycle, "member-2", "admin-1")).rejects.toMatchObject({
      retryable: true,
    });
    expect(await recordAt(at)).toMatchObject({ status: "confirmed" });
    await forgetUser(lifecycle, "member-2", "admin-1");
    expect(await recordAt(at)).toMatchObject({ status: "cancelled", ownerId: "erased", title: "" });
    expect(await claimsOf(left._id)).toBe(0);
  });
});
