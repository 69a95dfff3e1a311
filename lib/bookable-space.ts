/**
 * What a space offers for booking, as every service that reasons about it sees it: its time
 * zone, opening hours and booking rules, and the wall-clock arithmetic on opening hours.
 * Opening hours are wall-clock times in the space's own time zone, so a daylight-saving change
 * neither shifts nor loses an hour. A day whose UTC offset stays the same around its opening
 * hours (nearly every day) is converted with that offset (lib/zone-offsets.ts); a day on which
 * it changes near them is left to luxon.
 */
import { DateTime, Interval } from "luxon";
import { clipRanges, mergeRanges, toInterval, type TimeRange } from "./time-ranges";
import {
  CHANGE_MARGIN_MS,
  constantOffset,
  DAY_MS,
  MINUTE_MS,
  offsetAt,
  wallClockMs,
  weekdayIndex,
} from "./zone-offsets";

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

type Schedule = Pick<BookableSpace, "openingHours" | "timeZone">;

function minutesOfDay(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

/**
 * The opening ranges of one local calendar day as UTC intervals. A wall-clock time that does not
 * exist (02:30 on the spring-forward day) moves forward with luxon, as a clock on the wall does.
 */
export function openIntervalsOn(day: DateTime, space: Schedule): Interval[] {
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

/**
 * What `openIntervalsOn` gives for the local day number `day` (days since 1970-01-01 in local
 * time), as millisecond ranges: by subtracting the one offset in force around the day's opening
 * and closing times, or through luxon when the offset changes near them.
 */
function openRangesOnDay(day: number, space: Schedule): TimeRange[] {
  const ranges = space.openingHours[WEEKDAYS[weekdayIndex(day)]];
  if (ranges.length === 0) return [];
  const midnight = day * DAY_MS;
  const bounds = ranges.map(range => ({
    from: midnight + Math.min(minutesOfDay(range.from), 24 * 60) * MINUTE_MS,
    to: midnight + Math.min(minutesOfDay(range.to), 24 * 60) * MINUTE_MS,
  }));
  const earliest = Math.min(...bounds.map(b => b.from));
  const latest = Math.max(...bounds.map(b => b.to));
  // A guess (within a day of the truth), confirmed when it holds around every instant it gives.
  const offset = offsetAt(space.timeZone, earliest);
  const holds =
    constantOffset(
      space.timeZone,
      earliest - offset * MINUTE_MS - CHANGE_MARGIN_MS,
      latest - offset * MINUTE_MS + CHANGE_MARGIN_MS,
    ) === offset;
  if (!holds) {
    const localDay = DateTime.fromMillis(midnight, { zone: "utc" })
      .setZone(space.timeZone, { keepLocalTime: true })
      .startOf("day");
    return openIntervalsOn(localDay, space).map(i => ({ start: +i.start!, end: +i.end! }));
  }
  const open: TimeRange[] = [];
  for (const { from, to } of bounds) {
    if (to > from) open.push({ start: from - offset * MINUTE_MS, end: to - offset * MINUTE_MS });
  }
  return open;
}

/** The opening ranges of every local day from the one before `fromMs` to the one of `toMs`. */
function openRangesAround(space: Schedule, fromMs: number, toMs: number): TimeRange[] {
  // Start a day early: a range of the day before can run past midnight into the window.
  const firstDay = Math.floor(wallClockMs(space.timeZone, fromMs) / DAY_MS) - 1;
  const lastDay = Math.floor(wallClockMs(space.timeZone, toMs) / DAY_MS);
  const open: TimeRange[] = [];
  for (let day = firstDay; day <= lastDay; day++) open.push(...openRangesOnDay(day, space));
  // Ranges that touch (Mon 08:00–24:00 and Tue 00:00–08:00) merge into one.
  return mergeRanges(open);
}

/** The open hours of a space in [fromMs, toMs), merged into the fewest ranges, in order. */
export function openRanges(space: Schedule, fromMs: number, toMs: number): TimeRange[] {
  if (!(toMs > fromMs)) return [];
  return clipRanges(openRangesAround(space, fromMs, toMs), fromMs, toMs);
}

/** Whether [start, end) lies inside the opening hours, possibly across several adjoining ranges. */
export function withinOpeningHours(start: DateTime, end: DateTime, space: Schedule): boolean {
  const from = start.toMillis();
  const to = end.toMillis();
  if (!(to >= from)) return false;
  return openRangesAround(space, from, to).some(range => range.start <= from && range.end >= to);
}

/** The open hours of a space that fall in [from, to), merged into the fewest intervals. */
export function openIntervals(space: Schedule, from: DateTime, to: DateTime): Interval[] {
  return openRanges(space, from.toMillis(), to.toMillis()).map(toInterval);
}
