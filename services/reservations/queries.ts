/**
 * What reservations reads without changing anything: the reservations overlapping a window, a
 * page of reservations as a person may list them, a person's data for their GDPR export, and
 * which spaces are free for a window.
 */
import type { DateTime } from "luxon";
import type { DbAdapter } from "moleculer-db";
import type { AuthUser } from "../../lib/auth";
import type { BookableSpace } from "../../lib/bookable-space";
import { idParam, instantParam } from "../../lib/params";
import { findEach, findMany } from "../../lib/store";
import { parseInstant, toStored } from "../../lib/time";
import { ErrorType } from "../../lib/errors";
import { checkBooking, type RuleViolationType } from "./booking-rules";
import { canManageAll, toPublicReservation, type ReservationRecord } from "./reservation-record";
import { openScope } from "./open-keys";
import { windowQueries, type WindowReads, type WindowSpace } from "./window-query";

/**
 * The confirmed reservations of these spaces that overlap [from, to), by start, asked in the
 * shape that `reads.store` serves from an index (window-query.ts).
 */
export async function overlapping(
  reservations: DbAdapter,
  spaces: WindowSpace[],
  from: DateTime,
  to: DateTime,
  reads: WindowReads,
): Promise<ReservationRecord[]> {
  if (spaces.length === 0) return [];
  const queries = windowQueries(reads, spaces, from, to);
  const found = await findEach<ReservationRecord>(reservations, queries, ["start"]);
  // One query's answer is in order already; several are merged, a reservation once.
  const near =
    queries.length === 1
      ? found
      : found.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  // The status is checked here, not in the query: NeDB would serve `status` from its own index
  // instead, and read every confirmed reservation in the store.
  return near.filter(record => record.status === "confirmed");
}

export interface ListFilters {
  spaceId?: string;
  ownerId?: string;
  status?: "confirmed" | "cancelled";
  from?: string;
  to?: string;
}

/**
 * The store query for a list: members see their own; managers and admins anyone's. A list from
 * about now on asks by an open key where `open.stored` says every record has them (open-keys.ts).
 */
export function listQuery(
  filters: ListFilters,
  user: AuthUser,
  open: { stored: boolean; now: DateTime },
): Record<string, unknown> {
  const ownerId = canManageAll(user) ? filters.ownerId : user.id;
  const from = filters.from ? parseInstant(filters.from, "from", "utc") : undefined;
  const scope = {
    ...(ownerId ? { ownerId } : {}),
    ...(filters.spaceId ? { spaceId: filters.spaceId } : {}),
  };
  return {
    status: filters.status ?? { $in: ["confirmed", "cancelled"] },
    ...(from ? { end: { $gt: toStored(from) } } : {}),
    ...(filters.to ? { start: { $lt: toStored(parseInstant(filters.to, "to", "utc")) } } : {}),
    // Last: of the indexed fields asked by equality, NeDB serves the last (open-keys.ts).
    ...openScope(scope, from, open),
  };
}

/** A person's reservations, and when and where they cancelled someone else's. */
export async function exportOf(reservations: DbAdapter, userId: string) {
  const [own, cancelled] = await Promise.all([
    findMany<ReservationRecord>(reservations, {
      query: { ownerId: userId, status: { $in: ["confirmed", "cancelled"] } },
      sort: ["start"],
    }),
    findMany<ReservationRecord>(reservations, {
      query: { cancelledBy: userId, ownerId: { $ne: userId } },
      sort: ["start"],
    }),
  ]);
  return {
    own: own.map(toPublicReservation),
    // That they cancelled it is theirs; whose it was and what it was for is not.
    cancelledForOthers: cancelled.map(r => ({
      id: r._id,
      spaceId: r.spaceId,
      start: r.start,
      end: r.end,
      cancelledAt: r.cancelledAt,
    })),
  };
}

/** Why a space cannot be booked for a window: the rule it breaks, or that it is booked. */
export type Unavailable = RuleViolationType | typeof ErrorType.RESERVATION_CONFLICT;

/**
 * Which of these spaces one could book for exactly [from, to) (within their rules, not booked),
 * and for each of the others why not, as the error type a booking would be refused with.
 */
export async function availabilityAmong(
  reservations: DbAdapter,
  spaces: (BookableSpace & WindowSpace)[],
  window: { from: DateTime; to: DateTime },
  now: DateTime,
  reads: WindowReads,
): Promise<{ free: string[]; unavailable: Record<string, Unavailable> }> {
  const { from, to } = window;
  const unavailable: Record<string, Unavailable> = {};
  // The rules first: they need no store, and the store is asked only about spaces they allow.
  const bookable = spaces.filter(space => {
    const broken = checkBooking(space, from, to, now);
    if (broken) unavailable[space.id] = broken;
    return broken === null;
  });
  const records = await overlapping(reservations, bookable, from, to, reads);
  const booked = new Set(records.map(r => r.spaceId));
  for (const id of booked) unavailable[id] = ErrorType.RESERVATION_CONFLICT;
  return {
    free: bookable.filter(space => !booked.has(space.id)).map(space => space.id),
    unavailable,
  };
}

/** What `reservations.freeSpaces` is asked about each space: its id and what the rules read. */
export const bookableSpacesParam = {
  type: "array",
  max: 1000,
  items: {
    type: "object",
    props: {
      id: idParam,
      timeZone: { type: "string", max: 64 },
      openingHours: { type: "object" },
      rules: { type: "object" },
      active: { type: "boolean" },
      // Lower-cased, so it may be longer than the 100 characters of the site it came from.
      siteGroup: { type: "string", max: 400, optional: true },
    },
  },
} as const;

/** The parameters of the "free during" search's questions: some spaces and one window. */
export const spacesWindowParams = {
  spaces: bookableSpacesParam,
  from: instantParam,
  to: instantParam,
  $$strict: true,
} as const;
