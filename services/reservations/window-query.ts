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
 *   after fetching what that leaves, so a window of several spaces within one UTC day also asks
 *   for that day (`days`), and `spaceDays: { $in }` would fetch the whole collection there.
 */
import type { DateTime } from "luxon";
import { overlappingWindow } from "../../lib/time-window";
import { spaceDayKeys } from "../../lib/space-days";
import { singleUtcDay, windowUtcDays } from "../../lib/utc-days";

/**
 * The most keys one embedded window query asks for. Each is one index lookup, and NeDB matches
 * each document found against the whole `$in` list, so a query's cost grows with the keys:
 * 1,000 covers availability (at most 63 days of one space), "free during" one or two days of the
 * most spaces a search ranks (500), a week of 125 spaces. A larger window (a month of a whole
 * site) asks as before: by `spaceId`, every reservation those spaces ever had.
 */
export const MAX_SPACE_DAY_KEYS = 1_000;

export interface WindowReads {
  /** Which store answers: the embedded NeDB or a MongoDB (FerretDB) server. */
  store: "embedded" | "mongo";
  /**
   * Every record carries its `days` and `spaceDays` (day-buckets.ts). Until then a query asking
   * for either would miss the records still without them.
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
