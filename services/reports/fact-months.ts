/**
 * The UTC days and months each reservation fact touches (`days`, `yyyy-MM-dd`; `months`,
 * `yyyy-MM`), so a report on MongoDB asks for its window month by month (and its edges day by
 * day), by equality: FerretDB 1.24 hands only equality to PostgreSQL, and asked for the window's
 * range alone it fetched every fact ever recorded for every report. NeDB serves the range from
 * its `start` index and is asked for neither. Facts recorded before the fields existed get them
 * when an instance starts (`backfillMonths`); until that pass finds none left, the instance asks
 * by the range alone, and misses nothing.
 */
import type { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { findMany, forEachRecord } from "../../lib/store";
import { overlappingWindow } from "../../lib/time-window";
import { utcDaysOf, utcMonthsOf, windowUtcDays } from "../../lib/utc-days";
import type { ReservationFact } from "./utilization";

const BATCH = 500;

/**
 * A month of which the window covers at most this many UTC days is asked for by those days, not
 * by the month: a report of a local month starts an hour or two before its first UTC day, and
 * asked by month that hour would read the whole month before.
 */
export const EDGE_DAYS = 7;

/** The keys of a fact over [start, end) (stored ISO instants): its UTC days and months. */
export function factKeys(start: string, end: string): { days: string[]; months: string[] } {
  const days = utcDaysOf(start, end);
  return { days, months: utcMonthsOf(days) };
}

/**
 * The queries that together find the facts overlapping [from, to); a fact over two days may be
 * found by two. On MongoDB once every fact has its keys: one per UTC month of the window, or per
 * UTC day where the window covers few days of a month (a fact overlapping the window touches a
 * day and a month of it: the overlap lies within both). Otherwise the range alone.
 */
export function factQueries(
  reads: { store: "embedded" | "mongo"; monthsStored: boolean },
  from: DateTime,
  to: DateTime,
): Record<string, unknown>[] {
  const window = overlappingWindow(from, to);
  if (reads.store === "embedded" || !reads.monthsStored) return [window];
  const days = windowUtcDays(from, to);
  return utcMonthsOf(days).flatMap((month): Record<string, unknown>[] => {
    const inMonth = days.filter(day => day.startsWith(month));
    return inMonth.length <= EDGE_DAYS
      ? inMonth.map(day => ({ days: day, ...window }))
      : [{ months: month, ...window }];
  });
}

/** What a report reads of a fact: what it sums, and the keys that say which query found it. */
const REPORT_FIELDS = ["spaceId", "start", "end", "status", "days", "months"] as const;

/**
 * Facts per cursor batch. Each further batch is a `getMore` round trip, which FerretDB 1.24 made
 * cost about 25 ms here: a month (17,000 facts at 2,000 spaces) read 1,000 at a time took a fifth
 * longer than all at once, 5,000 at a time 6 % (`bench/report-memory.ts`). A batch of 5,000 is
 * about 5 MB of heap.
 */
const REPORT_BATCH = 5_000;

type ReportedFact = Pick<ReservationFact, "_id" | "spaceId" | "start" | "end" | "status"> & {
  days?: string[];
  months?: string[];
};

/** Whether `query` (one of `factQueries`') finds `fact`, by its key: all share the window. */
function findsByKey(query: Record<string, unknown>, fact: ReportedFact): boolean {
  if (typeof query.days === "string") return fact.days?.includes(query.days) === true;
  if (typeof query.months === "string") return fact.months?.includes(query.months) === true;
  return true;
}

/**
 * Calls `visit` once with each fact overlapping [from, to), asked as `factQueries` says, as the
 * store hands them over (`forEachRecord`: a batch at a time on MongoDB). A fact that several of
 * the queries find (one over two UTC days or months) is visited from the first of them only,
 * judged by its keys, so nothing is kept to remember what was seen. One query after the other:
 * at once, a year's thirteen cursors could each hold a batch.
 */
export async function forEachFactIn(
  facts: DbAdapter,
  reads: { store: "embedded" | "mongo"; monthsStored: boolean },
  from: DateTime,
  to: DateTime,
  visit: (fact: ReportedFact) => void,
): Promise<void> {
  const queries = factQueries(reads, from, to);
  for (const [index, query] of queries.entries()) {
    const earlier = queries.slice(0, index);
    await forEachRecord<ReportedFact>(
      facts,
      query,
      fact => {
        if (!earlier.some(other => findsByKey(other, fact))) visit(fact);
      },
      { fields: REPORT_FIELDS, batch: REPORT_BATCH },
    );
  }
}

/**
 * Gives the facts without `days` (the later key) their keys; returns how many it wrote, or null
 * when `stop` said to stop first. The write here is made only while the fact is as it was read,
 * so it never puts back keys of an older time.
 */
export async function backfillMonths(
  facts: DbAdapter,
  stop: () => boolean = () => false,
): Promise<number | null> {
  let written = 0;
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationFact>(facts, {
      query: { days: { $exists: false } },
      limit: BATCH,
    });
    if (batch.length === 0) return written;
    for (const fact of batch) {
      // Only the fact as read: an event recorded meanwhile (by an older instance too, which
      // writes no keys) changed its times or `updatedAt`, and the next batch reads it again.
      const { _id, start, end, updatedAt } = fact;
      written += await facts.updateMany(
        { _id, start, end, updatedAt, days: { $exists: false } },
        { $set: factKeys(start, end) },
      );
    }
  }
}
