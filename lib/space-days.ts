/**
 * The (space, UTC day) keys of a reservation, stored with it (`spaceDays`) so that the embedded
 * store (NeDB), which indexes one field per index and serves a query from one index, can find the
 * reservations of some spaces on some days with one lookup per key: `spaceDays: { $in }` reads
 * exactly those, not every reservation of the day on every site (`days`) nor every reservation the
 * spaces ever had (`spaceId`). The window reads that ask for them: services/reservations/
 * window-query.ts.
 */
import { utcDaysOf } from "./utc-days";

/** The key of one space on one UTC date (`yyyy-MM-dd`). */
export function spaceDayKey(spaceId: string, utcDay: string): string {
  return `${spaceId}|${utcDay}`;
}

/** The keys a reservation of `spaceId` over [start, end) (stored ISO instants) touches. */
export function spaceDaysOf(spaceId: string, start: string, end: string): string[] {
  return spaceDayKeys([spaceId], utcDaysOf(start, end));
}

/**
 * The keys of each of `spaceIds` on each of `utcDays`: space by space, days in order. Given a
 * window's UTC days (`windowUtcDays`), a reservation of one of the spaces that overlaps the window
 * holds at least one of them: the overlap lies within both, so a UTC day of it is a day of both.
 */
export function spaceDayKeys(spaceIds: string[], utcDays: string[]): string[] {
  return spaceIds.flatMap(spaceId => utcDays.map(day => spaceDayKey(spaceId, day)));
}

/**
 * The key of a group of spaces (the site they were first on) on one UTC date: a reservation's
 * `siteDays`, so a search of one site within one day asks for one value by equality, which a
 * store that pushes down only equality (FerretDB) can serve from an index. The day comes last
 * and has a fixed form, so a site name holding "|" cannot make two keys alike.
 */
export function siteDayKey(siteGroup: string, utcDay: string): string {
  return `${siteGroup}|${utcDay}`;
}

/**
 * The key of one space in one UTC month (`yyyy-MM`): a reservation's `spaceMonths`, so the
 * availability of one space on MongoDB asks for the months of its window by equality (at most
 * four for the longest window, 62 days), which FerretDB hands to PostgreSQL, rather than for
 * every reservation the space ever had.
 */
export function spaceMonthKey(spaceId: string, utcMonth: string): string {
  return `${spaceId}|${utcMonth}`;
}
