import { DateTime, IANAZone, Interval } from "luxon";
import { openRanges } from "../../../lib/bookable-space";
import { constantOffset, offsetAt, wallClockMs, weekdayIndex } from "../../../lib/zone-offsets";
import { freeIntervals } from "../../../services/reservations/availability";
import * as reference from "../../support/luxon-opening-hours";
import { bookableSpace, office, week } from "../../support/opening-hours";

const ms = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).toMillis();

describe("zone offsets", () => {
  it("gives the offset of a span in which it does not change", () => {
    expect(constantOffset("Europe/Amsterdam", ms("2027-01-11T00:00"), ms("2027-01-18T00:00"))).toBe(
      60,
    );
    expect(constantOffset("Europe/Amsterdam", ms("2027-07-05T00:00"), ms("2027-07-12T00:00"))).toBe(
      120,
    );
    expect(constantOffset("Asia/Kathmandu", ms("2027-03-28T00:00"), ms("2027-03-29T00:00"))).toBe(
      345,
    );
    expect(
      constantOffset("Australia/Lord_Howe", ms("2027-07-01T00:00"), ms("2027-07-02T00:00")),
    ).toBe(630);
  });

  it("gives none for a span with a daylight-saving change, or an unknown zone", () => {
    // Spring forward 2027-03-28T01:00Z, fall back 2027-10-31T01:00Z; Lord Howe moves 30 minutes.
    expect(
      constantOffset("Europe/Amsterdam", ms("2027-03-28T00:30"), ms("2027-03-28T01:30")),
    ).toBeNull();
    expect(
      constantOffset("Europe/Amsterdam", ms("2027-10-30T12:00"), ms("2027-10-31T12:00")),
    ).toBeNull();
    expect(
      constantOffset("Australia/Lord_Howe", ms("2027-04-01T00:00"), ms("2027-04-08T00:00")),
    ).toBeNull();
    expect(
      constantOffset("Mars/Olympus_Mons", ms("2027-01-11T00:00"), ms("2027-01-12T00:00")),
    ).toBeNull();
  });

  it("gives the offset at an instant on either side of a change", () => {
    expect(offsetAt("Europe/Amsterdam", ms("2027-03-28T00:59"))).toBe(60);
    expect(offsetAt("Europe/Amsterdam", ms("2027-03-28T01:00"))).toBe(120);
    expect(wallClockMs("Europe/Amsterdam", ms("2027-03-28T01:00"))).toBe(ms("2027-03-28T03:00"));
  });

  it("numbers weekdays from Monday", () => {
    // 1970-01-01 was a Thursday; 2027-01-11 is a Monday.
    expect(weekdayIndex(0)).toBe(3);
    expect(weekdayIndex(ms("2027-01-11T00:00") / 86_400_000)).toBe(0);
    expect(weekdayIndex(-1)).toBe(2);
  });

  describe("asks luxon's zone once per six hours of a window, and once per process", () => {
    afterEach(() => jest.restoreAllMocks());

    it("for four weeks of opening hours, and not again the second time", () => {
      const offset = jest.spyOn(IANAZone.prototype, "offset");
      const space = { timeZone: "Asia/Tokyo", openingHours: week(office) };
      // 09:00 in Tokyo on 1 February to 09:00 on 1 March: 28 days and the start of the 29th.
      const from = ms("2027-02-01T00:00");
      const to = ms("2027-03-01T00:00");
      expect(openRanges(space, from, to)).toHaveLength(29);
      expect(offset.mock.calls.length).toBeLessThanOrEqual(4 * (28 + 3));
      offset.mockClear();
      openRanges(space, from, to);
      expect(offset).not.toHaveBeenCalled();
    });

    it("for two weeks of availability across a daylight-saving change, a fraction of before", () => {
      const zone = "America/Chicago";
      const space = bookableSpace(week(office), 730, { timeZone: zone });
      // 2027-03-14 is the spring-forward Sunday in Chicago.
      const from = DateTime.fromISO("2027-03-08T00:00", { zone });
      const to = from.plus({ days: 14 });
      const busy = ["09", "10", "11", "15", "16"].map(day => {
        const start = DateTime.fromISO(`2027-03-${day}T10:00`, { zone });
        return Interval.fromDateTimes(start, start.plus({ hours: 1 }));
      });
      const longAgo = DateTime.fromISO("2027-01-01T00:00Z");
      const offset = jest.spyOn(IANAZone.prototype, "offset");
      const free = freeIntervals(space, from, to, busy, longAgo);
      const asked = offset.mock.calls.length;
      offset.mockClear();
      const before = reference.freeIntervals(space, from, to, busy, longAgo);
      expect(free.map(String)).toEqual(before.map(String));
      expect(asked).toBeLessThan(offset.mock.calls.length / 5);
    });
  });
});
