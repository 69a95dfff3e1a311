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
import { backfillDays } from "../../services/reservations/day-buckets";
import type { LifecycleDeps } from "../../services/reservations/lifecycle";
import { startFerretDb } from "../support/ferretdb";
import { testBroker } from "../support/local-system";
import { bookableSpaces } from "../support/bookable-spaces";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const member = { user: { id: "member-1", role: "member", locale: "en" } };

interface Reservations {
  adapter: DbAdapter;
  lifecycle: LifecycleDeps;
  dayKeysStored?: boolean;
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
      };
      expect(stored.days).toEqual([day.toISODate(), day.plus({ days: 1 }).toISODate()]);
      // One record shape on both stores, though only the embedded one is asked for these.
      expect(stored.spaceDays).toEqual([
        `${spaces[0].id}|${day.toISODate()}`,
        `${spaces[0].id}|${day.plus({ days: 1 }).toISODate()}`,
      ]);

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
      });
      expect(await free(broker, spaces, next.plus({ hours: 1 }), next.plus({ hours: 2 }))).toEqual(
        spaces.map(space => space.id),
      );
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
      // As older versions stored them (their claims do not matter to "free"): without either
      // key, and with `days` but without `spaceDays`.
      await reservations.adapter.insert(legacy("legacy-1", spaces[2].id));
      await reservations.adapter.insert(
        legacy("legacy-2", spaces[1].id, { days: [day.toISODate()] }),
      );
      // What an instance starting on this store asks until its backfill is done: nothing missed.
      reservations.dayKeysStored = false;
      const window = [start, start.plus({ minutes: 30 })] as const;
      expect(await free(broker, spaces, ...window)).toEqual([spaces[0].id]);

      expect(await backfillDays(reservations.lifecycle)).toBe(2);
      expect(await reservations.adapter.findById("legacy-1")).toMatchObject({
        days: [day.toISODate()],
        spaceDays: [`${spaces[2].id}|${day.toISODate()}`],
      });
      expect(await reservations.adapter.findById("legacy-2")).toMatchObject({
        spaceDays: [`${spaces[1].id}|${day.toISODate()}`],
      });
      reservations.dayKeysStored = true;
      expect(await free(broker, spaces, ...window)).toEqual([spaces[0].id]);
      expect(await backfillDays(reservations.lifecycle)).toBe(0);
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
      // `days` is indexed here; `spaceDays`, which only the embedded store is asked for, is not.
      const indexed = (await client.db().collection("reservations").indexes()) as {
        key: Record<string, number>;
      }[];
      expect(indexed.map(index => Object.keys(index.key)[0])).toContain("days");
      expect(indexed.map(index => Object.keys(index.key)[0])).not.toContain("spaceDays");
      const spaces = await threeSpaces(broker);
      const find = jest.spyOn(reservations.adapter, "find");
      await free(broker, spaces, day.plus({ hours: 10 }), day.plus({ hours: 11 }));
      const { query } = find.mock.calls[0][0] as { query: Record<string, unknown> };
      const explained = await client.db().command({
        explain: { find: "reservations", filter: query },
      });
      expect(explained.filterPushdown).toBe(true);
      expect(JSON.stringify(explained.queryPlanner)).toContain("days");

      // The outbox relay asks for `outboxPending` by equality (but in its first round and every
      // twentieth, which also find outboxes staged by an older version).
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
