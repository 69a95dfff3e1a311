/**
 * Utilisation of spaces in a window, from the reports read model: hours open (from each space's
 * opening hours in its own time zone), hours booked (confirmed reservations, cut to the window),
 * their ratio, and the numbers of reservations and cancellations. Pure, so it is tested alone.
 */
import { DateTime, Interval } from "luxon";
import { openIntervals, type OpeningHours } from "../../lib/bookable-space";

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

export function computeUtilization(
  spaces: SpaceFact[],
  reservations: ReservationFact[],
  from: DateTime,
  to: DateTime,
  groupBy: GroupBy,
): UtilizationRow[] {
  const window = Interval.fromDateTimes(from, to);
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
    const openHours = openIntervals(space, from, to).reduce((h, i) => h + i.length("hours"), 0);
    let bookedHours = 0;
    let count = 0;
    let cancellations = 0;
    for (const r of own) {
      if (r.status === "cancelled") {
        cancellations++;
        continue;
      }
      count++;
      const overlap = Interval.fromISO(`${r.start}/${r.end}`).intersection(window);
      if (overlap) bookedHours += overlap.length("hours");
    }
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
