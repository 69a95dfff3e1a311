/**
 * UTC offsets of IANA time zones for the hot paths (availability, the booking rules, reports).
 *
 * luxon asks `Intl.DateTimeFormat` for the offset again on every `setZone`, `startOf`, `set` and
 * `plus` in a named zone, which made a week's availability cost hundreds of such calls. Here
 * luxon's zone is asked at fixed instants, every six hours, once per zone and process: where the
 * offset is the same throughout a span, wall-clock time and instants convert by adding it. The
 * few hours around a change (daylight-saving nights) are left to luxon by the callers.
 */
import { IANAZone } from "luxon";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** How far apart the offsets are sampled. No zone changes its offset twice within this. */
const SAMPLE_MS = 6 * HOUR_MS;
/**
 * Offsets (minutes) at each sample instant asked so far, per zone; keyed by the sample's number
 * since 1970. Bounded: a year is 1,461 entries, and a zone's map is dropped should it ever grow
 * past this (reports over many years), so memory stays small.
 */
const MAX_SAMPLES_PER_ZONE = 20_000;
const samples = new Map<string, { zone: IANAZone; offsets: Map<number, number> }>();

function zoneSamples(timeZone: string) {
  let entry = samples.get(timeZone);
  if (!entry) {
    entry = { zone: IANAZone.create(timeZone), offsets: new Map() };
    samples.set(timeZone, entry);
  }
  return entry;
}

function offsetAtSample(entry: ReturnType<typeof zoneSamples>, sample: number): number {
  let offset = entry.offsets.get(sample);
  if (offset === undefined) {
    if (entry.offsets.size >= MAX_SAMPLES_PER_ZONE) entry.offsets.clear();
    offset = entry.zone.offset(sample * SAMPLE_MS);
    entry.offsets.set(sample, offset);
  }
  return offset;
}

/**
 * The zone's UTC offset in minutes when it is the same throughout [fromMs, toMs]; `null` when it
 * may change in that span (or the zone is unknown). Checked at every sample from the one at or
 * before `fromMs` to the one at or after `toMs`: equal offsets at consecutive samples mean no
 * change between them, because no time zone changes its offset and back within six hours.
 */
export function constantOffset(timeZone: string, fromMs: number, toMs: number): number | null {
  const entry = zoneSamples(timeZone);
  if (!entry.zone.isValid) return null;
  const first = Math.floor(fromMs / SAMPLE_MS);
  const last = Math.ceil(toMs / SAMPLE_MS);
  const offset = offsetAtSample(entry, first);
  for (let sample = first + 1; sample <= last; sample++) {
    if (offsetAtSample(entry, sample) !== offset) return null;
  }
  return offset;
}

/** The zone's UTC offset in minutes at one instant (what luxon's `setZone` would use). */
export function offsetAt(timeZone: string, instantMs: number): number {
  return (
    constantOffset(timeZone, instantMs, instantMs) ?? zoneSamples(timeZone).zone.offset(instantMs)
  );
}

/**
 * Wall-clock milliseconds: the instant's local date and time in the zone, counted as if it were
 * UTC (so `Math.floor(wall / DAY_MS)` is the local day's number and the rest its time of day).
 */
export function wallClockMs(timeZone: string, instantMs: number): number {
  return instantMs + offsetAt(timeZone, instantMs) * MINUTE_MS;
}

/**
 * The margin around the instants a wall-clock time could name: more than any offset change
 * (at most two hours), so a wall-clock time whose neighbourhood has one offset names exactly one
 * instant.
 */
export const CHANGE_MARGIN_MS = 3 * HOUR_MS;

/** The weekday of a local day's number since 1970-01-01 (a Thursday), Monday = 0. */
export function weekdayIndex(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}
