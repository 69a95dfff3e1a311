/**
 * Reservations carry the UTC days they touch (`days`, lib/utc-days.ts), so "which spaces are
 * free" for a window within one day asks for that day by equality: the one filter FerretDB lets
 * PostgreSQL apply; and their (space, UTC day) keys (`spaceDays`), which the embedded store is
 * asked for (test/integration/space-days.spec.ts). Records from before get them at start; until
 * then nothing is missed.
 */
import { DateTime } from "luxon";
import { MongoClient } from "mongodb";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createReservationsService } from "../../services/reservations.service";
import { createSpacesService } from "../../services/spaces.service";
import { startFerretDb } from "../support/ferretdb";
import { testBroker } from "../support/local-system";
import { bookableSpaces } from "../support/bookable-spaces";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const member = { user: { id: "member-1", role: "member", locale: "en" } };

interface Reservations {
  adapter: DbAdapter;
  dayKeysStored?: boolean;
  giveDayKeys(): Promise<number | null>;
  upgradeMarks: DbAdapter;
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
  await waitFor(
    () => reservations.dayKeysStored === true,
    "the day-key backfill of an empty store",
  );
  return { broker, reservations };
}

/** Three always-open spaces, as `reservations.freeSpaces` is asked about them. */
function threeSpaces(broker: ServiceBroker) {
  return bookableSpaces(broker, 3, () => uniqueName("Gouda"));
}

const free = (broker: ServiceBroker, spaces: unknown[], from: DateTime, to: DateTime) =>
  broker.call<string[], object>("reservations.freeSpaces", {
    spaces,
    from: iso(from),
    to: iso(to),
  });

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("days").replace(/-/g, "_"))],
])("UTC days of reservations (%s)", (_label, database) => {
  it("finds a booked space as not free within one day, also when booked from the day before", async () => {
    const uri = database();
    const { broker, reservations } = await startSystem(uri);
    try {
      const spaces = await threeSpaces(broker);
      // Over midnight: stored on both days, so a window in the second day sees it.
      const overnight = await broker.call<{ id: string }, object>(
        "reservations.create",
        {
          spaceId: spaces[0].id,
          start: iso(day.plus({ hours: 22 })),
          end: iso(day.plus({ hours: 26 })),
        },
        { meta: member },
      );
      await broker.call(
        "reservations.create",
        {
          spaceId: spaces[1].id,
          start: iso(day.plus({ hours: 10 })),
          end: iso(day.plus({ hours: 11 })),
        },
        { meta: member },
      );
      const stored = (await reservations.adapter.findById(overnight.id)) as {
        days: string[];
        spaceDays: string[];
        siteDays: string[];
        spaceMonths: string[];
      };
      expect(stored.days).toEqual([day.toISODate(), day.plus({ days: 1 }).toISODate()]);
      // One record shape on both stores, though only the embedded one is asked for these.
      expect(stored.spaceDays).toEqual([
        `${spaces[0].id}|${day.toISODate()}`,
        `${spaces[0].id}|${day.plus({ days: 1 }).toISODate()}`,
      ]);
      expect(stored.siteDays).toEqual([
        `${spaces[0].siteGroup}|${day.toISODate()}`,
        `${spaces[0].siteGroup}|${day.plus({ days: 1 }).toISODate()}`,
      ]);
      expect(stored.spaceMonths).toEqual(
        [...new Set([day, day.plus({ days: 1 })].map(d => d.toFormat("yyyy-MM")))].map(
          month => `${spaces[0].id}|${month}`,
        ),
      );

      const next = day.plus({ days: 1 });
      expect(await free(broker, spaces, next.plus({ hours: 1 }), next.plus({ hours: 2 }))).toEqual([
        spaces[1].id,
        spaces[2].id,
      ]);
      expect(await free(broker, spaces, day.plus({ hours: 10 }), day.plus({ hours: 11 }))).toEqual([
        spaces[0].id,
        spaces[2].id,
      ]);

      // A reschedule moves its days with it.
      await broker.call(
        "reservations.reschedule",
        {
          id: overnight.id,
          start: iso(next.plus({ hours: 20 })),
          end: iso(next.plus({ hours: 21 })),
        },
        { meta: member },
      );
      expect(await reservations.adapter.findById(overnight.id)).toMatchObject({
        days: [next.toISODate()],
        spaceDays: [`${spaces[0].id}|${next.toISODate()}`],
        siteDays: [`${spaces[0].siteGroup}|${next.toISODate()}`],
        spaceMonths: [`${spaces[0].id}|${next.toFormat("yyyy-MM")}`],
      });
      expect(await free(broker, spaces, next.plus({ hours: 1 }), next.plus({ hours: 2 }))).toEqual(
        spaces.map(space => space.id),
      );
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("finds a space booked before it moved to another site as booked in a search of its new site", async () => {
    const uri = database();
    const { broker } = await startSystem(uri);
    try {
      const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
      const delft = uniqueName("Delft");
      const [stays, moves] = await bookableSpaces(broker, 2, i =>
        i === 0 ? delft : uniqueName("Ede"),
      );
      const booking = (spaceId: string, hour: number) =>
        broker.call<{ id: string }, object>(
          "reservations.create",
          {
            spaceId,
            start: iso(day.plus({ hours: hour })),
            end: iso(day.plus({ hours: hour + 1 })),
          },
          { meta: member },
        );
      await booking(moves.id, 10);
      await broker.call(
        "spaces.update",
        { id: moves.id, location: { site: delft.toUpperCase() } },
        { meta: manager },
      );
      // Its reservations keep the key of the site it was first on, and so do its new ones.
      const view = await broker.call<{ siteGroup: string }, object>("spaces.forBooking", {
        id: moves.id,
      });
      expect(view.siteGroup).toBe(moves.siteGroup);
      await booking(moves.id, 12);

      const search = (hour: number) =>
        broker.call<{ rows: { id: string; free: boolean }[] }, object>(
          "spaces.search",
          {
            site: delft,
            from: iso(day.plus({ hours: hour })),
            to: iso(day.plus({ hours: hour + 1 })),
          },
          { meta: member },
        );
      const freeIn = async (hour: number) =>
        (await search(hour)).rows.filter(row => row.free).map(row => row.id);
      expect((await search(10)).rows.map(row => row.id).sort()).toEqual(
        [stays.id, moves.id].sort(),
      );
      expect(await freeIn(10)).toEqual([stays.id]);
      expect(await freeIn(12)).toEqual([stays.id]);
      expect((await freeIn(11)).sort()).toEqual([stays.id, moves.id].sort());
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("gives reservations stored without day keys their keys, and is not asked by key before", async () => {
    const uri = database();
    const { broker, reservations } = await startSystem(uri);
    try {
      const spaces = await threeSpaces(broker);
      const start = day.plus({ hours: 9 });
      const legacy = (id: string, spaceId: string, fields: object = {}) => ({
        _id: id,
        spaceId,
        ownerId: member.user.id,
        title: "",
        start: iso(start),
        end: iso(start.plus({ hours: 1 })),
        status: "confirmed",
        version: 0,
        createdAt: iso(DateTime.utc()),
        updatedAt: iso(DateTime.utc()),
        ...fields,
      });
      // As older versions stored them (their claims do not matter to "free"): without any key,
      // with `days` only, and with `days` and `spaceDays` but without `siteDays`; and one of a
      // space that spaces does not know.
      await reservations.adapter.insert(legacy("legacy-1", spaces[2].id));
      await reservations.adapter.insert(
        legacy("legacy-2", spaces[1].id, { days: [day.toISODate()] }),
      );
      const spaceDay = (id: string) => `${id}|${day.toISODate()}`;
      await reservations.adapter.insert(
        legacy("legacy-3", spaces[0].id, {
          status: "cancelled",
          days: [day.toISODate()],
          spaceDays: [spaceDay(spaces[0].id)],
        }),
      );
      await reservations.adapter.insert(legacy("legacy-4", "no-such-space"));
      // What an instance starting on this store asks until its backfill is done: nothing missed.
      reservations.dayKeysStored = false;
      const window = [start, start.plus({ minutes: 30 })] as const;
      expect(await free(broker, spaces, ...window)).toEqual([spaces[0].id]);

      // Each store rewrites the records lacking the key it reads: NeDB `spaceDays`, MongoDB
      // `siteDays` (legacy-3 has one and not the other).
      const embedded = uri === null;
      // A store an older version wrote has no marks of done passes (lib/upgrade-passes.ts).
      await reservations.upgradeMarks.removeMany({});
      expect(await reservations.giveDayKeys()).toBe(embedded ? 3 : 4);
      expect(reservations.dayKeysStored).toBe(true);
      expect(await reservations.adapter.findById("legacy-1")).toMatchObject({
        days: [day.toISODate()],
        spaceDays: [spaceDay(spaces[2].id)],
        siteDays: [spaceDay(spaces[2].siteGroup)],
        spaceMonths: [`${spaces[2].id}|${day.toFormat("yyyy-MM")}`],
      });
      expect(await reservations.adapter.findById("legacy-2")).toMatchObject({
        spaceDays: [spaceDay(spaces[1].id)],
        siteDays: [spaceDay(spaces[1].siteGroup)],
      });
      const third = (await reservations.adapter.findById("legacy-3")) as { siteDays?: string[] };
      expect(third.siteDays).toEqual(embedded ? undefined : [spaceDay(spaces[0].siteGroup)]);
      expect(await reservations.adapter.findById("legacy-4")).toMatchObject({
        siteDays: [],
        spaceMonths: [`no-such-space|${day.toFormat("yyyy-MM")}`],
      });
      expect(await free(broker, spaces, ...window)).toEqual([spaces[0].id]);
      expect(await reservations.giveDayKeys()).toBe(0);
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});

describe("queries on FerretDB with PostgreSQL", () => {
  it("free during and the outbox relay are filtered by PostgreSQL (pushed down)", async () => {
    const ferret = await startFerretDb({ backend: "postgresql" });
    const uri = `${ferret.url}/days_pushdown`;
    const { broker, reservations } = await startSystem(uri);
    const client = await MongoClient.connect(uri, { useUnifiedTopology: true });
    try {
      // `days` and `siteDays` are indexed here; `spaceDays`, which only the embedded store is
      // asked for, is not.
      const indexed = (await client.db().collection("reservations").indexes()) as {
        key: Record<string, number>;
      }[];
      const firstFields = indexed.map(index => Object.keys(index.key)[0]);
      expect(firstFields).toEqual(expect.arrayContaining(["days", "siteDays", "spaceMonths"]));
      expect(firstFields).not.toContain("spaceDays");
      const explainedFree = async (spaces: unknown[]) => {
        find.mockClear();
        await free(broker, spaces, day.plus({ hours: 10 }), day.plus({ hours: 11 }));
        return Promise.all(
          find.mock.calls.map(async call => {
            const { query } = call[0] as { query: Record<string, unknown> };
            const explained = await client.db().command({
              explain: { find: "reservations", filter: query },
            });
            return { query, explained };
          }),
        );
      };
      const find = jest.spyOn(reservations.adapter, "find");
      // Spaces of one site: that site's day, by one key.
      const oneSite = uniqueName("Zwolle");
      const [bySite] = await explainedFree(await bookableSpaces(broker, 3, () => oneSite));
      expect(bySite.query.siteDays).toBe(`${oneSite.toLowerCase()}|${day.toISODate()}`);
      expect(bySite.explained.filterPushdown).toBe(true);
      expect(JSON.stringify(bySite.explained.queryPlanner)).toContain("siteDays");
      // One space's availability: its months, by one key each.
      const [one] = await bookableSpaces(broker, 1, () => oneSite);
      find.mockClear();
      await broker.call(
        "reservations.availability",
        { id: one.id, from: iso(day), to: iso(day.plus({ days: 7 })) },
        { meta: member },
      );
      const byMonth = find.mock.calls.map(
        call => (call[0] as { query: Record<string, unknown> }).query,
      );
      expect(byMonth.map(query => query.spaceMonths)).toEqual(
        [...new Set([day, day.plus({ days: 7 })].map(d => d.toFormat("yyyy-MM")))].map(
          month => `${one.id}|${month}`,
        ),
      );
      const explainedMonth = await client.db().command({
        explain: { find: "reservations", filter: byMonth[0] },
      });
      expect(explainedMonth.filterPushdown).toBe(true);
      expect(JSON.stringify(explainedMonth.queryPlanner)).toContain("spaceMonths");
      // Spaces of more sites than the keys a read may ask for: the whole day, by one key.
      const manySites = await explainedFree(
        await bookableSpaces(broker, 5, () => uniqueName("Oss")),
      );
      expect(manySites).toHaveLength(1);
      expect(manySites[0].query.days).toBe(day.toISODate());
      expect(manySites[0].explained.filterPushdown).toBe(true);
      expect(JSON.stringify(manySites[0].explained.queryPlanner)).toContain("days");

      // The outbox relay asks for `outboxPending` by equality (but in its first round, which
      // also finds outboxes staged by an older version).
      const relay = reservations as unknown as {
        relayOutbox(olderThanMs: number): Promise<number>;
      };
      find.mockClear();
      await relay.relayOutbox(0);
      await relay.relayOutbox(0);
      const flagged = find.mock.calls
        .map(call => (call[0] as { query: Record<string, unknown> }).query)
        .find(filter => filter.outboxPending === true);
      expect(flagged).toBeDefined();
      const relayed = await client.db().command({
        explain: { find: "reservations", filter: flagged },
      });
      expect(relayed.filterPushdown).toBe(true);
    } finally {
      await client.close();
      await broker.stop();
      await ferret.stop();
    }
  });
});
