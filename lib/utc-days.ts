/**
 * The UTC days a reservation touches, stored with it (`days`) so a window within one day can be
 * asked for by equality. FerretDB 1.24 hands a filter to PostgreSQL only for equality on scalar
 * fields (an array field matches when it holds the value); `$in` and ranges it evaluates itself,
 * after fetching every document of the collection (docs/ARCHITECTURE.md, "Cost").
 */
import { DateTime } from "luxon";

/** The UTC dates (`yyyy-MM-dd`) that [start, end) touches, from the stored ISO instants. */
export function utcDaysOf(start: string, end: string): string[] {
  const first = DateTime.fromISO(start, { zone: "utc" }).startOf("day");
  // `end` is exclusive: a reservation ending at midnight does not touch the next day.
  const last = DateTime.fromISO(end, { zone: "utc" }).minus({ milliseconds: 1 });
  const days: string[] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) days.push(day.toISODate()!);
  return days.length > 0 ? days : [first.toISODate()!];
}

/** The one UTC date the window [from, to) lies within, or null when it spans more than one. */
export function singleUtcDay(from: DateTime, to: DateTime): string | null {
  const first = from.toUTC().toISODate();
  const last = to.toUTC().minus({ milliseconds: 1 }).toISODate();
  return first === last ? first : null;
}
