/**
 * The opening-hours and slot arithmetic as it was before lib/zone-offsets.ts: every boundary a
 * luxon DateTime in the space's zone. Kept unchanged as the reference the faster code is
 * compared with over many random windows, zones and schedules (test/unit/lib/opening-hours-
 * reference.spec.ts). Slow, and correct across daylight-saving changes by construction.
 */
import { DateTime, Interval } from "luxon";
import { WEEKDAYS, type BookableSpace } from "../../lib/bookable-space";

type Schedule = Pick<BookableSpace, "openingHours" | "timeZone">;

function minutesOfDay(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

function wallClock(localDay: DateTime, minutes: number): DateTime {
  if (minutes >= 24 * 60) return localDay.plus({ days: 1 }).startOf("day");
  return localDay.set({
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
    second: 0,
    millisecond: 0,
  });
}

function openIntervalsOn(day: DateTime, space: Schedule): Interval[] {
  const local = day.setZone(space.timeZone).startOf("day");
  const weekday = WEEKDAYS[local.weekday - 1];
  return space.openingHours[weekday]
    .map(range => {
      const start = wallClock(local, minutesOfDay(range.from));
      const end = wallClock(local, minutesOfDay(range.to));
      return Interval.fromDateTimes(start.toUTC(), end.toUTC());
    })
    .filter(interval => interval.isValid && !interval.isEmpty());
}

export function withinOpeningHours(start: DateTime, end: DateTime, space: Schedule): boolean {
  const wanted = Interval.fromDateTimes(start, end);
  const firstDay = start.setZone(space.timeZone).startOf("day").minus({ days: 1 });
  const lastDay = end.setZone(space.timeZone).startOf("day");
  const open: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 }))
    open.push(...openIntervalsOn(day, space));
  return Interval.merge(open).some(range => range.engulfs(wanted));
}

export function openIntervals(space: Schedule, from: DateTime, to: DateTime): Interval[] {
  const window = Interval.fromDateTimes(from, to);
  const firstDay = from.setZone(space.timeZone).startOf("day").minus({ days: 1 });
  const lastDay = to.setZone(space.timeZone).startOf("day");
  const open: Interval[] = [];
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    open.push(...openIntervalsOn(day, space));
  }
  return Interval.merge(open)
    .map(range => range.intersection(window))
    .filter((range): range is Interval => range !== null && !range.isEmpty());
}

function minuteOfDay(local: DateTime): number {
  return local.hour * 60 + local.minute + (local.second * 1000 + local.millisecond) / 60_000;
}

function atMinute(localDay: DateTime, minutes: number): DateTime {
  const day = localDay.plus({ days: Math.floor(minutes / 1440) }).startOf("day");
  const rest = minutes % 1440;
  return day.set({ hour: Math.floor(rest / 60), minute: rest % 60, second: 0, millisecond: 0 });
}

export function ceilToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.ceil(minuteOfDay(local) / slotMinutes) * slotMinutes;
  let aligned = atMinute(local.startOf("day"), target);
  if (aligned < instant) aligned = aligned.plus({ hours: 1 });
  return aligned.toUTC();
}

export function floorToSlot(instant: DateTime, timeZone: string, slotMinutes: number): DateTime {
  const local = instant.setZone(timeZone);
  const target = Math.floor(minuteOfDay(local) / slotMinutes) * slotMinutes;
  const aligned = atMinute(local.startOf("day"), target);
  const repeated = aligned.plus({ hours: 1 });
  const sameWallClock = repeated.toFormat("HH:mm") === aligned.toFormat("HH:mm");
  return (sameWallClock && repeated <= instant ? repeated : aligned).toUTC();
}

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

function isAligned(instant: DateTime, timeZone: string, slotMinutes: number): boolean {
  const local = instant.setZone(timeZone);
  return (
    local.second === 0 &&
    local.millisecond === 0 &&
    (local.hour * 60 + local.minute) % slotMinutes === 0
  );
}

export function checkBooking(
  space: BookableSpace,
  start: DateTime,
  end: DateTime,
  now: DateTime,
): string | null {
  if (!space.active) return "SPACE_INACTIVE";
  if (end <= start) return "END_NOT_AFTER_START";
  if (start < now) return "IN_THE_PAST";
  const { rules } = space;
  const minutes = end.diff(start, "minutes").minutes;
  if (minutes < rules.minMinutes) return "TOO_SHORT";
  if (minutes > rules.maxMinutes) return "TOO_LONG";
  if (start > now.plus({ days: rules.horizonDays })) return "BEYOND_HORIZON";
  if (
    !isAligned(start, space.timeZone, rules.slotMinutes) ||
    !isAligned(end, space.timeZone, rules.slotMinutes)
  ) {
    return "NOT_ALIGNED";
  }
  if (!withinOpeningHours(start, end, space)) return "OUTSIDE_OPENING_HOURS";
  return null;
}
