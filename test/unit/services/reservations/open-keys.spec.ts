import { DateTime } from "luxon";
import {
  CLOSE_AFTER_MS,
  FIRST_CLOSE_DAYS,
  OPEN_READ_MARGIN_MS,
  daysToClose,
  openScope,
} from "../../../../services/reservations/open-keys";

const now = DateTime.fromISO("2026-12-10T08:00:00Z", { zone: "utc" });
const ready = { stored: true, now };

describe("openScope (services/reservations/open-keys.ts)", () => {
  it("asks by key only from moments whose reservations were never closed, with room for clocks", () => {
    // A list by key from `from` wants what ended after it; closing takes what ended over
    // CLOSE_AFTER_MS ago. Half of it leaves 12 hours for instances whose clocks differ.
    expect(OPEN_READ_MARGIN_MS).toBeLessThanOrEqual(CLOSE_AFTER_MS / 2);
    expect(CLOSE_AFTER_MS).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it("asks as before for an erased owner's reservations: nobody's carry an owner's key", () => {
    expect(openScope({ ownerId: "erased" }, now, ready)).toEqual({ ownerId: "erased" });
  });

  it("asks by the owner's or the space's open key for a list from about now", () => {
    expect(openScope({ ownerId: "ann" }, now, ready)).toEqual({ openOwner: "ann" });
    expect(openScope({ spaceId: "room" }, now, ready)).toEqual({ openSpace: "room" });
    // Both: the owner's key, which is the last field, so NeDB serves it; the space is checked.
    const both = openScope({ ownerId: "ann", spaceId: "room" }, now, ready);
    expect(both).toEqual({ spaceId: "room", openOwner: "ann" });
    expect(Object.keys(both).at(-1)).toBe("openOwner");
    const justInside = now.minus(OPEN_READ_MARGIN_MS);
    expect(openScope({ ownerId: "ann" }, justInside, ready)).toEqual({ openOwner: "ann" });
  });

  it("asks as before from further back, with no `from`, or before every record has keys", () => {
    const scope = { ownerId: "ann", spaceId: "room" };
    expect(openScope(scope, now.minus(OPEN_READ_MARGIN_MS + 1), ready)).toEqual(scope);
    expect(openScope(scope, undefined, ready)).toEqual(scope);
    expect(openScope(scope, now, { stored: false, now })).toEqual(scope);
    // A list of everyone's (a manager's, no owner or space) has no key to ask by.
    expect(openScope({}, now, ready)).toEqual({});
  });
});

describe("daysToClose", () => {
  it("looks FIRST_CLOSE_DAYS back the first time, then from the day it stopped at", () => {
    const first = daysToClose(undefined, now);
    expect(first.days).toHaveLength(FIRST_CLOSE_DAYS);
    expect(first.days.at(0)).toBe("2026-11-09");
    // A day before now: the 9th, whose reservations that ended before 08:00 may be closed.
    expect(first.through).toBe("2026-12-09");
    expect(first.days.at(-1)).toBe("2026-12-09");
    expect(daysToClose(first.through, now.plus({ hours: 1 })).days).toEqual(["2026-12-09"]);
    expect(daysToClose(first.through, now.plus({ days: 1 })).days).toEqual([
      "2026-12-09",
      "2026-12-10",
    ]);
  });
});
