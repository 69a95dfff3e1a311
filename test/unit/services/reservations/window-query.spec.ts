import { DateTime } from "luxon";
import {
  MAX_SITE_DAY_QUERIES,
  MAX_SPACE_DAY_KEYS,
  windowQueries,
  windowQuery,
  type WindowReads,
} from "../../../../services/reservations/window-query";

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const embedded: WindowReads = { store: "embedded", dayKeysStored: true };
const mongo: WindowReads = { store: "mongo", dayKeysStored: true };

/** The range conditions every shape carries: the overlap, bounded below by the longest booking. */
const range = (from: string, lowest: string, to: string) => ({
  start: { $gte: lowest, $lt: to },
  end: { $gt: from },
});

describe("the window query of reservations per store (reservations/window-query.ts)", () => {
  it("asks the embedded store for the window's space-day keys, and no spaceId or days", () => {
    // A week of one space for availability, from 10:00 UTC: 8 UTC days.
    const from = at("2027-02-01T10:00:00Z");
    const to = at("2027-02-08T10:00:00Z");
    const query = windowQuery(embedded, ["room-1"], from, to);
    expect(query).toEqual({
      spaceDays: {
        $in: [
          "room-1|2027-02-01",
          "room-1|2027-02-02",
          "room-1|2027-02-03",
          "room-1|2027-02-04",
          "room-1|2027-02-05",
          "room-1|2027-02-06",
          "room-1|2027-02-07",
          "room-1|2027-02-08",
        ],
      },
      ...range("2027-02-01T10:00:00.000Z", "2027-01-25T10:00:00.000Z", "2027-02-08T10:00:00.000Z"),
    });
  });

  it("asks for both UTC days of a window crossing midnight UTC, for each space", () => {
    // 00:30–01:30 in Amsterdam is 23:30Z–00:30Z.
    const query = windowQuery(
      embedded,
      ["a", "b"],
      at("2027-02-02T00:30:00+01:00"),
      at("2027-02-02T01:30:00+01:00"),
    );
    expect(query.spaceDays).toEqual({
      $in: ["a|2027-02-01", "a|2027-02-02", "b|2027-02-01", "b|2027-02-02"],
    });
    expect(query).not.toHaveProperty("spaceId");
    expect(query).not.toHaveProperty("days");
  });

  it("keys a local day across the DST change by its UTC days", () => {
    // 31 October 2027 in Amsterdam has 25 hours: 22:00Z on the 30th to 23:00Z on the 31st.
    const query = windowQuery(
      embedded,
      ["a"],
      at("2027-10-31T00:00:00+02:00"),
      at("2027-11-01T00:00:00+01:00"),
    );
    expect(query.spaceDays).toEqual({ $in: ["a|2027-10-30", "a|2027-10-31"] });
  });

  it("asks the embedded store as before while records may lack their keys", () => {
    const from = at("2027-02-01T10:00:00Z");
    const to = at("2027-02-01T11:00:00Z");
    const reads: WindowReads = { store: "embedded", dayKeysStored: false };
    expect(windowQuery(reads, ["a", "b"], from, to)).toEqual({
      spaceId: { $in: ["a", "b"] },
      ...range("2027-02-01T10:00:00.000Z", "2027-01-25T10:00:00.000Z", "2027-02-01T11:00:00.000Z"),
    });
    expect(windowQuery(reads, ["a"], from, to)).toMatchObject({ spaceId: "a" });
  });

  it("asks the embedded store as before when the window has more keys than the cap", () => {
    const spaces = Array.from({ length: 500 }, (_, i) => `s${i}`);
    const from = at("2027-02-01T10:00:00Z");
    // Two UTC days of 500 spaces: exactly the cap. Three: over it.
    const twoDays = windowQuery(embedded, spaces, from, at("2027-02-02T10:00:00Z"));
    expect((twoDays.spaceDays as { $in: string[] }).$in).toHaveLength(MAX_SPACE_DAY_KEYS);
    const threeDays = windowQuery(embedded, spaces, from, at("2027-02-03T10:00:00Z"));
    expect(threeDays).not.toHaveProperty("spaceDays");
    expect(threeDays).toMatchObject({ spaceId: { $in: spaces } });
    // 62 days of one space (availability's longest window) stay within the cap.
    expect(windowQuery(embedded, ["a"], from, at("2027-04-04T10:00:00Z")).spaceDays).toBeDefined();
  });

  it("keeps MongoDB's shape: spaceId, and the day by equality for several spaces in one UTC day", () => {
    const from = at("2027-02-01T10:00:00Z");
    const to = at("2027-02-01T11:00:00Z");
    expect(windowQuery(mongo, ["a", "b"], from, to)).toEqual({
      days: "2027-02-01",
      spaceId: { $in: ["a", "b"] },
      ...range("2027-02-01T10:00:00.000Z", "2027-01-25T10:00:00.000Z", "2027-02-01T11:00:00.000Z"),
    });
    // One space: its (spaceId, start) index, no day.
    expect(windowQuery(mongo, ["a"], from, to)).toEqual({
      spaceId: "a",
      ...range("2027-02-01T10:00:00.000Z", "2027-01-25T10:00:00.000Z", "2027-02-01T11:00:00.000Z"),
    });
    // Over midnight UTC: no single day to ask for.
    expect(
      windowQuery(mongo, ["a", "b"], at("2027-02-01T23:30:00Z"), at("2027-02-02T00:30:00Z")),
    ).not.toHaveProperty("days");
    // Before every record has its days: none.
    expect(
      windowQuery({ store: "mongo", dayKeysStored: false }, ["a", "b"], from, to),
    ).not.toHaveProperty("days");
  });

  describe("several spaces by site group and UTC day on MongoDB (windowQueries)", () => {
    const from = at("2027-02-01T10:00:00Z");
    const to = at("2027-02-01T11:00:00Z");
    const window = range(
      "2027-02-01T10:00:00.000Z",
      "2027-01-25T10:00:00.000Z",
      "2027-02-01T11:00:00.000Z",
    );

    it("asks for one site's day by one key, narrowed to its spaces", () => {
      const spaces = [
        { id: "a", siteGroup: "delft" },
        { id: "b", siteGroup: "delft" },
      ];
      expect(windowQueries(mongo, spaces, from, to)).toEqual([
        { siteDays: "delft|2027-02-01", spaceId: { $in: ["a", "b"] }, ...window },
      ]);
    });

    it("asks one key per group and UTC day: a space moved onto the site, a window over midnight", () => {
      const spaces = [
        { id: "a", siteGroup: "delft" },
        { id: "b", siteGroup: "delft" },
        { id: "moved", siteGroup: "ede" },
      ];
      const queries = windowQueries(
        mongo,
        spaces,
        at("2027-02-01T23:30:00Z"),
        at("2027-02-02T00:30:00Z"),
      );
      expect(queries.map(query => [query.siteDays, query.spaceId])).toEqual([
        ["delft|2027-02-01", { $in: ["a", "b"] }],
        ["delft|2027-02-02", { $in: ["a", "b"] }],
        ["ede|2027-02-01", "moved"],
        ["ede|2027-02-02", "moved"],
      ]);
      expect(queries).toHaveLength(MAX_SITE_DAY_QUERIES);
    });

    it("asks for one space (availability) by its UTC months, one query each", () => {
      // 62 days from 31 January: four UTC months, the most a window of one space may touch.
      const start = at("2027-01-31T10:00:00Z");
      const queries = windowQueries(mongo, [{ id: "a" }], start, start.plus({ days: 62 }));
      expect(queries.map(query => query.spaceMonths)).toEqual([
        "a|2027-01",
        "a|2027-02",
        "a|2027-03",
        "a|2027-04",
      ]);
      expect(queries[0]).not.toHaveProperty("spaceId");
      expect(windowQueries(mongo, [{ id: "a" }], from, to)).toEqual([
        { spaceMonths: "a|2027-02", ...window },
      ]);
    });

    it("asks as windowQuery does past the cap, for a space without its group, on NeDB, and before the keys are stored", () => {
      const groups = ["a", "b", "c", "d", "e"].map(id => ({ id, siteGroup: `site-${id}` }));
      const ids = groups.map(space => space.id);
      expect(windowQueries(mongo, groups, from, to)).toEqual([windowQuery(mongo, ids, from, to)]);
      const unnamed = [{ id: "a", siteGroup: "x" }, { id: "b" }];
      expect(windowQueries(mongo, unnamed, from, to)).toEqual([
        windowQuery(mongo, ["a", "b"], from, to),
      ]);
      const oneSite = [
        { id: "a", siteGroup: "x" },
        { id: "b", siteGroup: "x" },
      ];
      expect(windowQueries(embedded, oneSite, from, to)).toEqual([
        windowQuery(embedded, ["a", "b"], from, to),
      ]);
      const before: WindowReads = { store: "mongo", dayKeysStored: false };
      expect(windowQueries(before, oneSite, from, to)).toEqual([
        windowQuery(before, ["a", "b"], from, to),
      ]);
    });
  });
});
