import { DateTime } from "luxon";
import { singleUtcDay, utcDaysOf, windowUtcDays } from "../../../lib/utc-days";

/** The days through luxon, as the module computed them before it counted milliseconds. */
function luxonDays(start: DateTime, end: DateTime): string[] {
  const days: string[] = [];
  const last = end.toUTC().minus({ milliseconds: 1 });
  for (let day = start.toUTC().startOf("day"); day <= last; day = day.plus({ days: 1 })) {
    days.push(day.toISODate()!);
  }
  return days;
}

describe("the UTC days of a reservation (lib/utc-days.ts)", () => {
  it("lists every UTC day an interval touches, its end excluded", () => {
    expect(utcDaysOf("2027-02-01T10:00:00.000Z", "2027-02-01T11:00:00.000Z")).toEqual([
      "2027-02-01",
    ]);
    expect(utcDaysOf("2027-02-01T23:00:00.000Z", "2027-02-02T00:00:00.000Z")).toEqual([
      "2027-02-01",
    ]);
    expect(utcDaysOf("2027-02-01T23:00:00.000Z", "2027-02-02T00:15:00.000Z")).toEqual([
      "2027-02-01",
      "2027-02-02",
    ]);
    expect(utcDaysOf("2027-03-27T08:00:00.000Z", "2027-04-03T08:00:00.000Z")).toHaveLength(8);
  });

  it("names the one UTC day of a window, and none for a window over midnight (UTC)", () => {
    const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
    expect(singleUtcDay(at("2027-02-01T10:00:00+01:00"), at("2027-02-01T11:00:00+01:00"))).toBe(
      "2027-02-01",
    );
    expect(singleUtcDay(at("2027-02-01T23:00:00Z"), at("2027-02-02T00:00:00Z"))).toBe("2027-02-01");
    // 00:30 in Amsterdam is still the previous day in UTC.
    expect(singleUtcDay(at("2027-02-02T00:30:00+01:00"), at("2027-02-02T01:30:00+01:00"))).toBe(
      null,
    );
    expect(singleUtcDay(at("2027-02-01T10:00:00Z"), at("2027-02-08T10:00:00Z"))).toBe(null);
  });

  it("gives luxon's UTC days for random windows in zones with and without daylight saving", () => {
    const zones = ["Europe/Amsterdam", "America/Santiago", "Asia/Kolkata", "Pacific/Chatham"];
    const base = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 2_000; i++) {
      const zone = zones[i % zones.length];
      const from = DateTime.fromMillis(base + Math.floor(Math.random() * 800 * 86_400_000), {
        zone,
      });
      const to = from.plus({ minutes: 1 + Math.floor(Math.random() * 14 * 24 * 60) });
      expect(windowUtcDays(from, to)).toEqual(luxonDays(from, to));
      expect(utcDaysOf(from.toUTC().toISO()!, to.toUTC().toISO()!)).toEqual(luxonDays(from, to));
    }
  });
});
