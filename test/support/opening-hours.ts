/** Opening hours for the spaces tests make: the same ranges every day of the week. */
export function everyDay(ranges: { from: string; to: string }[]) {
  return Object.fromEntries(
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(day => [day, ranges]),
  );
}

/** Open around the clock, so any time of a test's chosen day is bookable. */
export const ALWAYS_OPEN = everyDay([{ from: "00:00", to: "24:00" }]);
