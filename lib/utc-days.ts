/**
 * The UTC days a reservation touches, stored with it (`days`) so a window within one day can be
 * asked for by equality. FerretDB 1.24 hands a filter to PostgreSQL only for equality on scalar
 * fields (an array field matches when it holds the value); `$in` and ranges it evaluates itself,
 * after fetching every document of the collection (docs/ARCHITECTURE.md, "Cost").
 *
 * UTC has no offset to look up and every UTC day is 24 hours long, so a day is the instant's
 * milliseconds divided by DAY_MS. These run on every availability read and every write, where
 * luxon's `startOf`, `plus` and `toISODate` per day were an eighth of an embedded availability
 * read's time.
 */
import type { DateTime } from "luxon";
import { DAY_MS } from "./zone-offsets";

/** The UTC date (`yyyy-MM-dd`) of the day with this number since 1970-01-01. */
function utcDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC dates that [fromMs, toMs) touches; the day of `fromMs` when the range is empty. */
function utcDaysBetween(fromMs: number, toMs: number): string[] {
  const first = Math.floor(fromMs / DAY_MS);
  // The end is exclusive: a range ending at midnight does not touch the next day.
  const last = Math.max(first, Math.floor((toMs - 1) / DAY_MS));
  const days: string[] = [];
  for (let day = first; day <= last; day++) days.push(utcDate(day));
  return days;
}

/** The UTC dates (`yyyy-MM-dd`) that [start, end) touches, from the stored ISO instants. */
export function utcDaysOf(start: string, end: string): string[] {
  return utcDaysBetween(Date.parse(start), Date.parse(end));
}

/** The UTC dates that the window [from, to) touches. */
export function windowUtcDays(from: DateTime, to: DateTime): string[] {
  return utcDaysBetween(from.toMillis(), to.toMillis());
}

/** The one UTC day the window [from, to) lies within, or null when it spans more than one. */
export function singleUtcDay(from: DateTime, to: DateTime): string | null {
  const days = utcDaysBetween(from.toMillis(), to.toMillis());
  return days.length === 1 ? days[0] : null;
}

/** The UTC months (`yyyy-MM`) of some UTC dates (`yyyy-MM-dd`), in order, each once. */
export function utcMonthsOf(utcDays: string[]): string[] {
  return [...new Set(utcDays.map(day => day.slice(0, 7)))];
}
