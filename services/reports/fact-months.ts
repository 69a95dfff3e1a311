/**
 * The UTC months each reservation fact touches (`months`, `yyyy-MM`), so a report on MongoDB asks
 * for its window month by month, by equality: FerretDB 1.24 hands only equality to PostgreSQL,
 * and asked for the window's range alone it fetched every fact ever recorded for every report.
 * NeDB serves the range from its `start` index and is never asked for `months`. Facts recorded
 * before the field existed get it when an instance starts (`backfillMonths`); until that pass
 * finds none left, the instance asks by the range alone, and misses nothing.
 */
import { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { findMany } from "../../lib/store";
import { overlappingWindow } from "../../lib/time-window";
import type { ReservationFact } from "./utilization";

const BATCH = 500;

/** The UTC months (`yyyy-MM`) that [from, to) touches; the month of `from` when it is empty. */
function utcMonthsBetween(from: DateTime, to: DateTime): string[] {
  const months: string[] = [];
  let month = from.toUTC().startOf("month");
  do {
    months.push(month.toFormat("yyyy-MM"));
    month = month.plus({ months: 1 });
  } while (month < to);
  return months;
}

/** The UTC months a fact over [start, end) (stored ISO instants) touches. */
export function factMonths(start: string, end: string): string[] {
  return utcMonthsBetween(
    DateTime.fromISO(start, { zone: "utc" }),
    DateTime.fromISO(end, { zone: "utc" }),
  );
}

/**
 * The queries that together find the facts overlapping [from, to); a fact over two months may be
 * found by two. On MongoDB once every fact has its months: one per UTC month of the window (a
 * fact overlapping the window touches a month of it: the overlap lies within both). Otherwise
 * the range alone.
 */
export function factQueries(
  reads: { store: "embedded" | "mongo"; monthsStored: boolean },
  from: DateTime,
  to: DateTime,
): Record<string, unknown>[] {
  const window = overlappingWindow(from, to);
  if (reads.store === "embedded" || !reads.monthsStored) return [window];
  return utcMonthsBetween(from, to).map(month => ({ months: month, ...window }));
}

/** The facts overlapping [from, to), each once, asked as `factQueries` says. */
export async function factsIn(
  facts: DbAdapter,
  reads: { store: "embedded" | "mongo"; monthsStored: boolean },
  from: DateTime,
  to: DateTime,
): Promise<ReservationFact[]> {
  const found = await Promise.all(
    factQueries(reads, from, to).map(query => findMany<ReservationFact>(facts, { query })),
  );
  if (found.length === 1) return found[0];
  return [...new Map(found.flat().map(fact => [fact._id, fact])).values()];
}

/**
 * Gives the facts without `months` theirs; returns how many it wrote, or null when `stop` said to
 * stop first. An event recorded meanwhile writes the fact with its months, so the write here is
 * made only while the fact still has none: it never puts back months of an older time.
 */
export async function backfillMonths(
  facts: DbAdapter,
  stop: () => boolean = () => false,
): Promise<number | null> {
  let written = 0;
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationFact>(facts, {
      query: { months: { $exists: false } },
      limit: BATCH,
    });
    if (batch.length === 0) return written;
    for (const fact of batch) {
      written += await facts.updateMany(
        { _id: fact._id, months: { $exists: false } },
        { $set: { months: factMonths(fact.start, fact.end) } },
      );
    }
  }
}
