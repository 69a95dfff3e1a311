import { DateTime, Interval } from "luxon";
import {
  ceilToSlot,
  floorToSlot,
  freeIntervals,
} from "../../../../services/reservations/availability";
import { openIntervals, type BookableSpace } from "../../../../lib/bookable-space";
import { AMS, allDay, bookableSpace, office, week } from "../../../support/opening-hours";

const space = (overrides: Partial<BookableSpace> = {}) =>
  bookableSpace(week(office), 730, overrides);

const local = (iso: string, zone = AMS) => DateTime.fromISO(iso, { zone });
const utc = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });
const busy = (from: string, to: string, zone = AMS) =>
  Interval.fromDateTimes(local(from, zone), local(to, zone));
const longAgo = utc("2026-12-01T00:00:00Z");

/** Free intervals as local wall-clock strings, which is what a person checks them against. */
function shown(intervals: Interval[], zone = AMS): string[] {
  return intervals.map(
    i =>
      `${i.start!.setZone(zone).toFormat("yyyy-MM-dd HH:mm")}–${i.end!.setZone(zone).toFormat("HH:mm")}`,
  );
}

describe("availability", () => {
  it("is the opening hours of each day in the window when nothing is booked", () => {
    const free = freeIntervals(
      space(),
      local("2027-01-11T00:00"),
      local("2027-01-13T00:00"),
      [],
      longAgo,
    );
    expect(shown(free)).toEqual(["2027-01-11 08:00–18:00", "2027-01-12 08:00–18:00"]);
  });

  it("leaves out busy intervals and the slots they touch", () => {
    const free = freeIntervals(
      space({ rules: { minMinutes: 15, maxMinutes: 480, horizonDays: 730, slotMinutes: 60 } }),
      local("2027-01-11T00:00"),
      local("2027-01-12T00:00"),
      // Booked under an older 15-minute rule: the hour grid now loses 10:00–12:00 around it.
      [busy("2027-01-11T10:15", "2027-01-11T11:15"), busy("2027-01-11T14:00", "2027-01-11T15:00")],
      longAgo,
    );
    expect(shown(free)).toEqual([
      "2027-01-11 08:00–10:00",
      "2027-01-11 12:00–14:00",
      "2027-01-11 15:00–18:00",
    ]);
  });

  it("drops gaps shorter than the minimum duration", () => {
    const free = freeIntervals(
      space({ rules: { minMinutes: 60, maxMinutes: 480, horizonDays: 730, slotMinutes: 15 } }),
      local("2027-01-11T00:00"),
      local("2027-01-12T00:00"),
      [busy("2027-01-11T08:30", "2027-01-11T17:30")],
      longAgo,
    );
    expect(free).toEqual([]);
  });

  it("starts at the next slot after now and stops at the booking horizon", () => {
    const now = local("2027-01-11T09:07");
    const free = freeIntervals(
      space({ rules: { minMinutes: 15, maxMinutes: 480, horizonDays: 1, slotMinutes: 15 } }),
      local("2027-01-11T00:00"),
      local("2027-01-15T00:00"),
      [],
      now,
    );
    // One day ahead is 2027-01-12 09:07; the last whole slot before it ends at 09:00.
    expect(shown(free)).toEqual(["2027-01-11 09:15–18:00", "2027-01-12 08:00–09:00"]);
  });

  it("offers nothing for an inactive space", () => {
    const free = freeIntervals(
      space({ active: false }),
      local("2027-01-11T00:00"),
      local("2027-01-12T00:00"),
      [],
      longAgo,
    );
    expect(free).toEqual([]);
  });

  describe("across daylight-saving changes in Europe/Amsterdam", () => {
    const always = space({ openingHours: week(allDay) });

    it("keeps office hours at 08:00–18:00 local on both sides of the spring-forward night", () => {
      const free = freeIntervals(
        space({ openingHours: week(office, office) }),
        local("2027-03-27T00:00"),
        local("2027-03-30T00:00"),
        [],
        longAgo,
      );
      expect(shown(free)).toEqual([
        "2027-03-27 08:00–18:00",
        "2027-03-28 08:00–18:00",
        "2027-03-29 08:00–18:00",
      ]);
      // Before the change 08:00 is 07:00 UTC, after it 06:00 UTC.
      expect(free[0].start!.toUTC().hour).toBe(7);
      expect(free[2].start!.toUTC().hour).toBe(6);
    });

    it("has a 23-hour spring-forward Sunday and a 25-hour fall-back Sunday", () => {
      const spring = freeIntervals(
        always,
        local("2027-03-28T00:00"),
        local("2027-03-29T00:00"),
        [],
        longAgo,
      );
      expect(spring.map(i => i.length("hours"))).toEqual([23]);
      const autumn = freeIntervals(
        always,
        local("2027-10-31T00:00"),
        local("2027-11-01T00:00"),
        [],
        longAgo,
      );
      expect(autumn.map(i => i.length("hours"))).toEqual([25]);
    });

    it("shows a booking across 02:00–03:00 on the spring-forward night as the hour it lasts", () => {
      // 01:30 to 03:30 local is 00:30Z to 01:30Z: one real hour, the clock skips the other.
      const booked = Interval.fromDateTimes(
        utc("2027-03-28T00:30:00Z"),
        utc("2027-03-28T01:30:00Z"),
      );
      const free = freeIntervals(
        always,
        local("2027-03-28T00:00"),
        local("2027-03-28T06:00"),
        [booked],
        longAgo,
      );
      expect(shown(free)).toEqual(["2027-03-28 00:00–01:30", "2027-03-28 03:30–06:00"]);
    });

    it("keeps both 02:00–03:00 hours of the fall-back night apart", () => {
      // The first 02:00–03:00 (UTC+2) is booked; the repeated one (UTC+1) stays free.
      const booked = Interval.fromDateTimes(
        utc("2027-10-31T00:00:00Z"),
        utc("2027-10-31T01:00:00Z"),
      );
      const free = freeIntervals(
        always,
        local("2027-10-31T00:00"),
        local("2027-10-31T06:00"),
        [booked],
        longAgo,
      );
      expect(free.map(i => `${i.start!.toISO()}/${i.end!.toISO()}`)).toEqual([
        "2027-10-30T22:00:00.000Z/2027-10-31T00:00:00.000Z",
        "2027-10-31T01:00:00.000Z/2027-10-31T05:00:00.000Z",
      ]);
    });

    it("aligns to the slot grid in the repeated hour without going back in time", () => {
      // 02:20 in the repeated hour (UTC+1) is 01:20Z; the next quarter is 02:30 UTC+1 = 01:30Z.
      const inRepeatedHour = utc("2027-10-31T01:20:00Z");
      expect(ceilToSlot(inRepeatedHour, AMS, 15).toISO()).toBe("2027-10-31T01:30:00.000Z");
      expect(floorToSlot(inRepeatedHour, AMS, 15).toISO()).toBe("2027-10-31T01:15:00.000Z");
    });
  });

  it("evaluates opening hours in the space's own time zone", () => {
    const newYork = space({ timeZone: "America/New_York" });
    const free = freeIntervals(
      newYork,
      utc("2027-01-11T00:00:00Z"),
      utc("2027-01-12T00:00:00Z"),
      [],
      longAgo,
    );
    // 08:00–18:00 in New York in winter (UTC-5) is 13:00–23:00 UTC.
    expect(free.map(i => `${i.start!.toISO()}/${i.end!.toISO()}`)).toEqual([
      "2027-01-11T13:00:00.000Z/2027-01-11T23:00:00.000Z",
    ]);
  });

  it("merges opening ranges that run across midnight into one interval", () => {
    const nights = space({
      openingHours: week([
        { from: "00:00", to: "06:00" },
        { from: "22:00", to: "24:00" },
      ]),
    });
    const open = openIntervals(nights, local("2027-01-11T12:00"), local("2027-01-12T12:00"));
    expect(shown(open)).toEqual(["2027-01-11 22:00–06:00"]);
  });
});
