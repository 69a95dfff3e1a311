/**
 * A reservation as stored and as shown, and how instants from clients are read.
 *
 * Instants are stored as UTC ISO strings of one fixed format ("2026-03-29T01:00:00.000Z"), so
 * string order is time order on both stores and range queries can use the indexes.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { Errors } from "moleculer";
import type { AuthUser } from "../../lib/auth";
import { ErrorType } from "../../lib/errors";

export const RESERVATION_STATUSES = ["pending", "confirmed", "cancelled"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationRecord {
  /** A UUID made by the service, so claims can name their reservation before it is confirmed. */
  _id: string;
  spaceId: string;
  ownerId: string;
  title: string;
  start: string;
  end: string;
  /** `pending` only while its slots are being claimed; clients see confirmed or cancelled. */
  status: ReservationStatus;
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

export interface PublicReservation {
  id: string;
  spaceId: string;
  ownerId: string;
  title: string;
  start: string;
  end: string;
  status: ReservationStatus;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  cancellationNote?: string;
}

/** The cancellation reason when the owner's data was erased; nobody is notified of these. */
export const OWNER_ERASED = "owner-erased";

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

export function toStored(instant: DateTime): string {
  return instant.toUTC().toISO()!;
}

/**
 * Reads an ISO 8601 date-time from a client. With an offset ("…Z", "…+01:00") it is that
 * instant; without one it is wall-clock time in `zone`, the space's own time zone, which is
 * what a person typing "2026-03-29T10:00" means. A date alone is the start of that local day.
 */
export function parseInstant(value: string, field: string, zone: string): DateTime {
  const parsed = DateTime.fromISO(value, { zone, setZone: true });
  if (!parsed.isValid) {
    const message = `'${field}' must be a date and time such as 2026-03-30T09:00:00+02:00.`;
    throw new Errors.ValidationError(message, ErrorType.VALIDATION_ERROR, [
      { field, type: "date", message },
    ]);
  }
  return parsed.toUTC();
}

/** Parameter schema for an ISO instant; the content is checked by `parseInstant`. */
export const instantParam = { type: "string", min: 10, max: 40 } as const;
