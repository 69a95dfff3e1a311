/**
 * The `from`–`to` windows clients ask about (availability, "free during", reports), read and
 * bounded once, and the query that finds the reservations overlapping one.
 */
import type { DateTime } from "luxon";
import { ErrorType, fail } from "./errors";
import { parseInstant, toStored } from "./time";
import { DAY_MS } from "./zone-offsets";

/**
 * The longest a reservation can be: the most a space's rules allow (`rules.maxMinutes`,
 * services/spaces/space-record.ts). Window queries rely on it to use the start index.
 */
export const MAX_RESERVATION_DAYS = 7;

/** Reads `from` and `to` (wall-clock time in `zone` when they have no offset), at most `maxDays` apart. */
export function readWindow(
  params: { from: string; to: string },
  zone: string,
  maxDays: number,
): { from: DateTime; to: DateTime } {
  const from = parseInstant(params.from, "from", zone);
  const to = parseInstant(params.to, "to", zone);
  if (to <= from) fail(ErrorType.INVALID_WINDOW);
  // Both are UTC, where a day is always 24 hours: no need for luxon's calendar arithmetic.
  if (to.toMillis() - from.toMillis() > maxDays * DAY_MS) {
    fail(ErrorType.WINDOW_TOO_LARGE, { maxDays });
  }
  return { from, to };
}

/**
 * The store query (on `start` and `end`) for records of reservations that overlap [from, to).
 * Bounded below by the longest possible reservation, so an index on `start` limits the scan to
 * reservations near the window, not every one ever made.
 */
export function overlappingWindow(from: DateTime, to: DateTime) {
  return {
    start: { $gte: toStored(from.minus({ days: MAX_RESERVATION_DAYS })), $lt: toStored(to) },
    end: { $gt: toStored(from) },
  };
}
