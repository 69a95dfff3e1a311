/**
 * The store query for the reservations of some spaces overlapping a window (availability, "free
 * during"), shaped for the store that answers it. Each store serves a query from one index that
 * it picks by the query's shape, so the shape decides how much is read:
 *
 * - NeDB (embedded) picks the last indexed field asked by plain equality, else by `$in`, else by
 *   range (its `_getRawCandidates`), and then matches every document that index gives. Asked for
 *   `spaceDays: { $in }` (lib/space-days.ts) and nothing else it indexes, it reads only the
 *   reservations of those spaces on the window's UTC days.
 * - MongoDB serves `spaceId` plus the `start` range from the compound (spaceId, start) index.
 *   FerretDB 1.24 hands only top-level scalar equality to PostgreSQL and evaluates `$in` itself
 *   after fetching what that leaves, so `spaceDays: { $in }` would fetch the whole collection
 *   there. A window of several spaces is asked for by (site group, UTC day) instead (`siteDays`,
 *   `windowQueries`): one query per key, each one equality that PostgreSQL serves from an index,
 *   so a free-space search of one site reads that site's reservations of the day. Spaces of more
 *   groups than that covers (a search of every site) within one UTC day ask for that day (`days`).
 *   One space (availability) is asked for by (space, UTC month) (`spaceMonths`), so it reads the
 *   space's reservations of the window's months, not every one the space ever had.
 */
import type { DateTime } from "luxon";
import { overlappingWindow } from "../../lib/time-window";
import { siteDayKey, spaceDayKeys, spaceMonthKey } from "../../lib/space-days";
import { singleUtcDay, windowUtcDays, utcMonthsOf } from "../../lib/utc-days";

/**
 * The most keys one embedded window query asks for. Each is one index lookup, and NeDB matches
 * each document found against the whole `$in` list, so a query's cost grows with the keys:
 * 1,000 covers availability (at most 63 days of one space), "free during" one or two days of the
 * most spaces a search ranks (500), a week of 125 spaces. A larger window (a month of a whole
 * site) asks as before: by `spaceId`, every reservation those spaces ever had.
 */
export const MAX_SPACE_DAY_KEYS = 1_000;

/**
 * The most (site group, UTC day) queries one window read on MongoDB makes, one round trip each:
 * a search of one site within one day makes one; a site that spaces moved onto, or a window over
 * midnight UTC, two to four. More (a search of every site) ask as `windowQuery` does.
 */
export const MAX_SITE_DAY_QUERIES = 4;

export interface WindowReads {
  /** Which store answers: the embedded NeDB or a MongoDB (FerretDB) server. */
  store: "embedded" | "mongo";
  /**
   * Every record carries the day keys this store reads (`days` and `siteDays` on MongoDB,
   * `spaceDays` on NeDB; day-buckets.ts). Until then a query asking for one would miss the
   * records still without it.
   */
  dayKeysStored: boolean;
}

/** The query for reservations of `spaceIds` (at least one) overlapping [from, to); status aside. */
export function windowQuery(
  reads: WindowReads,
  spaceIds: string[],
  from: DateTime,
  to: DateTime,
): Record<string, unknown> {
  const window = overlappingWindow(from, to);
  if (reads.store === "embedded" && reads.dayKeysStored) {
    // The window's days once per request: both the bound and the keys need them.
    const days = windowUtcDays(from, to);
    if (spaceIds.length * days.length <= MAX_SPACE_DAY_KEYS) {
      // No `spaceId`: the key names the space, and an equality on it would be served first.
      return { spaceDays: { $in: spaceDayKeys(spaceIds, days) }, ...window };
    }
  }
  const day = reads.dayKeysStored && spaceIds.length > 1 ? singleUtcDay(from, to) : null;
  return {
    ...(day ? { days: day } : {}),
    spaceId: spaceIds.length === 1 ? spaceIds[0] : { $in: spaceIds },
    ...window,
  };
}

/** A space a window read asks about: its id and, from spaces, the site group it is keyed by. */
export interface WindowSpace {
  id: string;
  siteGroup?: string;
}

/**
 * The queries that together find the reservations of `spaces` (at least one) overlapping
 * [from, to), status aside; a reservation may be found by more than one (it spans two UTC days).
 * On MongoDB, one space is asked for by `spaceMonths`, and several spaces whose groups and days
 * make few keys by `siteDays`, one query per key, each of the latter narrowed to the spaces of
 * that group; anything else is one query.
 */
export function windowQueries(
  reads: WindowReads,
  spaces: WindowSpace[],
  from: DateTime,
  to: DateTime,
): Record<string, unknown>[] {
  const ids = spaces.map(space => space.id);
  if (reads.store !== "mongo" || !reads.dayKeysStored) return [windowQuery(reads, ids, from, to)];
  if (spaces.length === 1) {
    // One space (availability): the months of its window, one query each (at most four).
    const months = utcMonthsOf(windowUtcDays(from, to));
    if (months.length > MAX_SITE_DAY_QUERIES) return [windowQuery(reads, ids, from, to)];
    const window = overlappingWindow(from, to);
    return months.map(month => ({ spaceMonths: spaceMonthKey(ids[0], month), ...window }));
  }
  const byGroup = new Map<string, string[]>();
  for (const { id, siteGroup } of spaces) {
    // A space named without its group cannot be asked for by it.
    if (siteGroup === undefined) return [windowQuery(reads, ids, from, to)];
    const group = byGroup.get(siteGroup);
    if (group) group.push(id);
    else byGroup.set(siteGroup, [id]);
  }
  const days = windowUtcDays(from, to);
  if (byGroup.size * days.length > MAX_SITE_DAY_QUERIES) return [windowQuery(reads, ids, from, to)];
  const window = overlappingWindow(from, to);
  return [...byGroup].flatMap(([group, groupIds]) =>
    days.map(day => ({
      siteDays: siteDayKey(group, day),
      // Evaluated by FerretDB on what the key fetched: the site's other spaces are not asked about.
      spaceId: groupIds.length === 1 ? groupIds[0] : { $in: groupIds },
      ...window,
    })),
  );
}
