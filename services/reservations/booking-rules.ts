/**
 * The rules a reservation must keep, as pure functions of the space and the requested interval.
 * Instants are UTC; opening hours and slot alignment are wall-clock times in the space's own
 * time zone, evaluated with luxon so a daylight-saving change neither shifts nor loses a booking.
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

export const RuleViolation = {
  END_NOT_AFTER_START: "END_NOT_AFTER_START",
  IN_THE_PAST: "IN_THE_PAST",
  TOO_SHORT: "TOO_SHORT",
  TOO_LONG: "TOO_LONG",
  BEYOND_HORIZON: "BEYOND_HORIZON",
  OUTSIDE_OPENING_HOURS: "OUTSIDE_OPENING_HOURS",
  NOT_ALIGNED: "NOT_ALIGNED",
  SPACE_INACTIVE: "SPACE_INACTIVE",
} as const;
export type RuleViolationType = (typeof RuleViolation)[keyof typeof RuleViolation];

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

function isAligned(instant: DateTime, timeZone: string, slotMinutes: number): boolean {
  const local = instant.setZone(timeZone);
  return (
    local.second === 0 &&
    local.millisecond === 0 &&
    (local.hour * 60 + local.minute) % slotMinutes === 0
  );
}

/** The first rule [start, end) breaks for this space at `now`, or `null` when it keeps them all. */
export function checkBooking(
  space: BookableSpace,
  start: DateTime,
  end: DateTime,
  now: DateTime,
): RuleViolationType | null {
  if (!space.active) return RuleViolation.SPACE_INACTIVE;
  if (end <= start) return RuleViolation.END_NOT_AFTER_START;
  if (start < now) return RuleViolation.IN_THE_PAST;
  const { rules } = space;
  // Real elapsed minutes: 01:00–04:00 local on the spring-forward day is two hours, not three.
  const minutes = end.diff(start, "minutes").minutes;
  if (minutes < rules.minMinutes) return RuleViolation.TOO_SHORT;
  if (minutes > rules.maxMinutes) return RuleViolation.TOO_LONG;
  if (start > now.plus({ days: rules.horizonDays })) return RuleViolation.BEYOND_HORIZON;
  if (
    !isAligned(start, space.timeZone, rules.slotMinutes) ||
    !isAligned(end, space.timeZone, rules.slotMinutes)
  ) {
    return RuleViolation.NOT_ALIGNED;
  }
  if (!withinOpeningHours(start, end, space)) return RuleViolation.OUTSIDE_OPENING_HOURS;
  return null;
}
