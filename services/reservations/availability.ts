/**
 * What is free in a window: the opening hours of a space minus its busy intervals, cut to the
 * part one may still book (not in the past, not beyond the horizon) and to the space's slot grid
 * in its own time zone. Pure, so day, week and month views across DST changes are unit-tested.
 *
 * The arithmetic is on epoch milliseconds with the UTC offset in force where it stays the same
 * (lib/zone-offsets.ts); around a daylight-saving change the slot grid is found with luxon.
 */
import { DateTime, Interval } from "luxon";
import type { AuthUser } from "../../lib/auth";
import { openRanges, type BookableSpace } from "../../lib/bookable-space";
import { toStored } from "../../lib/time";
import { storedRange, subtractRanges, toInterval, type TimeRange } from "../../lib/time-ranges";
import { CHANGE_MARGIN_MS, constantOffset, DAY_MS, MINUTE_MS } from "../../lib/zone-offsets";
import { canManageAll, type ReservationRecord } from "./reservation-record";

function minuteOfDay(local: DateTime): number {
  return local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / 60_000;
}

/** The wall-clock time `minutes` after local midnight; 1440 and more roll into the next day. */
function atMinute(localDay: DateTime, minutes: number): DateTime {
  const day = localDay.plus({ days: Math.floor(minutes / 1440) }).startOf("day");
  const rest = minutes % 1440;
  return day.set({ hour: Math.floor(rest / 60), minute: rest % 60, second: 0, millisecond: 0 });
}

/** `ceilToSlot` through luxon, for the days around an offset change. */
function ceilToSlotZoned(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.ceil(minuteOfDay(local) / slotMinutes) * slotMinutes;
  let aligned = atMinute(local.startOf("day"), target);
  // In the repeated hour of a fall-back night a wall-clock time names two instants; take the later.
  if (aligned < instant) aligned = aligned.plus({ hours: 1 });
  return aligned.toUTC();
}

/** `floorToSlot` through luxon, for the days around an offset change. */
function floorToSlotZoned(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.floor(minuteOfDay(local) / slotMinutes) * slotMinutes;
  const aligned = atMinute(local.startOf("day"), target);
  // In the repeated hour of a fall-back night, the later instant of that wall-clock time.
  const repeated = aligned.plus({ hours: 1 });
  const sameWallClock = repeated.toFormat("HH:mm") === aligned.toFormat("HH:mm");
  return (sameWallClock && repeated <= instant ? repeated : aligned).toUTC();
}

/**
 * The slot boundary at or after (`round` = Math.ceil) or at or before (Math.floor) an instant, in
 * the space's local time, in epoch milliseconds. The boundary is at most a slot away, so one
 * offset serves when it holds from a slot (and a margin) before to a slot after.
 */
function toSlot(
  instantMs: number,
  timeZone: string,
  slotMinutes: number,
  round: (x: number) => number,
): number {
  const reach = slotMinutes * MINUTE_MS + CHANGE_MARGIN_MS;
  const offset = constantOffset(timeZone, instantMs - reach, instantMs + reach);
  if (offset === null) {
    const zoned = round === Math.ceil ? ceilToSlotZoned : floorToSlotZoned;
    return zoned(DateTime.fromMillis(instantMs, { zone: "utc" }), timeZone, slotMinutes).toMillis();
  }
  const wall = instantMs + offset * MINUTE_MS;
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const minutes = round((wall - midnight) / MINUTE_MS / slotMinutes) * slotMinutes;
  return midnight + minutes * MINUTE_MS - offset * MINUTE_MS;
}

/** The first slot boundary at or after `instant`, in the space's local time. */
export function ceilToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  return DateTime.fromMillis(toSlot(instant.toMillis(), timeZone, slotMinutes, Math.ceil), {
    zone: "utc",
  });
}

/** The last slot boundary at or before `instant`, in the space's local time. */
export function floorToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  return DateTime.fromMillis(toSlot(instant.toMillis(), timeZone, slotMinutes, Math.floor), {
    zone: "utc",
  });
}

/**
 * Free ranges in [from, to) one could book: inside opening hours, outside `busy`, from `now`
 * on, within the booking horizon, on the slot grid and at least the minimum duration long.
 * Each is as long as it can be; any aligned sub-range within the rules is bookable.
 */
export function freeRanges(
  space: BookableSpace,
  from: DateTime,
  to: DateTime,
  busy: TimeRange[],
  now: DateTime,
): TimeRange[] {
  if (!space.active) return [];
  const { rules, timeZone } = space;
  const earliest = Math.max(from.toMillis(), now.toMillis());
  // `plus` in the caller's zone: a day ahead in local time, as the horizon is counted.
  const latest = Math.min(to.toMillis(), now.plus({ days: rules.horizonDays }).toMillis());
  if (latest <= earliest) return [];
  const free = subtractRanges(openRanges(space, earliest, latest), busy);
  const minimum = rules.minMinutes * MINUTE_MS;
  const aligned: TimeRange[] = [];
  for (const range of free) {
    const start = toSlot(range.start, timeZone, rules.slotMinutes, Math.ceil);
    const end = toSlot(range.end, timeZone, rules.slotMinutes, Math.floor);
    if (end >= start && end - start >= minimum) aligned.push({ start, end });
  }
  return aligned;
}

/** `freeRanges` as luxon intervals. */
export function freeIntervals(
  space: BookableSpace,
  from: DateTime,
  to: DateTime,
  busy: Interval[],
  now: DateTime,
): Interval[] {
  const busyRanges = busy.map(i => ({ start: i.start!.toMillis(), end: i.end!.toMillis() }));
  return freeRanges(space, from, to, busyRanges, now).map(toInterval);
}

/**
 * A space's availability in [from, to) as `user` may see it: every booked interval (with what it
 * is only for its owner, managers and admins) and the free intervals one could book.
 */
export function availabilityView(
  space: BookableSpace & { id: string },
  records: Pick<ReservationRecord, "_id" | "ownerId" | "title" | "start" | "end">[],
  window: { from: DateTime; to: DateTime },
  user: AuthUser,
  now: DateTime,
) {
  const { from, to } = window;
  const busy = records.map(record => {
    const mine = record.ownerId === user.id;
    const detailed = mine || canManageAll(user);
    return {
      start: record.start,
      end: record.end,
      mine,
      ...(detailed ? { reservationId: record._id, title: record.title } : {}),
    };
  });
  const free = freeRanges(space, from, to, records.map(storedRange), now);
  return {
    spaceId: space.id,
    timeZone: space.timeZone,
    from: toStored(from),
    to: toStored(to),
    rules: space.rules,
    busy,
    free: free.map(range => ({
      start: new Date(range.start).toISOString(),
      end: new Date(range.end).toISOString(),
    })),
  };
}
