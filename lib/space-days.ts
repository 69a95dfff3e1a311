/**
 * The (space, UTC day) keys of a reservation, stored with it (`spaceDays`) so that the embedded
 * store (NeDB), which indexes one field per index and serves a query from one index, can find the
 * reservations of some spaces on some days with one lookup per key: `spaceDays: { $in }` reads
 * exactly those, not every reservation of the day on every site (`days`) nor every reservation the
 * spaces ever had (`spaceId`). The window reads that ask for them: services/reservations/
 * window-query.ts.
 */
import type { DateTime } from "luxon";
import { utcDaysOf, windowUtcDays } from "./utc-days";

/** The key of one space on one UTC date (`yyyy-MM-dd`). */
export function spaceDayKey(spaceId: string, utcDay: string): string {
  return `${spaceId}|${utcDay}`;
}

/** The keys a reservation of `spaceId` over [start, end) (stored ISO instants) touches. */
export function spaceDaysOf(spaceId: string, start: string, end: string): string[] {
  return utcDaysOf(start, end).map(day => spaceDayKey(spaceId, day));
}

/** The keys of each of `spaceIds` on each of `utcDays`: space by space, days in order. */
export function spaceDayKeys(spaceIds: string[], utcDays: string[]): string[] {
  return spaceIds.flatMap(spaceId => utcDays.map(day => spaceDayKey(spaceId, day)));
}

/**
 * The keys a reservation overlapping [from, to) of one of `spaceIds` holds at least one of: the
 * overlap lies within the window and within the reservation, so a UTC day of the overlap is a
 * day of both. Space by space, days in order.
 */
export function windowSpaceDays(spaceIds: string[], from: DateTime, to: DateTime): string[] {
  return spaceDayKeys(spaceIds, windowUtcDays(from, to));
}

/** How many keys `windowSpaceDays` gives, without making them. */
export function windowSpaceDayCount(spaceCount: number, from: DateTime, to: DateTime): number {
  return spaceCount * windowUtcDays(from, to).length;
}
