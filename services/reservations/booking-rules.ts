/**
 * The rules a reservation must keep, as pure functions of the space and the requested interval.
 * Instants are UTC; opening hours and slot alignment are wall-clock times in the space's own
 * time zone, evaluated with luxon so a daylight-saving change neither shifts nor loses a booking.
 */
import type { DateTime } from "luxon";
import { withinOpeningHours, type BookableSpace } from "../../lib/bookable-space";

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
