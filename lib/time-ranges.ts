/**
 * Half-open spans of time [start, end) as epoch milliseconds, and the few operations the read
 * paths need on them. luxon's `Interval` does the same on `DateTime`s, at the price of an object
 * and a comparison through `valueOf()` per boundary; availability and reports do thousands.
 */
import { DateTime, Interval } from "luxon";

export interface TimeRange {
  start: number;
  end: number;
}

/**
 * The ranges merged into the fewest: overlapping or touching ones (Mon 08:00–24:00 and Tue
 * 00:00–08:00) become one, sorted by start. Empty ranges are left out.
 */
export function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = ranges.filter(r => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/** The parts of sorted, disjoint `ranges` inside [from, to), empty parts left out. */
export function clipRanges(ranges: TimeRange[], from: number, to: number): TimeRange[] {
  const clipped: TimeRange[] = [];
  for (const range of ranges) {
    const start = Math.max(range.start, from);
    const end = Math.min(range.end, to);
    if (end > start) clipped.push({ start, end });
  }
  return clipped;
}

/** The parts of sorted, disjoint `ranges` that no range of `taken` covers. */
export function subtractRanges(ranges: TimeRange[], taken: TimeRange[]): TimeRange[] {
  if (taken.length === 0) return ranges;
  const holes = mergeRanges(taken);
  const left: TimeRange[] = [];
  let h = 0;
  for (const range of ranges) {
    let start = range.start;
    // Holes that end before this range cannot touch it or any later one.
    while (h < holes.length && holes[h].end <= start) h++;
    for (let i = h; i < holes.length && holes[i].start < range.end; i++) {
      if (holes[i].start > start) left.push({ start, end: holes[i].start });
      start = Math.max(start, holes[i].end);
    }
    if (range.end > start) left.push({ start, end: range.end });
  }
  return left;
}

/** The total length of the ranges in milliseconds. */
export function totalMs(ranges: TimeRange[]): number {
  return ranges.reduce((sum, range) => sum + (range.end - range.start), 0);
}

/** A stored reservation's span: its instants are UTC ISO strings (lib/time.ts, `toStored`). */
export function storedRange(record: { start: string; end: string }): TimeRange {
  return { start: Date.parse(record.start), end: Date.parse(record.end) };
}

/** The same span as luxon sees it, in UTC. */
export function toInterval(range: TimeRange): Interval {
  return Interval.fromDateTimes(
    DateTime.fromMillis(range.start, { zone: "utc" }),
    DateTime.fromMillis(range.end, { zone: "utc" }),
  );
}
