/**
 * A space as stored and shown (the shown shape, PublicSpace, is in lib/events/space-events.ts),
 * and the parameter schemas that describe one (opening hours and rules: lib/bookable-space.ts).
 */
import { failValidation } from "../../lib/errors";
import { isValidTimeZone } from "../../lib/time-zones";
import { lineTextParam } from "../../lib/params";
import { WEEKDAYS, type BookingRules, type OpeningHours } from "../../lib/bookable-space";
import { MAX_RESERVATION_DAYS } from "../../lib/time-window";
import { withoutOutbox, type OutboxFields } from "../../mixins/durable-events.mixin";
import type { PublicSpace } from "../../lib/events/space-events";

export interface SpaceRecord extends Omit<PublicSpace, "id">, OutboxFields {
  /** A UUID for spaces made by this service. */
  _id: string;
  /** Lower-cased site name, so a location search is case-insensitive and can use an index. */
  siteKey: string;
  /**
   * The `siteKey` the space had before it first moved to another site; absent until then (and on
   * spaces stored before it existed). Read it through `siteGroupOf`.
   */
  siteGroup?: string;
}

/**
 * The site a space's reservations are keyed by (reservations/day-buckets.ts, `siteDays`): the
 * site it was first on, kept when it moves, so the keys of reservations already stored stay
 * right without rewriting them. A free-space search of one site then asks reservations for one
 * key per day (plus one per space that moved onto it), which FerretDB can hand to PostgreSQL.
 */
export function siteGroupOf(record: Pick<SpaceRecord, "siteKey" | "siteGroup">): string {
  return record.siteGroup ?? record.siteKey;
}

export function toPublicSpace(record: SpaceRecord): PublicSpace {
  const { _id, siteKey, siteGroup, ...rest } = withoutOutbox(record);
  void siteKey;
  void siteGroup;
  return { id: String(_id), ...rest };
}

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  mon: [{ from: "08:00", to: "18:00" }],
  tue: [{ from: "08:00", to: "18:00" }],
  wed: [{ from: "08:00", to: "18:00" }],
  thu: [{ from: "08:00", to: "18:00" }],
  fri: [{ from: "08:00", to: "18:00" }],
  sat: [],
  sun: [],
};

export const DEFAULT_RULES: BookingRules = {
  minMinutes: 15,
  maxMinutes: 8 * 60,
  horizonDays: 90,
  slotMinutes: 15,
};

/**
 * Refuses a space whose time zone, opening hours or rules do not fit together. `storedZone`: on
 * an update, the zone the space has; kept unchanged it is not refused, so that a space stored
 * with a zone accepted before (a fixed offset, which Node 22 took) can still be renamed, and is
 * refused only when someone sets it.
 */
export function assertConsistent(
  space: Pick<SpaceRecord, "timeZone" | "openingHours" | "rules">,
  storedZone?: string,
): void {
  if (space.timeZone !== storedZone && !isValidTimeZone(space.timeZone))
    failValidation(
      "timeZone",
      "consistency",
      "Unknown time zone; use an IANA name such as Europe/Amsterdam.",
    );
  const day = invalidOpeningDay(space.openingHours);
  if (day)
    failValidation(
      `openingHours.${day}`,
      "consistency",
      "Opening ranges must run forwards and must not overlap.",
    );
  if (space.rules.minMinutes > space.rules.maxMinutes)
    failValidation("rules", "consistency", "minMinutes must not exceed maxMinutes.");
}

/** Ranges of one day must run forwards and not overlap; returns the offending weekday or null. */
export function invalidOpeningDay(hours: OpeningHours): string | null {
  for (const day of WEEKDAYS) {
    const ranges = [...hours[day]].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 0; i < ranges.length; i++) {
      if (ranges[i].from >= ranges[i].to) return day;
      if (i > 0 && ranges[i].from < ranges[i - 1].to) return day;
    }
  }
  return null;
}

// Patterns as strings: a rule crosses the broker as JSON, where a RegExp would arrive as `{}`,
// and the gateway builds the API document from the rules it receives (services/api/openapi).
const clock = { type: "string", pattern: /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.source } as const;
const dayRanges = {
  type: "array",
  max: 6,
  items: { type: "object", strict: true, props: { from: clock, to: clock } },
} as const;

export const openingHoursParam = {
  type: "object",
  strict: true,
  props: Object.fromEntries(WEEKDAYS.map(day => [day, dayRanges])),
} as const;

export const rulesParam = {
  type: "object",
  strict: true,
  props: {
    minMinutes: { type: "number", integer: true, min: 15, max: MAX_RESERVATION_DAYS * 24 * 60 },
    maxMinutes: { type: "number", integer: true, min: 15, max: MAX_RESERVATION_DAYS * 24 * 60 },
    horizonDays: { type: "number", integer: true, min: 1, max: 730 },
    // Multiples of the claim grid (15 minutes), so every aligned booking covers whole cells.
    slotMinutes: { type: "enum", values: [15, 30, 45, 60, 90, 120, 240, 480, 1440] },
  },
} as const;

export const locationParam = {
  type: "object",
  strict: true,
  props: {
    site: lineTextParam({ min: 1, max: 100 }),
    building: { ...lineTextParam({ max: 100 }), optional: true },
    floor: { ...lineTextParam({ max: 20 }), optional: true },
  },
} as const;

export const equipmentParam = {
  type: "array",
  max: 30,
  unique: true,
  items: {
    type: "string",
    trim: true,
    lowercase: true,
    pattern: /^[a-z0-9][a-z0-9-]{0,39}$/.source,
  },
} as const;
