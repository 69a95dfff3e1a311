import type { OpeningHours, OpeningRange } from "../../lib/bookable-space";

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
