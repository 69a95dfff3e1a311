/**
 * Reservation facts carry the UTC days and months they touch (services/reports/fact-months.ts),
 * so a report on MongoDB asks for its window month by month and its edges day by day, by
 * equality, which FerretDB hands to PostgreSQL; facts recorded before get them at start, and
 * until then nothing is missed.
 */
import { DateTime } from "luxon";
import { MongoClient } from "mongodb";
import type { DbAdapter } from "moleculer-db";
import { createReportsService } from "../../services/reports.service";
import * as factMonths from "../../services/reports/fact-months";
import { backfillMonths } from "../../services/reports/fact-months";
import * as store from "../../lib/store";
import { startFerretDb } from "../support/ferretdb";
import { testBroker } from "../support/local-system";
import { ALWAYS_OPEN } from "../support/opening-hours";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };

interface Reports {
  adapter: DbAdapter;
  spaceFacts: DbAdapter;
  monthsStored?: boolean;
}

interface Row {
  group: string;
  reservations: number;
  cancellations: number;
  bookedHours: number;
}

// A month whose local start (Amsterdam, UTC+1) lies in the UTC month before.
const december = DateTime.fromISO("2030-12-01T00:00:00", { zone: "Europe/Amsterdam" });
const utc = (local: DateTime) => local.toUTC().toISO()!;

async function startReports(uri: string | null) {
  const broker = testBroker();
  broker.createService(createReportsService(testConfig({ mongoUri: uri })));
  await broker.start();
  const reports = broker.getLocalService("reports") as unknown as Reports;
  if (uri) await waitFor(() => reports.monthsStored === true, "the months backfill");
  return { broker, reports };
}

/** A space and its facts as an older version recorded them: without `months`. */
async function recordLegacy(reports: Reports) {
  const spaceId = uniqueName("space");
  await reports.spaceFacts.insert({
    _id: spaceId,
    name: "Tulp",
    site: "Gouda",
    timeZone: "Europe/Amsterdam",
    openingHours: ALWAYS_OPEN,
    active: true,
    updatedAt: utc(december),
  });
  const fact = (id: string, start: DateTime, hours: number, status = "confirmed") => ({
    _id: id,
    spaceId,
    start: utc(start),
    end: utc(start.plus({ hours })),
    status,
    updatedAt: utc(december),
  });
  // 00:00–02:00 on 1 December local is 23:00Z on 30 November to 01:00Z.
  await reports.adapter.insert(fact("first-night", december, 2));
  await reports.adapter.insert(fact("mid-month", december.plus({ days: 14, hours: 9 }), 3));
  await reports.adapter.insert(
    fact("cancelled", december.plus({ days: 20, hours: 9 }), 1, "cancelled"),
  );
  // Outside the window: the day before, and the first of January.
  await reports.adapter.insert(fact("before", december.minus({ hours: 5 }), 1));
  await reports.adapter.insert(fact("after", december.plus({ months: 1, hours: 9 }), 1));
  return spaceId;
}

const decemberReport = (broker: ReturnType<typeof testBroker>) =>
  broker.call<{ rows: Row[] }, object>(
    "reports.utilization",
    { from: utc(december), to: utc(december.plus({ months: 1 })), groupBy: "space" },
    { meta: manager },
  );

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("months").replace(/-/g, "_"))],
])("UTC months of reservation facts (%s)", (_label, database) => {
  it("reports a month the same before and after older facts get their months", async () => {
    const uri = database();
    const { broker, reports } = await startReports(uri);
    try {
      const spaceId = await recordLegacy(reports);
      // What an instance starting on this store asks until its backfill is done: the range.
      reports.monthsStored = false;
      const expected = [
        expect.objectContaining({
          group: spaceId,
          reservations: 2,
          cancellations: 1,
          bookedHours: 5,
        }),
      ];
      expect((await decemberReport(broker)).rows).toEqual(expected);

      // Only MongoDB is asked for months, so only there are they given.
      expect(await backfillMonths(reports.adapter)).toBe(5);
      expect(await reports.adapter.findById("first-night")).toMatchObject({
        days: ["2030-11-30", "2030-12-01"],
        months: ["2030-11", "2030-12"],
      });
      reports.monthsStored = uri !== null;
      const read = jest.spyOn(store, "forEachRecord");
      // "first-night" is in both the day and the month asked: counted once (`expected`).
      expect((await decemberReport(broker)).rows).toEqual(expected);
      const asked = read.mock.calls.map(call => call[1] as { days?: string; months?: string });
      expect(asked.map(query => query.days ?? query.months)).toEqual(
        uri ? ["2030-11-30", "2030-12"] : [undefined],
      );
      expect(await backfillMonths(reports.adapter)).toBe(0);
    } finally {
      jest.restoreAllMocks();
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("gives a fact moved while its keys were being made the keys of its new time", async () => {
    const uri = database();
    const { broker, reports } = await startReports(uri);
    try {
      await recordLegacy(reports);
      const updateMany = reports.adapter.updateMany.bind(reports.adapter);
      const moved = december.plus({ days: 40, hours: 9 });
      jest.spyOn(reports.adapter, "updateMany").mockImplementationOnce(async (query, update) => {
        // Just before the first write: an older instance records a move, writing no keys.
        const { _id } = query as { _id: string };
        await updateMany(
          { _id },
          {
            $set: { start: utc(moved), end: utc(moved.plus({ hours: 1 })), updatedAt: utc(moved) },
          },
        );
        return updateMany(query, update);
      });
      expect(await backfillMonths(reports.adapter)).toBe(5);
      const facts = (await reports.adapter.find({ query: {} })) as {
        start: string;
        days: string[];
        months: string[];
      }[];
      const movedFact = facts.find(fact => fact.start === utc(moved));
      expect(movedFact).toMatchObject({ days: [moved.toUTC().toISODate()], months: ["2031-01"] });
    } finally {
      jest.restoreAllMocks();
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });

  it("records a reservation event's fact with its months", async () => {
    const uri = database();
    const { broker, reports } = await startReports(uri);
    try {
      const start = december.plus({ days: 3, hours: 23, minutes: 30 });
      const reservation = {
        id: uniqueName("r"),
        spaceId: "s-1",
        ownerId: "u-1",
        title: "",
        start: utc(start),
        end: utc(start.plus({ hours: 1 })),
        status: "confirmed",
        createdAt: utc(december),
        updatedAt: utc(december),
      };
      const service = broker.getLocalService("reports") as unknown as {
        schema: { channels: Record<string, (this: unknown, event: unknown) => Promise<void>> };
      };
      await service.schema.channels["reservation.created"].call(reports, {
        type: "reservation.created",
        data: { reservation },
      });
      // 23:30 local on 4 December to 00:30 on the 5th: 22:30Z to 23:30Z on the 4th.
      expect(await reports.adapter.findById(reservation.id)).toMatchObject({
        days: ["2030-12-04"],
        months: ["2030-12"],
      });
    } finally {
      await broker.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});

describe("the months pass, remembered (Mongo-wire server)", () => {
  it("reads every fact at the first start on a store only (lib/upgrade-passes.ts)", async () => {
    const uri = mongoUri(uniqueName("months_once").replace(/-/g, "_"));
    const pass = jest.spyOn(factMonths, "backfillMonths");
    try {
      const first = await startReports(uri);
      await first.broker.stop();
      expect(pass).toHaveBeenCalledTimes(1);
      // The next start knows it from its marks, and asks by month at once.
      const second = await startReports(uri);
      await second.broker.stop();
      expect(pass).toHaveBeenCalledTimes(1);
    } finally {
      jest.restoreAllMocks();
      await dropDatabase(uri);
    }
  });
});

describe("a report's facts on FerretDB with PostgreSQL", () => {
  it("are asked month by month and filtered by PostgreSQL (pushed down)", async () => {
    const ferret = await startFerretDb({ backend: "postgresql" });
    const uri = `${ferret.url}/months_pushdown`;
    const { broker } = await startReports(uri);
    const client = await MongoClient.connect(uri, { useUnifiedTopology: true });
    try {
      const indexed = (await client.db().collection("reports_reservations").indexes()) as {
        key: Record<string, number>;
      }[];
      const firstFields = indexed.map(index => Object.keys(index.key)[0]);
      expect(firstFields).toEqual(expect.arrayContaining(["days", "months"]));
      const read = jest.spyOn(store, "forEachRecord");
      await decemberReport(broker);
      const queries = read.mock.calls.map(call => call[1]);
      expect(queries.map(query => query.days ?? query.months)).toEqual(["2030-11-30", "2030-12"]);
      for (const [query, field] of [
        [queries[0], "days"],
        [queries[1], "months"],
      ] as const) {
        const explained = await client.db().command({
          explain: { find: "reports_reservations", filter: query },
        });
        expect(explained.filterPushdown).toBe(true);
        expect(JSON.stringify(explained.queryPlanner)).toContain(field);
      }
    } finally {
      jest.restoreAllMocks();
      await client.close();
      await broker.stop();
      await ferret.stop();
    }
  });
});
