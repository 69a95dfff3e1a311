/**
 * The rules a reservation must keep, as pure functions of the space and the requested interval.
 * Instants are UTC; opening hours and slot alignment are wall-clock times in the space's own
 * time zone, evaluated with its offsets from luxon's zone data (lib/zone-offsets.ts) so a
 * daylight-saving change neither shifts nor loses a booking.
 */
import type { DateTime } from "luxon";
import { withinOpeningHours, type BookableSpace } from "../../lib/bookable-space";
import { ErrorType } from "../../lib/errors";
import { DAY_MS, MINUTE_MS, wallClockMs } from "../../lib/zone-offsets";

// The error types by which the rules refuse an interval are the API's (lib/public-contracts.ts).
import { RULE_VIOLATIONS, type RuleViolationType } from "../../lib/public-contracts";
export { RULE_VIOLATIONS, type RuleViolationType };

/** Whether the instant is a whole minute of the local day that is a multiple of the slot. */
function isAligned(instant: DateTime, timeZone: string, slotMinutes: number): boolean {
  const wall = wallClockMs(timeZone, instant.toMillis());
  const ofDay = wall - Math.floor(wall / DAY_MS) * DAY_MS;
  return ofDay % MINUTE_MS === 0 && (ofDay / MINUTE_MS) % slotMinutes === 0;
}

/** The first rule [start, end) breaks for this space at `now`, or `null` when it keeps them all. */
export function checkBooking(
  space: BookableSpace,
  start: DateTime,
  end: DateTime,
  now: DateTime,
): RuleViolationType | null {
  if (!space.active) return ErrorType.SPACE_INACTIVE;
  if (end <= start) return ErrorType.END_NOT_AFTER_START;
  if (start < now) return ErrorType.IN_THE_PAST;
  const { rules } = space;
  // Real elapsed minutes: 01:00–04:00 local on the spring-forward day is two hours, not three.
  const minutes = (end.toMillis() - start.toMillis()) / MINUTE_MS;
  if (minutes < rules.minMinutes) return ErrorType.TOO_SHORT;
  if (minutes > rules.maxMinutes) return ErrorType.TOO_LONG;
  if (start > now.plus({ days: rules.horizonDays })) return ErrorType.BEYOND_HORIZON;
  if (
    !isAligned(start, space.timeZone, rules.slotMinutes) ||
    !isAligned(end, space.timeZone, rules.slotMinutes)
  ) {
    return ErrorType.NOT_ALIGNED;
  }
  if (!withinOpeningHours(start, end, space)) return ErrorType.OUTSIDE_OPENING_HOURS;
  return null;
}
