import { DateTime } from "luxon";
import { checkBooking } from "../../../../services/reservations/booking-rules";
import { withinOpeningHours, type BookableSpace } from "../../../../lib/bookable-space";
import { AMS, allDay, bookableSpace, office, week } from "../../../support/opening-hours";
import { claimKeys } from "../../../../services/reservations/slot-claims";

const space = (overrides: Partial<BookableSpace> = {}) =>
  bookableSpace(week(allDay), 365, overrides);

const local = (iso: string, zone = AMS) => DateTime.fromISO(iso, { zone });
const now = DateTime.fromISO("2026-01-05T09:00:00Z");

describe("booking rules", () => {
  it("accepts a booking that keeps every rule", () => {
    expect(
      checkBooking(
        space({ openingHours: week(office) }),
        local("2026-01-06T09:00"),
        local("2026-01-06T10:30"),
        now,
      ),
    ).toBeNull();
  });

  it.each([
    ["END_NOT_AFTER_START", "2026-01-06T10:00", "2026-01-06T10:00"],
    ["IN_THE_PAST", "2026-01-05T08:00", "2026-01-05T11:00"],
    ["TOO_SHORT", "2026-01-06T10:00", "2026-01-06T10:00:00.001"],
    ["TOO_LONG", "2026-01-06T08:00", "2026-01-06T17:00"],
    ["BEYOND_HORIZON", "2027-03-01T10:00", "2027-03-01T11:00"],
    ["NOT_ALIGNED", "2026-01-06T10:05", "2026-01-06T11:00"],
    ["OUTSIDE_OPENING_HOURS", "2026-01-06T07:00", "2026-01-06T09:00"],
    ["OUTSIDE_OPENING_HOURS", "2026-01-10T10:00", "2026-01-10T11:00"],
  ])("refuses %s", (violation, start, end) => {
    const s = space({
      openingHours: week(office, []),
      rules: { minMinutes: 30, maxMinutes: 8 * 60, horizonDays: 90, slotMinutes: 15 },
    });
    const result = checkBooking(s, local(start), local(end), now);
    expect(violation === "TOO_SHORT" ? ["TOO_SHORT", "NOT_ALIGNED"] : [violation]).toContain(
      result,
    );
  });

  it("refuses bookings of an inactive space", () => {
    expect(
      checkBooking(
        space({ active: false }),
        local("2026-01-06T09:00"),
        local("2026-01-06T10:00"),
        now,
      ),
    ).toBe("SPACE_INACTIVE");
  });

  describe("across daylight-saving changes in Europe/Amsterdam", () => {
    it("counts 01:00–04:00 on the spring-forward Sunday (29 March 2026) as two real hours", () => {
      const start = local("2026-03-29T01:00");
      const end = local("2026-03-29T04:00");
      expect(end.diff(start, "hours").hours).toBe(2);
      expect(
        checkBooking(
          space({ rules: { minMinutes: 15, maxMinutes: 120, horizonDays: 365, slotMinutes: 15 } }),
          start,
          end,
          now,
        ),
      ).toBeNull();
      expect(
        checkBooking(
          space({ rules: { minMinutes: 15, maxMinutes: 119, horizonDays: 365, slotMinutes: 15 } }),
          start,
          end,
          now,
        ),
      ).toBe("TOO_LONG");
    });

    it("counts 01:00–04:00 on the fall-back Sunday (25 October 2026) as four real hours", () => {
      const start = local("2026-10-25T01:00");
      const end = local("2026-10-25T04:00");
      expect(end.diff(start, "hours").hours).toBe(4);
      expect(checkBooking(space(), start, end, now)).toBeNull();
      // The repeated hour 02:00–03:00 happens twice; both occurrences are bookable instants.
      const firstTwo = DateTime.fromISO("2026-10-25T00:00:00Z");
      const secondTwo = DateTime.fromISO("2026-10-25T01:00:00Z");
      expect(firstTwo.setZone(AMS).hour).toBe(2);
      expect(secondTwo.setZone(AMS).hour).toBe(2);
      expect(checkBooking(space(), firstTwo, secondTwo.plus({ hours: 1 }), now)).toBeNull();
    });

    it("keeps opening hours on local wall-clock time on both sides of the change", () => {
      const s = space({ openingHours: week(office) });
      // 08:00 local is 07:00Z in winter and 06:00Z in summer.
      expect(
        withinOpeningHours(
          DateTime.fromISO("2026-03-27T07:00:00Z"),
          DateTime.fromISO("2026-03-27T08:00:00Z"),
          s,
        ),
      ).toBe(true);
      expect(
        withinOpeningHours(
          DateTime.fromISO("2026-03-30T06:00:00Z"),
          DateTime.fromISO("2026-03-30T07:00:00Z"),
          s,
        ),
      ).toBe(true);
      expect(
        withinOpeningHours(
          DateTime.fromISO("2026-03-30T05:00:00Z"),
          DateTime.fromISO("2026-03-30T06:00:00Z"),
          s,
        ),
      ).toBe(false);
    });

    it("lets a night booking run through midnight when the hours touch", () => {
      expect(
        withinOpeningHours(local("2026-03-28T22:00"), local("2026-03-29T04:00"), space()),
      ).toBe(true);
    });
  });

  it("evaluates opening hours in the space's own time zone", () => {
    const newYork = space({ timeZone: "America/New_York", openingHours: week(office) });
    // 09:00 in New York is 15:00 in Amsterdam (winter).
    expect(withinOpeningHours(local("2026-01-06T15:00"), local("2026-01-06T16:00"), newYork)).toBe(
      true,
    );
    expect(withinOpeningHours(local("2026-01-06T09:00"), local("2026-01-06T10:00"), newYork)).toBe(
      false,
    );
  });
});

describe("slot claims", () => {
  it("give overlapping intervals a common key and adjacent ones none", () => {
    const a = claimKeys("s1", local("2026-01-06T09:00"), local("2026-01-06T10:00"));
    const b = claimKeys("s1", local("2026-01-06T09:45"), local("2026-01-06T11:00"));
    const c = claimKeys("s1", local("2026-01-06T10:00"), local("2026-01-06T11:00"));
    expect(a).toHaveLength(4);
    expect(a.filter(key => b.includes(key))).toHaveLength(1);
    expect(a.filter(key => c.includes(key))).toHaveLength(0);
  });

  it("cover the repeated hour on the fall-back day with distinct keys", () => {
    const keys = claimKeys("s1", local("2026-10-25T01:00"), local("2026-10-25T04:00"));
    expect(keys).toHaveLength(16);
    expect(new Set(keys).size).toBe(16);
  });
});
