import type { BookableSpace, OpeningHours, OpeningRange } from "../../lib/bookable-space";

/** Opening hours with the same ranges every weekday, and others (by default the same) at weekends. */
export const week = (ranges: OpeningRange[], weekend = ranges): OpeningHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: weekend,
  sun: weekend,
});

/** Opening hours for the spaces tests make: the same ranges every day of the week. */
export function everyDay(ranges: { from: string; to: string }[]) {
  return Object.fromEntries(
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(day => [day, ranges]),
  );
}

/** Open around the clock, so any time of a test's chosen day is bookable. */
export const ALWAYS_OPEN = everyDay([{ from: "00:00", to: "24:00" }]);

export const AMS = "Europe/Amsterdam";
export const allDay = [{ from: "00:00", to: "24:00" }];
export const office = [{ from: "08:00", to: "18:00" }];

/**
 * A space in Amsterdam for the pure rule specs: active, 15 minutes to 8 hours on a 15-minute
 * grid, bookable `horizonDays` ahead, with `openingHours`; `overrides` change any of it.
 */
export function bookableSpace(
  openingHours: OpeningHours,
  horizonDays: number,
  overrides: Partial<BookableSpace> = {},
): BookableSpace {
  return {
    timeZone: AMS,
    openingHours,
    rules: { minMinutes: 15, maxMinutes: 8 * 60, horizonDays, slotMinutes: 15 },
    active: true,
    ...overrides,
  };
}
