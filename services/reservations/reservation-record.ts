/** A reservation as stored and as shown; instants as lib/time.ts stores them. */
import { randomUUID } from "node:crypto";
import type { AuthUser } from "../../lib/auth";
import { calendarSequence, ICalCalendarMethod, reservationCalendar } from "../../lib/calendar";
import type { BookableSpace } from "../../lib/bookable-space";
import type { EnvelopeOf } from "../../lib/events/envelope";
import type {
  PublicReservation,
  ReservationEvent,
  ReservationEvents,
  ReservationStatus,
} from "../../lib/events/reservation-events";
import type { PublicSpace } from "../../lib/events/space-events";

/**
 * What reservations reads of a space (`spaces.forBooking`): what it shows and the rules, and the
 * site its reservations are keyed by (`siteDays`).
 */
export type SpaceView = Pick<PublicSpace, "id" | "name"> & BookableSpace & { siteGroup: string };

export interface ReservationRecord {
  /** A UUID made by the service, so claims can name their reservation before it is confirmed. */
  _id: string;
  spaceId: string;
  ownerId: string;
  title: string;
  start: string;
  end: string;
  /**
   * The UTC days [start, end) touches (lib/utc-days.ts), so "which spaces are free" for a window
   * within one day filters by equality, which FerretDB hands to PostgreSQL. Records stored before
   * it existed get it at start (day-buckets.ts).
   */
  days?: string[];
  /**
   * `spaceId|yyyy-MM-dd` for each of those days (lib/space-days.ts), so the embedded store reads
   * a window of some spaces from one index lookup per space and day (window-query.ts). Written on
   * MongoDB too, where nothing reads it: one record shape, one way to write it. Records stored
   * before it existed get it at start (day-buckets.ts).
   */
  spaceDays?: string[];
  /**
   * `siteGroup|yyyy-MM-dd` for each of those days (lib/space-days.ts), the site group being the
   * site the space was first on (spaces/space-record.ts, `siteGroupOf`), so a free-space search
   * of one site reads that site's reservations of the day, by equality, which FerretDB hands to
   * PostgreSQL (window-query.ts). Empty for a space that spaces does not know. Records stored
   * before it existed get it at start (day-buckets.ts).
   */
  siteDays?: string[];
  /**
   * `spaceId|yyyy-MM` for each UTC month of those days, so the availability of one space on
   * MongoDB reads the months of its window, by equality (window-query.ts), not every reservation
   * the space ever had. Records stored before it existed get it at start (day-buckets.ts).
   */
  spaceMonths?: string[];
  /**
   * Its owner and its space, from its create until a day after it ended (open-keys.ts), so the
   * lists of what has not ended read only those. The owner's goes when the owner is erased.
   */
  openOwner?: string;
  openSpace?: string;
  /** It ended over a day ago and lost its open keys (open-keys.ts, `closeEnded`). */
  closed?: boolean;
  /** `pending` only while its slots are being claimed; clients see confirmed or cancelled. */
  status: ReservationStatus;
  /**
   * When it became pending (its `createdAt`), only while it is: the embedded store finds
   * abandoned creates by it (lifecycle.ts, `abandonedQuery`).
   */
  pendingSince?: string;
  /**
   * A pending record's `reservation.created` event, made with the record. Its create publishes
   * it before confirming, so whoever completes the record (its create, or after a crash the
   * sweep) publishes this same event, and consumers act on it once (lifecycle.ts).
   */
  createdEvent?: EnvelopeOf<ReservationEvents, typeof ReservationEvent.CREATED>;
  /** Bumped by every change, so two concurrent changes cannot both apply. */
  version: number;
  /** `ownerId|Idempotency-Key`, unique: a retried create finds the first result. */
  idempotencyKey?: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  cancelledBy?: string;
  /** Why a manager cancelled it, in their words, for the owner to read. */
  cancellationNote?: string;
}

/**
 * Who owns, or cancelled, a reservation once that person was erased: nobody. Stands in for a
 * user id in `ownerId` and `cancelledBy`.
 */
export const ERASED_USER_ID = "erased";

export function newReservationId(): string {
  return randomUUID();
}

export function toPublicReservation(record: ReservationRecord): PublicReservation {
  return {
    id: record._id,
    spaceId: record.spaceId,
    ownerId: record.ownerId,
    title: record.title,
    start: record.start,
    end: record.end,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.cancelledAt ? { cancelledAt: record.cancelledAt } : {}),
    ...(record.cancellationNote ? { cancellationNote: record.cancellationNote } : {}),
  };
}

export function canManageAll(user: AuthUser): boolean {
  return user.role === "manager" || user.role === "admin";
}

export function mayAccess(user: AuthUser, record: ReservationRecord): boolean {
  return canManageAll(user) || record.ownerId === user.id;
}

/** The reservation as an iCalendar file: the UID of the e-mailed invitations, so calendars keep one event. */
export function toCalendarFile(record: ReservationRecord, spaceName: string): string {
  const cancelled = record.status === "cancelled";
  return reservationCalendar(
    {
      reservationId: record._id,
      spaceName,
      start: record.start,
      end: record.end,
      title: record.title,
      cancelled,
      sequence: calendarSequence(record.updatedAt),
    },
    cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  );
}
