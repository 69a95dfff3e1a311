import { DateTime } from "luxon";
import { spaceDayKey, spaceDayKeys, spaceDaysOf } from "../../../lib/space-days";
import { windowUtcDays } from "../../../lib/utc-days";

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
/** The keys a window query asks for (services/reservations/window-query.ts). */
const windowSpaceDays = (spaceIds: string[], from: DateTime, to: DateTime) =>
  spaceDayKeys(spaceIds, windowUtcDays(from, to));

describe("the (space, UTC day) keys of reservations and windows (lib/space-days.ts)", () => {
  it("keys a reservation by its space and every UTC day it touches, its end excluded", () => {
    expect(spaceDayKey("room-1", "2027-02-01")).toBe("room-1|2027-02-01");
    expect(spaceDaysOf("room-1", "2027-02-01T10:00:00.000Z", "2027-02-01T11:00:00.000Z")).toEqual([
      "room-1|2027-02-01",
    ]);
    // Ending at midnight UTC: not on the next day.
    expect(spaceDaysOf("room-1", "2027-02-01T23:00:00.000Z", "2027-02-02T00:00:00.000Z")).toEqual([
      "room-1|2027-02-01",
    ]);
    // Crossing midnight UTC: on both days.
    expect(spaceDaysOf("room-1", "2027-02-01T23:00:00.000Z", "2027-02-02T00:15:00.000Z")).toEqual([
      "room-1|2027-02-01",
      "room-1|2027-02-02",
    ]);
  });

  it("keys a reservation over a DST night by UTC days, whatever the local clock did", () => {
    // Amsterdam, 28 March 2027 02:00 → 03:00: local 27th 22:00 to 28th 22:00 is 21:00Z to 20:00Z.
    expect(spaceDaysOf("room-1", "2027-03-27T21:00:00.000Z", "2027-03-28T20:00:00.000Z")).toEqual([
      "room-1|2027-03-27",
      "room-1|2027-03-28",
    ]);
  });

  it("gives every key a reservation overlapping the window holds one of", () => {
    // One local day in Amsterdam in winter: 23:00Z to 23:00Z, two UTC days.
    const from = at("2027-02-02T00:00:00+01:00");
    const to = at("2027-02-03T00:00:00+01:00");
    expect(windowSpaceDays(["a", "b"], from, to)).toEqual([
      "a|2027-02-01",
      "a|2027-02-02",
      "b|2027-02-01",
      "b|2027-02-02",
    ]);
    expect(windowSpaceDays(["a", "b"], from, to)).toHaveLength(4);
    // The local day of the spring DST change (23 hours): still two UTC days.
    const spring = windowSpaceDays(
      ["a"],
      at("2027-03-28T00:00:00+01:00"),
      at("2027-03-29T00:00:00+02:00"),
    );
    expect(spring).toEqual(["a|2027-03-27", "a|2027-03-28"]);
    // A week of one space in UTC: 7 days; starting at 10:00, the eighth day too.
    expect(
      windowSpaceDays(["a"], at("2027-02-01T00:00:00Z"), at("2027-02-08T00:00:00Z")),
    ).toHaveLength(7);
    expect(
      windowSpaceDays(["a"], at("2027-02-01T10:00:00Z"), at("2027-02-08T10:00:00Z")),
    ).toHaveLength(8);
  });

  it("a reservation overlapping a window shares a key with it, one that does not shares none", () => {
    const from = at("2027-02-01T22:00:00Z");
    const to = at("2027-02-02T02:00:00Z");
    const keys = new Set(windowSpaceDays(["a"], from, to));
    const shares = (start: string, end: string) =>
      spaceDaysOf("a", start, end).some(key => keys.has(key));
    // Starts the day before the window, ends inside it.
    expect(shares("2027-01-31T20:00:00.000Z", "2027-02-01T23:00:00.000Z")).toBe(true);
    // Starts after midnight, inside the window.
    expect(shares("2027-02-02T01:00:00.000Z", "2027-02-02T03:00:00.000Z")).toBe(true);
    // Two days later: no key in common (the range conditions would refuse it anyway).
    expect(shares("2027-02-04T01:00:00.000Z", "2027-02-04T03:00:00.000Z")).toBe(false);
  });
});
