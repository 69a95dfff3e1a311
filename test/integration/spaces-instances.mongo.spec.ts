/**
 * Two instances of spaces (and of reservations) on one Mongo-wire database, as when spaces is
 * scaled out: each answers reads from its own in-memory snapshot, and a change made through one
 * is seen through the other from the next request on (services/spaces/space-snapshot.ts).
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createReservationsService } from "../../services/reservations.service";
import { createSpacesService } from "../../services/spaces.service";
import { withEvent } from "../../mixins/durable-events.mixin";
import { testBroker } from "../support/local-system";
import { ALWAYS_OPEN } from "../support/opening-hours";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
const member = { user: { id: "member-1", role: "member", locale: "en" } };

interface Space {
  id: string;
  name: string;
  capacity: number;
  active: boolean;
}
interface Page {
  rows: Space[];
  total: number;
}
interface SpacesInstance {
  adapter: DbAdapter;
  versions: DbAdapter;
  relayOutbox(olderThanMs?: number): Promise<number>;
}

/** What the MongoDB driver throws for a call in flight when the server goes away. */
const storeGone = () =>
  Object.assign(new Error("connection closed"), { name: "MongoNetworkError" });

describe("two spaces instances sharing one store", () => {
  const uri = mongoUri(uniqueName("spaces_instances").replace(/-/g, "_"));
  const site = uniqueName("Gouda");
  let one: ServiceBroker;
  let two: ServiceBroker;
  let spaceId: string;

  const instance = (broker: ServiceBroker) =>
    broker.getLocalService("spaces") as unknown as SpacesInstance;
  const get = (broker: ServiceBroker) =>
    broker.call<Space, { id: string }>("spaces.get", { id: spaceId }, { meta: member });
  const search = (broker: ServiceBroker, params: object = {}) =>
    broker.call<Page, object>("spaces.search", { site, ...params }, { meta: member });
  const day = DateTime.utc().plus({ days: 2 }).startOf("day");
  const book = (broker: ServiceBroker, hour: number) =>
    broker.call<{ status: string }, object>(
      "reservations.create",
      {
        spaceId,
        start: day.plus({ hours: hour }).toISO()!,
        end: day.plus({ hours: hour + 1 }).toISO()!,
      },
      { meta: member },
    );

  beforeAll(async () => {
    [one, two] = [testBroker({ nodeID: "one" }), testBroker({ nodeID: "two" })];
    for (const broker of [one, two]) {
      broker.createService(createSpacesService(testConfig({ mongoUri: uri })));
      broker.createService(createReservationsService(testConfig({ mongoUri: uri })));
    }
    await Promise.all([one.start(), two.start()]);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all([one?.stop(), two?.stop()]);
    await dropDatabase(uri);
  });

  it("shows a space created through one instance through the other at once", async () => {
    // The second instance holds a snapshot from before the space existed.
    expect((await search(two)).total).toBe(0);
    ({ id: spaceId } = await one.call<Space, object>(
      "spaces.create",
      {
        name: "Spreekkamer 1",
        kind: "meeting-room",
        location: { site },
        capacity: 4,
        openingHours: ALWAYS_OPEN,
      },
      { meta: manager },
    ));
    await expect(get(two)).resolves.toMatchObject({ name: "Spreekkamer 1", active: true });
    expect((await search(two)).rows.map(space => space.id)).toEqual([spaceId]);
  });

  it("shows a change through the other instance from the next request on", async () => {
    await expect(get(two)).resolves.toMatchObject({ capacity: 4 });
    await one.call("spaces.update", { id: spaceId, capacity: 9 }, { meta: manager });
    await expect(get(two)).resolves.toMatchObject({ capacity: 9 });
    expect((await search(two, { minCapacity: 9 })).total).toBe(1);
    expect((await search(two, { minCapacity: 10 })).total).toBe(0);
  });

  it("refuses a booking through the other instance once the space is deactivated", async () => {
    await expect(book(two, 9)).resolves.toMatchObject({ status: "confirmed" });
    await one.call(
      "spaces.deactivate",
      { id: spaceId, cancelReservations: true },
      { meta: manager },
    );
    await expect(book(two, 11)).rejects.toMatchObject({ type: "SPACE_INACTIVE" });
    expect((await search(two)).total).toBe(0);
    const facets = await two.call<{ sites: string[] }, object>(
      "spaces.facets",
      {},
      { meta: member },
    );
    expect(facets.sites).not.toContain(site);
  });

  it("reaches the other instance through the relay when a change was stored but not stamped", async () => {
    // As if the request died between storing its change (with its event) and stamping.
    const event = {
      eventId: "left-behind",
      type: "space.updated",
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      data: {},
    };
    await instance(one).adapter.updateById(
      spaceId,
      withEvent({ $set: { name: "Spreekkamer 2" } }, event),
    );
    // Unstamped, the other instance cannot know (what the relay is for).
    await expect(get(two)).resolves.toMatchObject({ name: "Spreekkamer 1" });
    expect(await instance(one).relayOutbox()).toBeGreaterThan(0);
    await expect(get(two)).resolves.toMatchObject({ name: "Spreekkamer 2" });
  });

  it("fails a read whose version cannot be read, rather than answer from memory", async () => {
    jest.spyOn(instance(two).versions, "findOne").mockRejectedValue(storeGone());
    await expect(get(two)).rejects.toMatchObject({ name: "MongoNetworkError" });
    await expect(search(two)).rejects.toMatchObject({ name: "MongoNetworkError" });
    jest.restoreAllMocks();
    await expect(get(two)).resolves.toMatchObject({ id: spaceId });
  });
});
