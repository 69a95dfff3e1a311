/** A reservation as stored and as shown; instants as lib/time.ts stores them. */
import { randomUUID } from "node:crypto";
import type { AuthUser } from "../../lib/auth";

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
