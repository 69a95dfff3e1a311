/**
 * Instants as clients send them and as the stores keep them.
 *
 * Instants are stored as UTC ISO strings of one fixed format ("2026-03-29T01:00:00.000Z"), so
 * string order is time order on both stores and range queries can use the indexes.
 */
import { DateTime } from "luxon";
import { BoundedMemo } from "./bounded-memo";
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
  return parsedInstants.get(`${zone} ${value}`, () => {
    const parsed = DateTime.fromISO(value, { zone, setZone: true });
    if (!parsed.isValid) {
      failValidation(
        field,
        "date",
        `'${field}' must be a date and time such as 2026-03-30T09:00:00+02:00.`,
      );
    }
    return parsed.toUTC();
  });
}

/**
 * What `parseInstant` gave, by zone and text. Clients send the same few texts again and again
 * (the Monday of the week on show, the hour a search asks about), and luxon's ISO parser with a
 * named zone's offset was a tenth of an availability read. A DateTime is immutable, so every
 * caller can be handed the same one.
 */
const parsedInstants = new BoundedMemo<DateTime>(5_000);
