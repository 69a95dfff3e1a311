/**
 * Utilisation of spaces in a window, from the reports read model: hours open (from each space's
 * opening hours in its own time zone), hours booked (confirmed reservations, cut to the window),
 * their ratio, and the numbers of reservations and cancellations. Pure, so it is tested alone.
 */
import type { DateTime } from "luxon";
import { openRanges, type OpeningHours } from "../../lib/bookable-space";
import { totalMs } from "../../lib/time-ranges";
import { HOUR_MS } from "../../lib/zone-offsets";

export { GROUP_BY, type GroupBy } from "../../lib/public-contracts";
import type { GroupBy } from "../../lib/public-contracts";

export interface SpaceFact {
  _id: string;
  name: string;
  site: string;
  timeZone: string;
  openingHours: OpeningHours;
  active: boolean;
  updatedAt: string;
}

export interface ReservationFact {
  _id: string;
  spaceId: string;
  start: string;
  end: string;
  status: "confirmed" | "cancelled";
  updatedAt: string;
}

export interface UtilizationRow {
  /** The space's id, or the site's name when grouped by location. */
  group: string;
  site: string;
  /** The space's name; absent when grouped by location. */
  space?: string;
  spaces: number;
  openHours: number;
  bookedHours: number;
  /** bookedHours / openHours, or null when the group was not open in the window. */
  utilization: number | null;
  reservations: number;
  cancellations: number;
}

const round = (value: number, places: number) => Number(value.toFixed(places));

/**
 * Hours open in [fromMs, toMs) per distinct schedule (time zone and opening hours): most spaces
 * share a handful of them, so a month over thousands of spaces computes each schedule once.
 */
function openHoursBySchedule(fromMs: number, toMs: number) {
  const known = new Map<string, number>();
  return (space: Pick<SpaceFact, "timeZone" | "openingHours">): number => {
    const key = `${space.timeZone} ${JSON.stringify(space.openingHours)}`;
    let hours = known.get(key);
    if (hours === undefined) {
      hours = totalMs(openRanges(space, fromMs, toMs)) / HOUR_MS;
      known.set(key, hours);
    }
    return hours;
  };
}

export function computeUtilization(
  spaces: readonly SpaceFact[],
  reservations: ReservationFact[],
  from: DateTime,
  to: DateTime,
  groupBy: GroupBy,
): UtilizationRow[] {
  const fromMs = from.toMillis();
  const toMs = to.toMillis();
  const openHoursOf = openHoursBySchedule(fromMs, toMs);
  const bySpace = new Map<string, ReservationFact[]>();
  for (const reservation of reservations) {
    const list = bySpace.get(reservation.spaceId) ?? [];
    list.push(reservation);
    bySpace.set(reservation.spaceId, list);
  }

  const groups = new Map<string, UtilizationRow>();
  // Spaces in use, and deactivated ones only where they still had reservations in the window.
  for (const space of spaces.filter(s => s.active || bySpace.has(s._id))) {
    const own = bySpace.get(space._id) ?? [];
    const openHours = openHoursOf(space);
    let bookedMs = 0;
    let count = 0;
    let cancellations = 0;
    for (const r of own) {
      if (r.status === "cancelled") {
        cancellations++;
        continue;
      }
      count++;
      // Stored instants are UTC ISO strings (lib/time.ts), which Date.parse reads exactly.
      const overlap = Math.min(Date.parse(r.end), toMs) - Math.max(Date.parse(r.start), fromMs);
      if (overlap > 0) bookedMs += overlap;
    }
    const bookedHours = bookedMs / HOUR_MS;
    const key = groupBy === "space" ? space._id : space.site;
    const row = groups.get(key) ?? {
      group: key,
      site: space.site,
      ...(groupBy === "space" ? { space: space.name } : {}),
      spaces: 0,
      openHours: 0,
      bookedHours: 0,
      utilization: null,
      reservations: 0,
      cancellations: 0,
    };
    row.spaces++;
    row.openHours += openHours;
    row.bookedHours += bookedHours;
    row.reservations += count;
    row.cancellations += cancellations;
    groups.set(key, row);
  }

  return [...groups.values()]
    .map(row => ({
      ...row,
      openHours: round(row.openHours, 2),
      bookedHours: round(row.bookedHours, 2),
      utilization: row.openHours > 0 ? round(row.bookedHours / row.openHours, 4) : null,
    }))
    .sort((a, b) => a.site.localeCompare(b.site) || (a.space ?? "").localeCompare(b.space ?? ""));
}
