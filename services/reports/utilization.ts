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

/** What one space's reservations in the window add up to. */
interface SpaceTotals {
  bookedMs: number;
  reservations: number;
  cancellations: number;
}

/**
 * The reservations of a window summed per space, one fact at a time: a report holds these sums
 * while its facts stream past, not the facts (a year over thousands of spaces is hundreds of
 * thousands of them). Each fact must be added once.
 */
export class BookedTally {
  private readonly bySpace = new Map<string, SpaceTotals>();

  constructor(
    readonly fromMs: number,
    readonly toMs: number,
  ) {}

  add(fact: Pick<ReservationFact, "spaceId" | "start" | "end" | "status">): void {
    let totals = this.bySpace.get(fact.spaceId);
    if (!totals) {
      totals = { bookedMs: 0, reservations: 0, cancellations: 0 };
      this.bySpace.set(fact.spaceId, totals);
    }
    if (fact.status === "cancelled") {
      totals.cancellations++;
      return;
    }
    totals.reservations++;
    // Stored instants are UTC ISO strings (lib/time.ts), which Date.parse reads exactly.
    const overlap =
      Math.min(Date.parse(fact.end), this.toMs) - Math.max(Date.parse(fact.start), this.fromMs);
    if (overlap > 0) totals.bookedMs += overlap;
  }

  of(spaceId: string): Readonly<SpaceTotals> | undefined {
    return this.bySpace.get(spaceId);
  }
}

/** The window's tally, for the facts of [from, to) that the caller adds. */
export function tallyBooked(from: DateTime, to: DateTime): BookedTally {
  return new BookedTally(from.toMillis(), to.toMillis());
}

/** The report's rows: each space's open hours beside what `booked` summed for it. */
export function computeUtilization(
  spaces: readonly SpaceFact[],
  booked: BookedTally,
  groupBy: GroupBy,
): UtilizationRow[] {
  const openHoursOf = openHoursBySchedule(booked.fromMs, booked.toMs);
  const groups = new Map<string, UtilizationRow>();
  for (const space of spaces) {
    const totals = booked.of(space._id);
    // Spaces in use, and deactivated ones only where they still had reservations in the window.
    if (!space.active && !totals) continue;
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
    row.openHours += openHoursOf(space);
    row.bookedHours += (totals?.bookedMs ?? 0) / HOUR_MS;
    row.reservations += totals?.reservations ?? 0;
    row.cancellations += totals?.cancellations ?? 0;
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
