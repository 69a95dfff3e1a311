/**
 * Instants as clients send them and as the stores keep them.
 *
 * Instants are stored as UTC ISO strings of one fixed format ("2026-03-29T01:00:00.000Z"), so
 * string order is time order on both stores and range queries can use the indexes.
 */
import { DateTime } from "luxon";
import { failValidation } from "./errors";

export function toStored(instant: DateTime): string {
  return instant.toUTC().toISO()!;
}

/**
 * Reads an ISO 8601 date-time from a client. With an offset ("…Z", "…+01:00") it is that
 * instant; without one it is wall-clock time in `zone`, the space's own time zone, which is
 * what a person typing "2026-03-29T10:00" means. A date alone is the start of that local day.
 */
export function parseInstant(value: string, field: string, zone: string): DateTime {
  const parsed = DateTime.fromISO(value, { zone, setZone: true });
  if (!parsed.isValid) {
    failValidation(
      field,
      "date",
      `'${field}' must be a date and time such as 2026-03-30T09:00:00+02:00.`,
    );
  }
  return parsed.toUTC();
}
