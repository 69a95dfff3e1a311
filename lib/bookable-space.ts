/**
 * What a space offers for booking, as every service that reasons about it sees it: its time
 * zone, opening hours and booking rules, and the wall-clock arithmetic on opening hours.
 * Opening hours are wall-clock times in the space's own time zone, evaluated with luxon, so a
 * daylight-saving change neither shifts nor loses an hour.
 */
import { DateTime, Interval } from "luxon";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A wall-clock range on one local day, "HH:mm" to "HH:mm"; "24:00" is the end of the day. */
export interface OpeningRange {
  from: string;
  to: string;
}

export type OpeningHours = Record<Weekday, OpeningRange[]>;

export interface BookingRules {
  minMinutes: number;
  maxMinutes: number;
  /** How many days ahead one may book. */
  horizonDays: number;
  /** Bookings start and end on multiples of this many minutes after local midnight. */
  slotMinutes: number;
}

export interface BookableSpace {
  timeZone: string;
  openingHours: OpeningHours;
  rules: BookingRules;
  active: boolean;
}

function minutesOfDay(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

/**
 * The opening ranges of one local calendar day as UTC intervals. A wall-clock time that does not
 * exist (02:30 on the spring-forward day) moves forward with luxon, as a clock on the wall does.
 */
export function openIntervalsOn(
  day: DateTime,
  space: Pick<BookableSpace, "openingHours" | "timeZone">,
): Interval[] {
  const local = day.setZone(space.timeZone).startOf("day");
  const weekday = WEEKDAYS[local.weekday - 1];
  return space.openingHours[weekday]
    .map(range => {
      const start = wallClock(local, minutesOfDay(range.from));
      const end = wallClock(local, minutesOfDay(range.to));
      return Interval.fromDateTimes(start.toUTC(), end.toUTC());
    })
    .filter(interval => interval.isValid && !interval.isEmpty());
}

/** The instant at `minutes` wall-clock minutes after midnight of the local day (1440 = next midnight). */
function wallClock(localDay: DateTime, minutes: number): DateTime {
  if (minutes >= 24 * 60) return localDay.plus({ days: 1 }).startOf("day");
  return localDay.set({
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
    second: 0,
    millisecond: 0,
  });
}

/** Whether [start, end) lies inside the opening hours, possibly across several adjoining ranges. */
export function withinOpeningHours(
  start: DateTime,
  end: DateTime,
  space: Pick<BookableSpace, "openingHours" | "timeZone">,
): boolean {
  const wanted = Interval.fromDateTimes(start, end);
  const firstDay = start.setZone(space.timeZone).startOf("day").minus({ days: 1 });
  const lastDay = end.setZone(space.timeZone).startOf("day");
  const open: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 }))
    open.push(...openIntervalsOn(day, space));
  // Ranges that touch (Mon 08:00–24:00 and Tue 00:00–08:00) merge into one.
  return Interval.merge(open).some(range => range.engulfs(wanted));
}

/** The open hours of a space that fall in [from, to), merged into the fewest intervals. */
export function openIntervals(
  space: Pick<BookableSpace, "openingHours" | "timeZone">,
  from: DateTime,
  to: DateTime,
): Interval[] {
  const window = Interval.fromDateTimes(from, to);
  // Start a day early: a range of the day before can run past midnight into the window.
  const firstDay = from.setZone(space.timeZone).startOf("day").minus({ days: 1 });
  const lastDay = to.setZone(space.timeZone).startOf("day");
  const open: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    open.push(...openIntervalsOn(day, space));
  }
  return Interval.merge(open)
    .map(range => range.intersection(window))
    .filter((range): range is Interval => range !== null && !range.isEmpty());
}
