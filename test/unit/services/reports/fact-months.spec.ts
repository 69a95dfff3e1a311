import { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import {
  EDGE_DAYS,
  factKeys,
  factQueries,
  forEachFactIn,
} from "../../../../services/reports/fact-months";
import { overlappingWindow } from "../../../../lib/time-window";

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const mongo = { store: "mongo" as const, monthsStored: true };

describe("the UTC days and months of reservation facts (reports/fact-months.ts)", () => {
  it("lists each UTC day and month a fact touches, and not the day its end opens", () => {
    expect(factKeys("2027-01-31T22:00:00.000Z", "2027-02-01T01:00:00.000Z")).toEqual({
      days: ["2027-01-31", "2027-02-01"],
      months: ["2027-01", "2027-02"],
    });
    expect(factKeys("2027-01-31T22:00:00.000Z", "2027-02-01T00:00:00.000Z")).toEqual({
      days: ["2027-01-31"],
      months: ["2027-01"],
    });
    expect(factKeys("2027-03-10T09:00:00.000Z", "2027-03-10T10:00:00.000Z").months).toEqual([
      "2027-03",
    ]);
  });

  it("asks MongoDB for a local month by its UTC month and the UTC day before, by equality", () => {
    // December in Amsterdam: from 23:00Z on 30 November to 23:00Z on 31 December.
    const from = at("2026-12-01T00:00:00+01:00");
    const to = at("2027-01-01T00:00:00+01:00");
    const window = overlappingWindow(from, to);
    expect(factQueries(mongo, from, to)).toEqual([
      { days: "2026-11-30", ...window },
      { months: "2026-12", ...window },
    ]);
    // Before, and on NeDB (its `start` index serves the range): the range alone.
    expect(factQueries({ store: "mongo", monthsStored: false }, from, to)).toEqual([window]);
    expect(factQueries({ store: "embedded", monthsStored: true }, from, to)).toEqual([window]);
  });

  it("asks a short window day by day, and a long one by month with its edges by day", () => {
    const week = factQueries(mongo, at("2027-03-01T00:00:00Z"), at("2027-03-08T00:00:00Z"));
    expect(week.map(query => query.days)).toHaveLength(EDGE_DAYS);
    expect(week.every(query => query.months === undefined)).toBe(true);
    // 366 days from 10 January: its first month by month (22 days), the last (10 days) too.
    const from = at("2027-01-10T00:00:00Z");
    const year = factQueries(mongo, from, from.plus({ days: 366 }));
    expect(year.map(query => query.months ?? query.days)).toEqual([
      "2027-01",
      "2027-02",
      "2027-03",
      "2027-04",
      "2027-05",
      "2027-06",
      "2027-07",
      "2027-08",
      "2027-09",
      "2027-10",
      "2027-11",
      "2027-12",
      "2028-01",
    ]);
  });

  it("visits a fact that two of the queries find once, from the first", async () => {
    const fact = (id: string, start: string, end: string) => ({
      _id: id,
      spaceId: "s",
      start,
      end,
      status: "confirmed",
      ...factKeys(start, end),
    });
    // 23:00Z on 30 November to 01:00Z on 1 December: in the edge day's query and the month's.
    const night = fact("night", "2026-11-30T23:00:00.000Z", "2026-12-01T01:00:00.000Z");
    const mid = fact("mid", "2026-12-15T09:00:00.000Z", "2026-12-15T10:00:00.000Z");
    const lastDay = fact("last", "2026-12-31T21:00:00.000Z", "2026-12-31T22:00:00.000Z");
    // A store that answers each query by its key, as MongoDB does (the window holds them all).
    const byKey: Record<string, object[]> = {
      "2026-11-30": [night],
      "2026-12": [mid, night, lastDay],
    };
    const facts = {
      find: async ({ query }: { query: { days?: string; months?: string } }) =>
        byKey[query.days ?? query.months ?? ""] ?? [],
    } as unknown as DbAdapter;
    const visited: string[] = [];
    await forEachFactIn(
      facts,
      mongo,
      at("2026-12-01T00:00:00+01:00"),
      at("2027-01-01T00:00:00+01:00"),
      found => visited.push(found._id),
    );
    expect(visited.sort()).toEqual(["last", "mid", "night"]);
  });
});
