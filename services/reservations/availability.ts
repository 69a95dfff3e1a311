/**
 * What is free in a window: the opening hours of a space minus its busy intervals, cut to the
 * part one may still book (not in the past, not beyond the horizon) and to the space's slot grid
 * in its own time zone. Pure, so day, week and month views across DST changes are unit-tested.
 */
import { DateTime, Interval } from "luxon";
import type { AuthUser } from "../../lib/auth";
import { openIntervals, type BookableSpace } from "../../lib/bookable-space";
import { toStored } from "../../lib/time";
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

/** The first slot boundary at or after `instant`, in the space's local time. */
export function ceilToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.ceil(minuteOfDay(local) / slotMinutes) * slotMinutes;
  let aligned = atMinute(local.startOf("day"), target);
  // In the repeated hour of a fall-back night a wall-clock time names two instants; take the later.
  if (aligned < instant) aligned = aligned.plus({ hours: 1 });
  return aligned.toUTC();
}

/** The last slot boundary at or before `instant`, in the space's local time. */
export function floorToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.floor(minuteOfDay(local) / slotMinutes) * slotMinutes;
  const aligned = atMinute(local.startOf("day"), target);
  // In the repeated hour of a fall-back night, the later instant of that wall-clock time.
  const repeated = aligned.plus({ hours: 1 });
  const sameWallClock = repeated.toFormat("HH:mm") === aligned.toFormat("HH:mm");
  return (sameWallClock && repeated <= instant ? repeated : aligned).toUTC();
}

/**
 * Free intervals in [from, to) one could book: inside opening hours, outside `busy`, from `now`
 * on, within the booking horizon, on the slot grid and at least the minimum duration long.
 * Each is as long as it can be; any aligned sub-interval within the rules is bookable.
 */
export function freeIntervals(
  space: BookableSpace,
  from: DateTime,
  to: DateTime,
  busy: Interval[],
  now: DateTime,
): Interval[] {
  if (!space.active) return [];
  const { rules, timeZone } = space;
  const earliest = DateTime.max(from, now);
  const latest = DateTime.min(to, now.plus({ days: rules.horizonDays }));
  if (latest <= earliest) return [];
  const open = openIntervals(space, earliest, latest);
  const free = busy.length === 0 ? open : open.flatMap(range => range.difference(...busy));
  return free
    .map(range =>
      Interval.fromDateTimes(
        ceilToSlot(range.start!, timeZone, rules.slotMinutes),
        floorToSlot(range.end!, timeZone, rules.slotMinutes),
      ),
    )
    .filter(range => range.isValid && range.length("minutes") >= rules.minMinutes);
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
  const busyIntervals = records.map(r => Interval.fromISO(`${r.start}/${r.end}`));
  const free = freeIntervals(space, from, to, busyIntervals, now);
  return {
    spaceId: space.id,
    timeZone: space.timeZone,
    from: toStored(from),
    to: toStored(to),
    rules: space.rules,
    busy,
    free: free.map(range => ({ start: toStored(range.start!), end: toStored(range.end!) })),
  };
}
