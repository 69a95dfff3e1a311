/**
 * Wall-clock times in a space's own time zone. A user types "09:00" on a date for a space in
 * Amsterdam; the API gets an instant with its offset ("2027-03-29T09:00:00+02:00"), so it means
 * the same whatever the browser's zone is. Shown times go through src/i18n/format.ts.
 */

import { DateTime } from "luxon";

/** The organisation's zone, for a search that is not about one space yet. */
export const DEFAULT_TIME_ZONE = "Europe/Amsterdam";

/** Minutes the zone is ahead of UTC at that instant (Amsterdam in summer: 120). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return DateTime.fromJSDate(instant, { zone: timeZone }).offset;
}

/** "2027-03-29" + "09:00" in the zone → "2027-03-29T09:00:00+02:00". */
export function zonedIso(date: string, time: string, timeZone: string): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toISO({
    suppressMilliseconds: true,
  })!;
}

/** The date ("2027-03-29") and time ("09:00") an instant shows in the zone, for the inputs. */
export function wallClock(
  instant: Date | string,
  timeZone: string,
): { date: string; time: string } {
  const at = typeof instant === "string" ? DateTime.fromISO(instant) : DateTime.fromJSDate(instant);
  const here = at.setZone(timeZone);
  return { date: here.toISODate()!, time: here.toFormat("HH:mm") };
}

/** Adds minutes to a wall-clock time, carrying into the next day ("23:30" + 60 → next day 00:30). */
export function addMinutes(date: string, time: string, minutes: number) {
  // Wall-clock arithmetic: no zone, so a DST night neither adds nor loses an hour here.
  const at = DateTime.fromISO(`${date}T${time}`, { zone: "utc" }).plus({ minutes });
  return { date: at.toISODate()!, time: at.toFormat("HH:mm") };
}

/**
 * Today, the next quarter hour and an hour later, in the zone: the defaults of a search. Late in
 * the evening, when that hour would run past midnight, it is tomorrow at 09:00 instead.
 */
export function nextQuarterHour(timeZone: string, now = new Date()) {
  const here = wallClock(now, timeZone);
  const [hh, mm] = here.time.split(":").map(Number);
  const minutes = hh * 60 + mm;
  let start = addMinutes(here.date, "00:00", Math.ceil((minutes + 1) / 15) * 15);
  let end = addMinutes(start.date, start.time, 60);
  if (end.date !== start.date) {
    start = addMinutes(addMinutes(here.date, "00:00", 24 * 60).date, "09:00", 0);
    end = addMinutes(start.date, start.time, 60);
  }
  return { date: start.date, start: start.time, end: end.time, endDate: end.date };
}
