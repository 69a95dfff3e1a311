/**
 * Keys by which the lists of what has not ended yet (a person's upcoming reservations, a space's)
 * read only those, not every reservation the person or space ever had.
 *
 * "Upcoming" is a range on `end`, and a range is what FerretDB 1.24 does not hand to PostgreSQL:
 * it fetches and decodes every reservation of the person (`ownerId`), past ones too, to keep
 * the few ahead, so a long-time user's list slowed down with every week they used MongoDB. A
 * reservation therefore carries `openOwner` and `openSpace` (its owner and space) from its
 * create until a day after it ended, when a pass removes them and marks it `closed`. A list from
 * a moment not long before now asks by equality on one of them, which PostgreSQL serves from an
 * index (and NeDB from its own), and checks `end` as before.
 *
 * The keys are a superset, never a subset: a reservation loses them only once it ended more
 * than CLOSE_AFTER_MS ago, and only lists from after that moment ask by them. A pass that runs
 * late leaves keys on ended reservations, which costs reading them, never missing one.
 */
import type { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import { findMany } from "../../lib/store";
import { toStored } from "../../lib/time";
import { utcDaysOf } from "../../lib/utc-days";
import { DAY_MS } from "../../lib/zone-offsets";
import { withReservationLock } from "./record-lock";
import { ERASED_USER_ID, type ReservationRecord } from "./reservation-record";

/** How long after its end a reservation keeps its open keys. */
export const CLOSE_AFTER_MS = DAY_MS;

/**
 * A list from no earlier than this before now asks by an open key: half of CLOSE_AFTER_MS, so
 * instances whose clocks differ by up to 12 hours still never close what another one lists.
 */
export const OPEN_READ_MARGIN_MS = CLOSE_AFTER_MS / 2;

/**
 * How many UTC days back the first closing pass of an instance looks. Reservations that ended
 * before that and were never closed (every instance was down for longer) keep their keys: they
 * cost reading, nothing else.
 */
export const FIRST_CLOSE_DAYS = 31;

const BATCH = 200;

export type OpenKeys = Pick<ReservationRecord, "openOwner" | "openSpace">;

/** The open keys of a new reservation of `ownerId` in `spaceId`. */
export function openKeysOf(ownerId: string, spaceId: string): Required<OpenKeys> {
  return { openOwner: ownerId, openSpace: spaceId };
}

/** Whether a reservation ending at `end` (stored) is closed at `now`. */
function endedLongAgo(end: string, now: DateTime): boolean {
  return Date.parse(end) < now.toMillis() - CLOSE_AFTER_MS;
}

/**
 * The query for the reservations of `scope` (an owner or a space; `{}` for all) that may not
 * have ended at `from`: by its open key when every record carries them (`stored`) and `from` is
 * recent enough, else by the scope as it is. The key comes last: of several indexed fields
 * asked by equality, NeDB serves the last one.
 */
export function openScope(
  scope: { ownerId?: string; spaceId?: string },
  from: DateTime | undefined,
  { stored, now }: { stored: boolean; now: DateTime },
): Record<string, unknown> {
  const recent = from !== undefined && from.toMillis() >= now.toMillis() - OPEN_READ_MARGIN_MS;
  if (!stored || !recent) return { ...scope };
  const { ownerId, spaceId } = scope;
  // Nobody's reservations carry an owner's key (`forgetUser` takes it off).
  if (ownerId === ERASED_USER_ID) return { ...scope };
  if (ownerId !== undefined) {
    return { ...(spaceId !== undefined ? { spaceId } : {}), openOwner: ownerId };
  }
  if (spaceId !== undefined) return { openSpace: spaceId };
  return {};
}

type Deps = { reservations: DbAdapter; locks: DbAdapter };

/** Writes `change` to record `id` under its lock, read again there; false when it did not. */
async function writeLocked(
  deps: Deps,
  id: string,
  change: (record: ReservationRecord) => Record<string, unknown> | null,
): Promise<boolean> {
  return withReservationLock(
    deps.locks,
    id,
    async () => {
      const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
      const update = record && change(record);
      if (!update) return false;
      await deps.reservations.updateMany({ _id: id }, update);
      return true;
    },
    // Still locked after the wait: a live change holds it; a later pass asks again.
    () => false,
  );
}

/** Open keys for a record an older version wrote, or `closed` when it ended long ago. */
function firstKeys(record: ReservationRecord, now: DateTime): Record<string, unknown> | null {
  if (record.openSpace !== undefined || record.closed) return null;
  if (endedLongAgo(record.end, now)) return { $set: { closed: true } };
  const keys = openKeysOf(record.ownerId, record.spaceId);
  // An erased owner is nobody's to list.
  if (record.ownerId === ERASED_USER_ID) return { $set: { openSpace: keys.openSpace } };
  return { $set: keys };
}

/** The owner's key on a record of an erased owner (an older version's erasure left it). */
function erasedOwnersKey(record: ReservationRecord): Record<string, unknown> | null {
  if (record.ownerId !== ERASED_USER_ID || record.openOwner === undefined) return null;
  return { $unset: { openOwner: true } };
}

/**
 * Writes `change` to every record `query` finds, each under its lock; how many it wrote, or
 * null when `stop` said to stop first. A record locked when asked is asked again; when only
 * those are left, the pass fails, to be tried again.
 */
async function passOver(
  deps: Deps,
  query: Record<string, unknown>,
  change: (record: ReservationRecord) => Record<string, unknown> | null,
  stop: () => boolean,
): Promise<number | null> {
  let written = 0;
  const seen = new Set<string>();
  for (;;) {
    if (stop()) return null;
    const batch = await findMany<ReservationRecord>(deps.reservations, { query, limit: BATCH });
    if (batch.length === 0) return written;
    const fresh = batch.filter(record => !seen.has(record._id));
    if (fresh.length === 0) throw new Error(`${batch.length} reservations stayed locked`);
    for (const { _id } of fresh) {
      seen.add(_id);
      if (await writeLocked(deps, _id, change)) written++;
    }
  }
}

/**
 * Gives the reservations an older version wrote (neither open keys nor `closed`) theirs, and
 * takes the owner's key off those of erased owners (an erasure by an older version, after a
 * rollback, left it); how many it wrote, or null when `stop` said to stop first. Until it is
 * done no list may ask by the keys. It writes under each record's lock, as every change of a
 * reservation does; a create of an older version writes without one, so the older instances
 * are stopped before the newer start (README.md, upgrading).
 */
export async function backfillOpenKeys(
  deps: Deps & { now(): DateTime },
  stop: () => boolean = () => false,
): Promise<number | null> {
  const given = await passOver(
    deps,
    { openSpace: { $exists: false }, closed: { $exists: false } },
    record => firstKeys(record, deps.now()),
    stop,
  );
  if (given === null) return null;
  const erased = await passOver(
    deps,
    { ownerId: ERASED_USER_ID, openOwner: { $exists: true } },
    erasedOwnersKey,
    stop,
  );
  return erased === null ? null : given + erased;
}

/**
 * The UTC days a closing pass at `now` asks for on MongoDB: from the last day the one before
 * it asked for (`closedThrough`; FIRST_CLOSE_DAYS back for an instance's first), which more may
 * have ended in since, through the day CLOSE_AFTER_MS before now. `through` is where the next
 * starts.
 */
export function daysToClose(
  closedThrough: string | undefined,
  now: DateTime,
): { days: string[]; through: string } {
  const through = toStored(now.minus(CLOSE_AFTER_MS)).slice(0, 10);
  const since = closedThrough ?? toStored(now.minus({ days: FIRST_CLOSE_DAYS })).slice(0, 10);
  // [since 00:00, through 00:00 + 1 ms): every day from one through the other.
  return { days: utcDaysOf(`${since}T00:00:00.000Z`, `${through}T00:00:00.001Z`), through };
}

/** The change that closes a record ended long ago at `now`; null for one that is not. */
function closing(record: ReservationRecord, now: DateTime): Record<string, unknown> | null {
  if (record.openSpace === undefined && record.openOwner === undefined) return null;
  if (!endedLongAgo(record.end, now)) return null;
  return { $unset: { openOwner: true, openSpace: true }, $set: { closed: true } };
}

/**
 * Closes the reservations that ended more than CLOSE_AFTER_MS before `now` and still carry
 * open keys: how many, and how many it found locked and left. On MongoDB it asks for the UTC
 * days `days` by equality (`days`, which FerretDB hands to PostgreSQL; a reservation ends on one
 * of its days); on NeDB, which keeps no index of `days`, for every open record at once, in
 * memory.
 */
export async function closeEndedKeys(
  deps: Deps & { store: "embedded" | "mongo" },
  now: DateTime,
  days: string[],
): Promise<{ closed: number; locked: number }> {
  const cutoff = toStored(now.minus(CLOSE_AFTER_MS));
  const queries =
    deps.store === "embedded"
      ? [{ openSpace: { $exists: true }, end: { $lt: cutoff } }]
      : days.map(day => ({ days: day, openSpace: { $exists: true }, end: { $lt: cutoff } }));
  let closed = 0;
  let locked = 0;
  for (const query of queries) {
    for (;;) {
      const batch = await findMany<ReservationRecord>(deps.reservations, { query, limit: BATCH });
      let wrote = 0;
      for (const { _id } of batch) {
        if (await writeLocked(deps, _id, record => closing(record, now))) wrote++;
      }
      closed += wrote;
      // Those it could not write were locked (the query finds only what is to be closed); a
      // full batch of them is left to the next pass, as is the rest of a batch that was not full.
      if (batch.length < BATCH || wrote === 0) {
        locked += batch.length - wrote;
        break;
      }
    }
  }
  return { closed, locked };
}
