/**
 * On the embedded store (NeDB) window reads of reservations ask for the (space, UTC day) keys of
 * the window (`spaceDays`, lib/space-days.ts; reservations/window-query.ts) and are served from
 * that index: they read the reservations of those spaces on those days, not every reservation of
 * the day (`days`) or of the space (`spaceId`). These tests check that the answers are those of
 * the query asked before, and that NeDB serves it from the `spaceDays` index.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createReservationsService } from "../../services/reservations.service";
import { createSpacesService } from "../../services/spaces.service";
import { testBroker } from "../support/local-system";
import { bookableSpaces } from "../support/bookable-spaces";
import { testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const member = { user: { id: "member-1", role: "member", locale: "en" } };

interface NeDbIndex {
  getMatching(value: unknown): { _id: string }[];
}
interface Reservations {
  adapter: DbAdapter & { db: { indexes: Record<string, NeDbIndex | undefined> } };
  dayKeysStored?: boolean;
}

// Two days ahead, at midnight UTC: inside every horizon.
const day = DateTime.utc().plus({ days: 2 }).startOf("day");
const iso = (at: DateTime) => at.toISO({ suppressMilliseconds: false })!;

async function startSystem(dataDir: string | null = null) {
  const broker = testBroker();
  broker.createService(createSpacesService(testConfig({ mongoUri: null, dataDir })));
  broker.createService(createReservationsService(testConfig({ mongoUri: null, dataDir })));
  await broker.start();
  const reservations = broker.getLocalService("reservations") as unknown as Reservations;
  await waitFor(() => reservations.dayKeysStored === true, "the day-key backfill");
  return { broker, reservations };
}

/** Always-open spaces of one site, as `reservations.freeSpaces` is asked about them. */
function spacesOfOneSite(broker: ServiceBroker, count: number) {
  const site = uniqueName("Delft");
  return bookableSpaces(broker, count, () => site);
}

const book = (broker: ServiceBroker, spaceId: string, from: DateTime, hours: number) =>
  broker.call<{ id: string }, object>(
    "reservations.create",
    { spaceId, start: iso(from), end: iso(from.plus({ hours })) },
    { meta: member },
  );

const free = (broker: ServiceBroker, spaces: unknown[], from: DateTime, to: DateTime) =>
  broker.call<string[], object>("reservations.freeSpaces", {
    spaces,
    from: iso(from),
    to: iso(to),
  });

const availability = (broker: ServiceBroker, id: string, from: DateTime, to: DateTime) =>
  broker.call<{ busy: { start: string; end: string }[] }, object>(
    "reservations.availability",
    { id, from: iso(from), to: iso(to) },
    { meta: member },
  );

/** Reservations over several days and spaces: some cross midnight UTC, one is cancelled. */
async function bookAcrossDays(broker: ServiceBroker, ids: string[]) {
  await book(broker, ids[0], day.plus({ hours: 22 }), 4); // over midnight into day 1
  await book(broker, ids[0], day.plus({ days: 3, hours: 9 }), 2);
  await book(broker, ids[1], day.plus({ hours: 10 }), 1);
  await book(broker, ids[1], day.plus({ days: 1, hours: 23, minutes: 30 }), 1); // into day 2
  await book(broker, ids[2], day.plus({ days: 5, hours: 8 }), 8);
  const cancelled = await book(broker, ids[3], day.plus({ days: 1, hours: 12 }), 2);
  await broker.call("reservations.cancel", { id: cancelled.id }, { meta: member });
  await book(broker, ids[3], day.plus({ days: 6, hours: 1 }), 1);
}

/** Windows within a day, over midnight UTC, over several days; each as a whole and per hour. */
const WINDOWS: [number, number][] = [
  [0, 1],
  [10, 11],
  [23, 25],
  [24, 25],
  [25, 26],
  [47, 49],
  [12, 36],
  [0, 24 * 7],
  [24 * 3 + 9, 24 * 3 + 10],
  [24 * 5 + 15, 24 * 6 + 2],
];

describe("window reads on the embedded store (space-day keys)", () => {
  it("give the same answers as the query by spaceId, for reservations across days and spaces", async () => {
    const { broker, reservations } = await startSystem();
    try {
      const spaces = await spacesOfOneSite(broker, 5);
      const ids = spaces.map(space => space.id);
      await bookAcrossDays(broker, ids);

      const answers = async () => {
        const found = [];
        for (const [fromHour, toHour] of WINDOWS) {
          const from = day.plus({ hours: fromHour });
          const to = day.plus({ hours: toHour });
          found.push(await free(broker, spaces, from, to));
          for (const id of ids) found.push((await availability(broker, id, from, to)).busy);
        }
        return found;
      };
      const byKeys = await answers();
      // As an instance asks before every record has its keys: by spaceId, as before.
      reservations.dayKeysStored = false;
      const bySpace = await answers();
      reservations.dayKeysStored = true;
      expect(byKeys).toEqual(bySpace);

      // And they are the right answers, not just the same ones.
      const [firstHour] = WINDOWS;
      expect(await free(broker, spaces, day, day.plus({ hours: firstHour[1] }))).toEqual(ids);
      expect(await free(broker, spaces, day.plus({ hours: 25 }), day.plus({ hours: 26 }))).toEqual(
        ids.slice(1),
      );
      expect(await free(broker, spaces, day.plus({ hours: 47 }), day.plus({ hours: 49 }))).toEqual([
        ids[0],
        ids[2],
        ids[3],
        ids[4],
      ]);
      // The cancelled one leaves its space free.
      expect(await free(broker, spaces, day.plus({ hours: 36 }), day.plus({ hours: 38 }))).toEqual(
        ids,
      );
      const week = await availability(broker, ids[0], day, day.plus({ days: 7 }));
      expect(week.busy.map(b => [b.start, b.end])).toEqual([
        [iso(day.plus({ hours: 22 })), iso(day.plus({ hours: 26 }))],
        [iso(day.plus({ days: 3, hours: 9 })), iso(day.plus({ days: 3, hours: 11 }))],
      ]);
    } finally {
      await broker.stop();
    }
  });

  it("are served by the spaceDays index: only those spaces' reservations on those days", async () => {
    const { broker, reservations } = await startSystem();
    try {
      const spaces = await spacesOfOneSite(broker, 4);
      const ids = spaces.map(space => space.id);
      // History the window must not read: every space, every day for two weeks.
      for (let d = 0; d < 14; d++) {
        for (const id of ids) await book(broker, id, day.plus({ days: d, hours: 9 }), 1);
      }
      const indexes = reservations.adapter.db.indexes;
      const spaceDays = jest.spyOn(indexes.spaceDays!, "getMatching");
      const spaceId = jest.spyOn(indexes.spaceId!, "getMatching");
      // A lookup of several keys calls itself once per key; the first call is the query's.
      const lookups = () =>
        spaceDays.mock.calls.flatMap(([keys], i) =>
          Array.isArray(keys) ? [{ keys, read: spaceDays.mock.results[i].value as unknown[] }] : [],
        );

      // One space for a week (8 UTC days from 10:00): its 8 reservations of those days.
      const from = day.plus({ days: 3, hours: 10 });
      const busy = await availability(broker, ids[1], from, from.plus({ days: 7 }));
      expect(busy.busy).toHaveLength(7);
      expect(lookups()).toHaveLength(1);
      expect(lookups()[0].keys).toHaveLength(8);
      expect(lookups()[0].read).toHaveLength(8);

      // "Free during" one hour of all four: the four reservations of that day, not the 56.
      spaceDays.mockClear();
      const hour = day.plus({ days: 5, hours: 9 });
      expect(await free(broker, spaces, hour, hour.plus({ hours: 1 }))).toEqual([]);
      expect(lookups()).toHaveLength(1);
      expect(lookups()[0].keys).toHaveLength(4);
      expect(lookups()[0].read).toHaveLength(4);
      expect(spaceId).not.toHaveBeenCalled();
    } finally {
      await broker.stop();
    }
  });

  it("are asked by key only once records stored without keys (a DATA_DIR of an older version) have them", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "space-days-"));
    try {
      const first = await startSystem(dataDir);
      const spaces = await spacesOfOneSite(first.broker, 3);
      const ids = spaces.map(space => space.id);
      await book(first.broker, ids[0], day.plus({ hours: 22 }), 4);
      await book(first.broker, ids[1], day.plus({ hours: 10 }), 1);
      await first.broker.stop();

      // As older versions stored them: one without `spaceDays`, one without either key.
      const file = path.join(dataDir, "reservations.db");
      const lines = (await readFile(file, "utf8")).split("\n").filter(line => line.length > 0);
      const records = lines.map(line => JSON.parse(line) as Record<string, unknown>);
      let stripped = 0;
      for (const record of records) {
        if (!record.spaceDays) continue;
        delete record.spaceDays;
        if (record.spaceId === ids[1]) delete record.days;
        stripped++;
      }
      expect(stripped).toBeGreaterThanOrEqual(2);
      await writeFile(file, records.map(record => JSON.stringify(record)).join("\n") + "\n");
      // Nor did they keep marks of done passes (lib/upgrade-passes.ts).
      await rm(path.join(dataDir, "reservations_upgrades.db"), { force: true });

      const second = await startSystem(dataDir);
      try {
        const stored = await second.reservations.adapter.find({ query: {} } as never);
        expect(stored).toHaveLength(2);
        for (const record of stored as { spaceDays?: string[]; days?: string[] }[]) {
          expect(record.spaceDays).toBeDefined();
          expect(record.days).toBeDefined();
        }
        const next = day.plus({ days: 1 });
        expect(await free(second.broker, spaces, next, next.plus({ hours: 1 }))).toEqual([
          ids[1],
          ids[2],
        ]);
        expect(
          await free(second.broker, spaces, day.plus({ hours: 10 }), day.plus({ hours: 11 })),
        ).toEqual([ids[0], ids[2]]);
      } finally {
        await second.broker.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
