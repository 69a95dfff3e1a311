/**
 * The no-overlap guarantee rests on this: a confirmed reservation claims every 15-minute cell of
 * a fixed UTC grid that it covers, one document per cell with a unique key `spaceId|cellStart`.
 * Two overlapping reservations of a space cover at least one common cell, so the second insert
 * collides on the unique index, whichever instance on whichever node makes it. The grid is fixed
 * (not the space's slot size), so a later change of a space's rules cannot open gaps.
 */
import { DateTime } from "luxon";

export const CLAIM_CELL_MINUTES = 15;
const CELL_MS = CLAIM_CELL_MINUTES * 60_000;

export function claimKeys(spaceId: string, start: DateTime, end: DateTime): string[] {
  const keys: string[] = [];
  const first = Math.floor(start.toMillis() / CELL_MS) * CELL_MS;
  for (let cell = first; cell < end.toMillis(); cell += CELL_MS) {
    keys.push(`${spaceId}|${DateTime.fromMillis(cell, { zone: "utc" }).toISO()}`);
  }
  return keys;
}

/** The cells of a stored reservation's time (its UTC instants as stored). */
export function storedCells(record: { spaceId: string; start: string; end: string }): string[] {
  return claimKeys(
    record.spaceId,
    DateTime.fromISO(record.start, { zone: "utc" }),
    DateTime.fromISO(record.end, { zone: "utc" }),
  );
}
