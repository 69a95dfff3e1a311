/**
 * What has not ended carries its owner and space as open keys (services/reservations/
 * open-keys.ts), so a person's upcoming reservations, a space's, and the count that refuses a
 * deactivation read only those, not every reservation ever made. A day after its end a pass
 * takes them off; records an older version wrote get them at start; until then, and for a list
 * from further back, the lists ask as before.
 */
import { DateTime } from "luxon";
import { MongoClient } from "mongodb";
import type { DbAdapter } from "moleculer-db";
import { createReservationsService } from "../../services/reservations.service";
import { forgetUser, type LifecycleDeps } from "../../services/reservations/lifecycle";
import { createSpacesService } from "../../services/spaces.service";
import { bookableSpaces } from "../support/bookable-spaces";
import { startFerretDb } from "../support/ferretdb";
import { testBroker } from "../support/local-system";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const member = { user: { id: uniqueName("member"), role: "member", locale: "en" } };
const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };

interface Reservations {
  adapter: DbAdapter;
  lifecycle: LifecycleDeps;
  openKeysStored?: boolean;
  firstClose?: Promise<void>;
  now(): DateTime;
  giveOpenKeys(): Promise<number | null>;
  upgradeMarks: DbAdapter;
  closeEnded(): Promise<number>;
}

interface Page {
  rows: { id: string }[];
  total: number;
}

// Two days ahead, at midnight UTC: inside every horizon.
const day = DateTime.utc().plus({ days: 2 }).startOf("day");
const iso = (at: DateTime) => at.toISO({ suppressMilliseconds: false })!;

async function startSystem(uri: string | null) {
  const broker = testBroker();
  broker.createService(createSpacesService(testConfig({ mongoUri: uri })));
  broker.createService(createReservationsService(testConfig({ mongoUri: uri })));
  await broker.start();
  const reservations = broker.getLocalService("reservations") as unknown as Reservations;
  await waitFor(() => reservations.openKeysStored === true, "the open-key pass of an empty store");
  // And the first closing pass, which follows the start-up passes: its queries are not a list's.
  await reservations.firstClose;
  const [space] = await bookableSpaces(broker, 1, () => uniqueName("Assen"));
  const book = (hour: number) =>
    broker.call<{ id: string }, object>(
      "reservations.create",
      {
        spaceId: space.id,
        start: iso(day.plus({ hours: hour })),
        end: iso(day.plus({ hours: hour + 1 })),
      },
      { meta: member },
    );
  const list = (params: object, meta: object = member) =>
    broker.call<Page, object>("reservations.list", { pageSize: 100, ...params }, { meta });
  const find = jest.spyOn(reservations.adapter, "find");
  /** The store queries the lists made since the last look. */
  const queries = () => {
    const asked = find.mock.calls.map(call => (call[0] as { query: object }).query);
    find.mockClear();
    return asked;
  };
  return { broker, reservations, space, book, list, queries };
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("open").replace(/-/g, "_"))],
])("open keys of reservations (%s)", (_label, database) => {
  it("lists what has not ended by its open key, and closes it a day after its end", async () => {
    const uri = database();
    const { broker, reservations, space, book, list, queries } = await startSystem(uri);
    try {
      const early = await book(8);
      // Moved to 20:00: a reschedule keeps the keys.
      const late = await book(14);
      await broker.call(
        "reservations.reschedule",
        { id: late.id, start: iso(day.plus({ hours: 20 })), end: iso(day.plus({ hours: 21 })) },
        { meta: member },
      );
      const far = await book(24 * 3 + 10);
      for (const { id } of [early, late, far]) {
        expect(await reservations.adapter.findById(id)).toMatchObject({
          openOwner: member.user.id,
          openSpace: space.id,
        });
      }

      // Upcoming, as the person and as a manager looking at the space: by the open keys.
      const now = iso(DateTime.utc());
      queries();
      expect((await list({ from: now })).total).toBe(3);
      expect(queries()).toEqual([expect.objectContaining({ openOwner: member.user.id })]);
      expect((await list({ from: now, spaceId: space.id }, manager)).total).toBe(3);
      expect(queries()).toEqual([expect.objectContaining({ openSpace: space.id })]);
      // From long ago, or the past: by owner, as before, since closed records lack the keys.
      await list({ from: iso(DateTime.utc().minus({ days: 3 })) });
      await list({ to: now });
      expect(queries().map(query => Object.keys(query))).toEqual([
        expect.not.arrayContaining(["openOwner"]),
        expect.not.arrayContaining(["openOwner"]),
      ]);

      // Ten hours after the early one ended, a pass closes nothing, and a list from eleven hours
      // back (within the margin, so by key) still has it: what a list by key may ask about was
      // never closed.
      reservations.now = () => day.plus({ hours: 9 + 10 });
      expect(await reservations.closeEnded()).toBe(0);
      const margin = iso(reservations.now().minus({ hours: 11 }));
      expect((await list({ from: margin })).rows.map(row => row.id)).toEqual([
        early.id,
        late.id,
        far.id,
      ]);
      // Half a day after the late one ended: the early one ended 24 hours before, so both keep
      // their keys. A day and a half after the early one: it is closed, the late one not yet.
      reservations.now = () => day.plus({ hours: 21 + 12 });
      expect(await reservations.closeEnded()).toBe(0);
      reservations.now = () => day.plus({ hours: 9 + 36 });
      expect(await reservations.closeEnded()).toBe(1);
      expect(await reservations.adapter.findById(early.id)).toMatchObject({ closed: true });
      expect(await reservations.adapter.findById(early.id)).not.toHaveProperty("openOwner");
      expect(await reservations.adapter.findById(late.id)).toHaveProperty("openOwner");
      // A later pass asks again from the day it ended on, and closes the late one.
      reservations.now = () => day.plus({ hours: 21 + 25 });
      expect(await reservations.closeEnded()).toBe(1);
      expect(await reservations.adapter.findById(late.id)).toMatchObject({ closed: true });
      expect(await reservations.adapter.findById(far.id)).toHaveProperty("openSpace");

      // Each still listed where it belongs: the closed ones in the past, the far one upcoming,
      // and counted so by the space's key.
      const later = iso(reservations.now());
      expect((await list({ to: later })).rows.map(row => row.id)).toEqual([early.id, late.id]);
      expect((await list({ from: later })).rows.map(row => row.id)).toEqual([far.id]);
      const count = jest.spyOn(reservations.adapter, "count");
      expect(await broker.call("reservations.countUpcoming", { spaceId: space.id })).toBe(1);
      expect(count).toHaveBeenCalledWith({
        query: expect.objectContaining({ openSpace: space.id }),
      });
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("gives records an older version wrote their keys, and lists by owner until then", async () => {
    const uri = database();
    const { broker, reservations, space, list, queries } = await startSystem(uri);
    try {
      const legacy = (id: string, ownerId: string, start: DateTime) => ({
        _id: id,
        spaceId: space.id,
        ownerId,
        title: "",
        start: iso(start),
        end: iso(start.plus({ hours: 1 })),
        status: "confirmed",
        version: 0,
        createdAt: iso(DateTime.utc()),
        updatedAt: iso(DateTime.utc()),
      });
      await reservations.adapter.insert(legacy("upcoming", member.user.id, day));
      await reservations.adapter.insert(
        legacy("long-ago", member.user.id, DateTime.utc().minus({ days: 10 })),
      );
      await reservations.adapter.insert(legacy("nobody's", "erased", day.plus({ hours: 2 })));
      // Erased by an older version after this one gave it keys (a rollback): the owner's stays.
      await reservations.adapter.insert({
        ...legacy("rolled-back", "erased", day.plus({ hours: 3 })),
        openOwner: "someone-erased",
        openSpace: space.id,
      });

      // An instance whose pass has not run yet asks by owner, and misses nothing.
      reservations.openKeysStored = false;
      const now = iso(DateTime.utc());
      queries();
      expect((await list({ from: now })).rows.map(row => row.id)).toEqual(["upcoming"]);
      expect(queries()).toEqual([expect.objectContaining({ ownerId: member.user.id })]);

      // A store an older version wrote has no marks of done passes (lib/upgrade-passes.ts).
      await reservations.upgradeMarks.removeMany({});
      expect(await reservations.giveOpenKeys()).toBe(4);
      expect(reservations.openKeysStored).toBe(true);
      expect(await reservations.adapter.findById("upcoming")).toMatchObject({
        openOwner: member.user.id,
        openSpace: space.id,
      });
      expect(await reservations.adapter.findById("long-ago")).toMatchObject({ closed: true });
      const erased = await reservations.adapter.findById("nobody's");
      expect(erased).toMatchObject({ openSpace: space.id });
      expect(erased).not.toHaveProperty("openOwner");
      expect(await reservations.adapter.findById("rolled-back")).not.toHaveProperty("openOwner");
      queries();
      expect((await list({ from: now })).rows.map(row => row.id)).toEqual(["upcoming"]);
      expect(queries()).toEqual([expect.objectContaining({ openOwner: member.user.id })]);
      // A manager's list of nobody's reservations: by owner, as nobody's carry no owner's key.
      const nobodys = await list({ from: now, ownerId: "erased" }, manager);
      expect(nobodys.rows.map(row => row.id)).toEqual(["nobody's", "rolled-back"]);
      // The count that refuses a deactivation asks by the space's key.
      queries();
      expect(await broker.call("reservations.countUpcoming", { spaceId: space.id })).toBe(3);
      expect(await reservations.giveOpenKeys()).toBe(0);
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("an erased owner's reservations keep no key that names them", async () => {
    const uri = database();
    const { broker, reservations, book } = await startSystem(uri);
    try {
      const { id } = await book(10);
      await forgetUser(reservations.lifecycle, member.user.id, "admin-1");
      const record = await reservations.adapter.findById(id);
      expect(record).toMatchObject({ ownerId: "erased", status: "cancelled" });
      expect(JSON.stringify(record)).not.toContain(member.user.id);
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});

describe("open keys on FerretDB with PostgreSQL", () => {
  it("a person's and a space's upcoming reservations are filtered by PostgreSQL", async () => {
    const ferret = await startFerretDb({ backend: "postgresql" });
    const uri = `${ferret.url}/open_pushdown`;
    const { broker, space, book, list, queries } = await startSystem(uri);
    const client = await MongoClient.connect(uri, { useUnifiedTopology: true });
    try {
      await book(10);
      const now = iso(DateTime.utc());
      await list({ from: now });
      await list({ from: now, spaceId: space.id, status: "confirmed" }, manager);
      const asked = queries();
      expect(asked).toHaveLength(2);
      for (const [query, key] of [
        [asked[0], "openOwner"],
        [asked[1], "openSpace"],
      ] as const) {
        const explained = await client.db().command({
          explain: { find: "reservations", filter: query },
        });
        expect(explained.filterPushdown).toBe(true);
        expect(JSON.stringify(explained.queryPlanner)).toContain(key);
      }
    } finally {
      await client.close();
      await broker.stop();
      await ferret.stop();
    }
  });
});
