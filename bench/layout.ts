/**
 * The shape of a benchmark data set, as pure functions of the sizes, so the seeder, the
 * workloads and the growth steps agree without sharing state: which site, capacity and
 * equipment space i has, which (day, hour) its j-th reservation takes, who owns it, and which
 * slots are left free for the create and reschedule workloads.
 *
 * Time layout of every space, on weekdays (Europe/Amsterdam wall-clock):
 *   08:00–16:00  seeded reservations, one hour each, at distinct (day, hour) cells;
 *   16:00–17:00  never seeded: the create workload books 15-minute slots here;
 *   17:00–18:00  never seeded: the reschedule workload moves reservations here.
 * The services refuse bookings in the past, so "history" is laid out in the future: the
 * reservations are spread over `days` days ahead, and a one-week window asks for a small part
 * of what is stored.
 */
import { DateTime } from "luxon";

export const ZONE = "Europe/Amsterdam";
/** Spaces per site: sites grow with the data, so a site filter asks for about as much at any size. */
export const SPACES_PER_SITE = 50;
export const SEEDED_HOURS = 8; // 08:00..15:00 starts
/** Reservations per person at full size (and at every embedded growth level). */
export const RESERVATIONS_PER_USER = 200;
const CAPACITIES = [2, 4, 4, 6, 6, 8, 10, 12, 16, 20];
const EQUIPMENT = ["beamer", "whiteboard", "screen", "videoconference"];
const KINDS = ["meeting-room", "meeting-room", "workspace", "desk"] as const;

export interface DataSize {
  spaces: number;
  reservations: number;
  users: number;
  /** Reservations are spread over this many days ahead (weekdays only). */
  days: number;
}

export function siteName(index: number): string {
  return `Site-${String(index).padStart(3, "0")}`;
}

export function spaceAttributes(i: number) {
  const site = siteName(Math.floor(i / SPACES_PER_SITE));
  const equipment = EQUIPMENT.filter((_, k) => ((i * 7 + 3) >> k) & 1);
  return {
    name: `Room ${String(i).padStart(5, "0")}`,
    kind: KINDS[i % KINDS.length],
    location: { site, building: `B${i % 3}`, floor: String(i % 5) },
    capacity: CAPACITIES[(i * 3) % CAPACITIES.length],
    equipment,
  };
}

/** The weekdays from the day after tomorrow on, `days` days ahead, as local dates. */
export function weekdays(days: number, now = DateTime.now().setZone(ZONE)): string[] {
  const out: string[] = [];
  const first = now.startOf("day").plus({ days: 2 });
  for (let d = 0; d < days; d++) {
    const day = first.plus({ days: d });
    if (day.weekday <= 5) out.push(day.toISODate()!);
  }
  return out;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Reservations per space (the first spaces take one more when it does not divide evenly). */
export function perSpace(size: DataSize, i: number): number {
  const base = Math.floor(size.reservations / size.spaces);
  return base + (i < size.reservations % size.spaces ? 1 : 0);
}

/**
 * The (day, hour) of space i's j-th reservation: j * stride + offset over the space's
 * days × 8 cells, with stride coprime to the cell count, so all are distinct and spread out.
 */
export function seededSlot(days: string[], count: number, i: number, j: number) {
  const cells = days.length * SEEDED_HOURS;
  if (count > cells) throw new Error(`${count} reservations do not fit in ${cells} cells`);
  let stride = Math.max(1, Math.floor(cells / Math.max(1, count)));
  while (gcd(stride, cells) !== 1) stride++;
  const cell = (j * stride + i * 7) % cells;
  const day = days[Math.floor(cell / SEEDED_HOURS)];
  const hour = 8 + (cell % SEEDED_HOURS);
  const hh = String(hour).padStart(2, "0");
  const next = String(hour + 1).padStart(2, "0");
  return { start: `${day}T${hh}:00`, end: `${day}T${next}:00` };
}

/** The n-th distinct free 15-minute slot for the create workload (16:00–17:00), spread over spaces. */
export function createSlot(days: string[], spaces: number, n: number) {
  const perDay = 4;
  const space = n % spaces;
  const k = Math.floor(n / spaces);
  if (k >= days.length * perDay) return null;
  const day = days[Math.floor(k / perDay)];
  const m = 16 * 60 + (k % perDay) * 15;
  return { space, start: `${day}T${clock(m)}`, end: `${day}T${clock(m + 15)}` };
}

/** The n-th distinct free 15-minute slot of one space for the reschedule workload (17:00–18:00). */
export function rescheduleSlot(days: string[], n: number) {
  const perDay = 4;
  if (n >= days.length * perDay) return null;
  const day = days[Math.floor(n / perDay)];
  const m = 17 * 60 + (n % perDay) * 15;
  return { start: `${day}T${clock(m)}`, end: `${day}T${clock(m + 15)}` };
}

function clock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
