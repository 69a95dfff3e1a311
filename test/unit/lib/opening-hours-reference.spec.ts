/**
 * The opening-hours and slot arithmetic (one UTC offset per day, lib/zone-offsets.ts) gives
 * exactly what the luxon-per-boundary implementation it replaced gave
 * (test/support/luxon-opening-hours.ts), over many random schedules, windows and time zones,
 * half of the windows around daylight-saving changes.
 *
 * Zones whose clocks change at midnight (Santiago, Havana, Beirut) are compared by hand below:
 * the reference stepped from a midnight that does not exist to 23:00 of the day before, and from
 * then on left out the window's last day, which the new code keeps.
 */
import { DateTime, Interval } from "luxon";
import {
  openIntervals,
  withinOpeningHours,
  WEEKDAYS,
  type BookableSpace,
  type OpeningHours,
  type OpeningRange,
} from "../../../lib/bookable-space";
import {
  ceilToSlot,
  floorToSlot,
  freeIntervals,
} from "../../../services/reservations/availability";
import { checkBooking } from "../../../services/reservations/booking-rules";
import * as reference from "../../support/luxon-opening-hours";

const ZONES = [
  "Europe/Amsterdam",
  "Europe/London",
  "America/New_York",
  "America/St_Johns", // −03:30, DST
  "Australia/Lord_Howe", // a 30-minute DST
  "Australia/Sydney",
  "Pacific/Chatham", // +12:45 / +13:45
  "Pacific/Kiritimati", // +14
  "Pacific/Pago_Pago", // −11
  "Asia/Kolkata", // +05:30
  "Asia/Kathmandu", // +05:45
  "Africa/Casablanca", // leaves its offset for Ramadan
  "UTC",
];

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** 0–3 ranges a day, on a 30-minute grid, often touching midnight or the 02:00–03:00 hour. */
function randomHours(rnd: Random): OpeningHours {
  const points = [0, 60, 120, 150, 180, 420, 480, 510, 720, 1020, 1080, 1320, 1410, 1440];
  const day = (): OpeningRange[] => {
    const count = rnd.pick([0, 1, 1, 1, 2, 3]);
    const chosen = new Set<number>();
    while (chosen.size < count * 2)
      chosen.add(rnd.next() < 0.7 ? rnd.pick(points) : rnd.int(0, 48) * 30);
    const sorted = [...chosen].sort((a, b) => a - b);
    const ranges: OpeningRange[] = [];
    for (let i = 0; i < sorted.length; i += 2)
      ranges.push({ from: clock(sorted[i]), to: clock(sorted[i + 1]) });
    return ranges;
  };
  return Object.fromEntries(WEEKDAYS.map(weekday => [weekday, day()])) as OpeningHours;
}

function randomSpace(rnd: Random): BookableSpace {
  return {
    timeZone: rnd.pick(ZONES),
    openingHours: randomHours(rnd),
    rules: {
      minMinutes: rnd.pick([15, 30, 60]),
      maxMinutes: rnd.pick([60, 240, 480, 1440]),
      horizonDays: rnd.int(1, 90),
      slotMinutes: rnd.pick([15, 30, 60]),
    },
    active: rnd.next() < 0.95,
  };
}

/** An instant in 2026–2029; half of them in the weeks where daylight saving changes somewhere. */
function randomInstant(rnd: Random): DateTime {
  const year = rnd.int(2026, 2029);
  const month = rnd.next() < 0.5 ? rnd.pick([3, 4, 9, 10, 11]) : rnd.int(1, 12);
  return DateTime.utc(year, month, rnd.int(1, 28), rnd.int(0, 23), rnd.int(0, 3) * 15).plus({
    // Now and then off the grid, as "now" and clients' instants can be.
    milliseconds: rnd.next() < 0.2 ? rnd.int(0, 3_600_000) : 0,
  });
}

const shown = (intervals: Interval[]) =>
  intervals.map(i => `${i.start!.toISO()}/${i.end!.toISO()}`);

describe("opening hours and slots against the luxon-per-boundary reference", () => {
  it("free intervals: 300 random windows of an hour to three weeks", () => {
    const rnd = random(11);
    for (let trial = 0; trial < 300; trial++) {
      const space = randomSpace(rnd);
      const from = randomInstant(rnd);
      const to = from.plus({ minutes: rnd.int(4, 21 * 96) * 15 });
      // Confirmed reservations of one space never overlap: consecutive, with gaps.
      const busy: Interval[] = [];
      let cursor = from.minus({ hours: rnd.int(0, 30) });
      while (cursor < to && busy.length < 30) {
        const start = cursor.plus({ minutes: rnd.int(0, 40) * 15 });
        const end = start.plus({ minutes: rnd.int(1, 16) * 15 });
        busy.push(Interval.fromDateTimes(start, end));
        cursor = end;
      }
      const now = rnd.next() < 0.5 ? from.minus({ days: 1 }) : randomInstant(rnd);
      const context = {
        trial,
        space: JSON.stringify(space),
        from: from.toISO(),
        to: to.toISO(),
        now: now.toISO(),
      };
      expect({ ...context, free: shown(freeIntervals(space, from, to, busy, now)) }).toEqual({
        ...context,
        free: shown(reference.freeIntervals(space, from, to, busy, now)),
      });
    }
  });

  it("open intervals and 'within opening hours': 300 random windows of up to three weeks", () => {
    const rnd = random(23);
    for (let trial = 0; trial < 300; trial++) {
      const space = randomSpace(rnd);
      const from = randomInstant(rnd);
      const to = from.plus({ minutes: rnd.int(1, 21 * 96) * 15 });
      const context = { trial, space: JSON.stringify(space), from: from.toISO(), to: to.toISO() };
      expect({ ...context, open: shown(openIntervals(space, from, to)) }).toEqual({
        ...context,
        open: shown(reference.openIntervals(space, from, to)),
      });
      const end = from.plus({ minutes: rnd.int(1, 48) * 15 });
      expect({ ...context, within: withinOpeningHours(from, end, space) }).toEqual({
        ...context,
        within: reference.withinOpeningHours(from, end, space),
      });
    }
  });

  it("slot boundaries and the booking rules: 2,000 random instants", () => {
    const rnd = random(37);
    for (let trial = 0; trial < 2000; trial++) {
      const space = randomSpace(rnd);
      const { timeZone, rules } = space;
      const instant = randomInstant(rnd).plus({ minutes: rnd.int(0, 59) });
      const context = { trial, timeZone, instant: instant.toISO(), slot: rules.slotMinutes };
      expect({
        ...context,
        ceil: ceilToSlot(instant, timeZone, rules.slotMinutes).toISO(),
        floor: floorToSlot(instant, timeZone, rules.slotMinutes).toISO(),
      }).toEqual({
        ...context,
        ceil: reference.ceilToSlot(instant, timeZone, rules.slotMinutes).toISO(),
        floor: reference.floorToSlot(instant, timeZone, rules.slotMinutes).toISO(),
      });
      const end = instant.plus({ minutes: rnd.int(1, 32) * 15 });
      const now = instant.minus({ days: rnd.int(0, 30), minutes: rnd.int(0, 120) });
      expect({ ...context, rule: checkBooking(space, instant, end, now) }).toEqual({
        ...context,
        rule: reference.checkBooking(space, instant, end, now),
      });
    }
  });

  it("agrees through every week of 2026–2027 in Amsterdam and Sydney", () => {
    const hours = randomHours(random(5));
    for (const timeZone of ["Europe/Amsterdam", "Australia/Sydney"]) {
      const space: BookableSpace = {
        timeZone,
        openingHours: { ...hours, sun: [{ from: "00:00", to: "24:00" }] },
        rules: { minMinutes: 15, maxMinutes: 480, horizonDays: 3000, slotMinutes: 15 },
        active: true,
      };
      // Every week of two years, so each change (and the weeks around it) is covered.
      for (let week = DateTime.utc(2026, 1, 5); week.year < 2028; week = week.plus({ weeks: 1 })) {
        const to = week.plus({ weeks: 1 });
        const longAgo = week.minus({ years: 1 });
        expect([
          timeZone,
          week.toISODate(),
          shown(freeIntervals(space, week, to, [], longAgo)),
        ]).toEqual([
          timeZone,
          week.toISODate(),
          shown(reference.freeIntervals(space, week, to, [], longAgo)),
        ]);
      }
    }
  });
});

describe("opening hours where the clocks change at midnight", () => {
  const sundays = (timeZone: string): BookableSpace => ({
    timeZone,
    openingHours: {
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [{ from: "00:00", to: "24:00" }],
    },
    rules: { minMinutes: 15, maxMinutes: 480, horizonDays: 3000, slotMinutes: 15 },
    active: true,
  });
  const localShown = (intervals: Interval[], timeZone: string) =>
    intervals.map(i => `${i.start!.setZone(timeZone).toISO()}/${i.end!.setZone(timeZone).toISO()}`);

  it.each([
    // Clocks jump from Saturday 24:00 to Sunday 01:00: a 23-hour Sunday.
    [
      "America/Santiago",
      "2026-09-06",
      "2026-09-06T01:00:00.000-03:00/2026-09-07T00:00:00.000-03:00",
    ],
    // Sunday 00:00 (−03:00) becomes Saturday 23:00 (−04:00); Sunday itself has 24 hours.
    [
      "America/Santiago",
      "2026-04-05",
      "2026-04-05T00:00:00.000-04:00/2026-04-06T00:00:00.000-04:00",
    ],
    ["America/Havana", "2026-03-08", "2026-03-08T01:00:00.000-04:00/2026-03-09T00:00:00.000-04:00"],
    // 01:00 goes back to 00:00: a 25-hour Sunday.
    ["America/Havana", "2026-11-01", "2026-11-01T00:00:00.000-04:00/2026-11-02T00:00:00.000-05:00"],
    ["Asia/Beirut", "2026-03-29", "2026-03-29T01:00:00.000+03:00/2026-03-30T00:00:00.000+03:00"],
    ["Asia/Beirut", "2026-10-25", "2026-10-25T00:00:00.000+02:00/2026-10-26T00:00:00.000+02:00"],
  ])("%s on %s is open as long as that Sunday lasts", (timeZone, sunday, expected) => {
    const from = DateTime.fromISO(sunday, { zone: "utc" }).minus({ days: 2 });
    const open = openIntervals(sundays(timeZone), from, from.plus({ days: 4 }));
    expect(localShown(open, timeZone)).toEqual([expected]);
  });

  it("keeps the last day of a week that starts the day after Santiago's spring-forward", () => {
    // 2026-09-07T00:00Z is Sunday 6 September 21:00 in Santiago; the week ends on Sunday 13th
    // 21:00 (−03:00), whose Sunday hours the reference left out.
    const from = DateTime.fromISO("2026-09-07T00:00:00Z");
    const to = DateTime.fromISO("2026-09-14T00:00:00Z");
    const space = sundays("America/Santiago");
    expect(localShown(openIntervals(space, from, to), "America/Santiago")).toEqual([
      "2026-09-06T21:00:00.000-03:00/2026-09-07T00:00:00.000-03:00",
      "2026-09-13T00:00:00.000-03:00/2026-09-13T21:00:00.000-03:00",
    ]);
    expect(localShown(reference.openIntervals(space, from, to), "America/Santiago")).toEqual([
      "2026-09-06T21:00:00.000-03:00/2026-09-07T00:00:00.000-03:00",
    ]);
  });
});
