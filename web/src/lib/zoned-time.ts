/**
 * Wall-clock times in a space's own time zone. A user types "09:00" on a date for a space in
 * Amsterdam; the API gets an instant with its offset ("2027-03-29T09:00:00+02:00"), so it means
 * the same whatever the browser's zone is. Shown times go through src/i18n/format.ts.
 */

/** The organisation's zone, for a search that is not about one space yet. */
export const DEFAULT_TIME_ZONE = "Europe/Amsterdam";

const parts = (date: Date, timeZone: string) => {
  const values: Record<string, number> = {};
  for (const part of new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return values;
};

/** Minutes the zone is ahead of UTC at that instant (Amsterdam in summer: 120). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2027-03-29" + "09:00" in the zone → "2027-03-29T09:00:00+02:00". */
export function zonedIso(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let offset = offsetMinutes(new Date(wall), timeZone);
  offset = offsetMinutes(new Date(wall - offset * 60_000), timeZone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${date}T${pad(hh)}:${pad(mm)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The date ("2027-03-29") and time ("09:00") an instant shows in the zone, for the inputs. */
export function wallClock(
  instant: Date | string,
  timeZone: string,
): { date: string; time: string } {
  const p = parts(typeof instant === "string" ? new Date(instant) : instant, timeZone);
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
  };
}

/** Adds minutes to a wall-clock time, carrying into the next day ("23:30" + 60 → next day 00:30). */
export function addMinutes(date: string, time: string, minutes: number) {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const at = new Date(Date.UTC(y, m - 1, d, hh, mm + minutes));
  return {
    date: `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`,
    time: `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`,
  };
}

/** Today, the next quarter hour and an hour later, in the zone: the defaults of a search. */
export function nextQuarterHour(timeZone: string, now = new Date()) {
  const here = wallClock(now, timeZone);
  const [hh, mm] = here.time.split(":").map(Number);
  const minutes = hh * 60 + mm;
  const start = addMinutes(here.date, "00:00", Math.ceil((minutes + 1) / 15) * 15);
  const end = addMinutes(start.date, start.time, 60);
  return { date: start.date, start: start.time, end: end.time, endDate: end.date };
}
