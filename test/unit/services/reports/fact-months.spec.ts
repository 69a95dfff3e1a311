import { DateTime } from "luxon";
import { factMonths, factQueries } from "../../../../services/reports/fact-months";
import { overlappingWindow } from "../../../../lib/time-window";

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });

describe("the UTC months of reservation facts (reports/fact-months.ts)", () => {
  it("lists each UTC month a fact touches, and not the month its end opens", () => {
    expect(factMonths("2027-01-31T22:00:00.000Z", "2027-02-01T01:00:00.000Z")).toEqual([
      "2027-01",
      "2027-02",
    ]);
    expect(factMonths("2027-01-31T22:00:00.000Z", "2027-02-01T00:00:00.000Z")).toEqual(["2027-01"]);
    expect(factMonths("2027-03-10T09:00:00.000Z", "2027-03-10T10:00:00.000Z")).toEqual(["2027-03"]);
  });

  it("asks MongoDB month by month, by equality, once every fact has its months", () => {
    // December in Amsterdam: from 23:00Z on 30 November, so two UTC months.
    const from = at("2026-12-01T00:00:00+01:00");
    const to = at("2027-01-01T00:00:00+01:00");
    const window = overlappingWindow(from, to);
    expect(factQueries({ store: "mongo", monthsStored: true }, from, to)).toEqual([
      { months: "2026-11", ...window },
      { months: "2026-12", ...window },
    ]);
    // Before, and on NeDB (its `start` index serves the range): the range alone.
    expect(factQueries({ store: "mongo", monthsStored: false }, from, to)).toEqual([window]);
    expect(factQueries({ store: "embedded", monthsStored: true }, from, to)).toEqual([window]);
  });

  it("asks a report of the longest window (366 days) in fourteen UTC months at most", () => {
    const from = at("2027-01-01T00:00:00+01:00");
    const queries = factQueries(
      { store: "mongo", monthsStored: true },
      from,
      from.plus({ days: 366 }),
    );
    expect(queries.map(query => query.months)).toHaveLength(14);
  });
});
