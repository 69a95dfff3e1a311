/**
 * The events `reservations` publishes, and the reservation as it crosses services (in these
 * events and over the REST API). Consumed by `notifications` and `reports`.
 */
import type { EnvelopeOf } from "./envelope";
import type { PublicSpace } from "./space-events";

export const RESERVATION_STATUSES = ["pending", "confirmed", "cancelled"] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A reservation as clients and other services see it. */
export interface PublicReservation {
  id: string;
  spaceId: PublicSpace["id"];
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

/**
 * Why a reservation was cancelled. `owner-erased`: its owner's data is being erased (the title
 * is empty, and nobody is told).
 */
export const CancellationReason = {
  CANCELLED: "cancelled",
  SPACE_DEACTIVATED: "space-deactivated",
  OWNER_ERASED: "owner-erased",
} as const;
export type CancellationReasonName = (typeof CancellationReason)[keyof typeof CancellationReason];

export const ReservationEvent = {
  CREATED: "reservation.created",
  UPDATED: "reservation.updated",
  CANCELLED: "reservation.cancelled",
} as const;

/**
 * The space's name and time zone when the change was made, which `reservations` has read anyway,
 * so a consumer telling someone about the booking need not ask `spaces` for every event. Absent
 * from cancellations and from events made before it existed (30 Nov): consumers ask then.
 */
export type EventSpace = Pick<PublicSpace, "name" | "timeZone">;

/** `by` is the id of the user who made the change. */
export interface ReservationEvents {
  [ReservationEvent.CREATED]: { reservation: PublicReservation; by: string; space?: EventSpace };
  [ReservationEvent.UPDATED]: {
    reservation: PublicReservation;
    previous: Pick<PublicReservation, "start" | "end" | "title">;
    by: string;
    space?: EventSpace;
  };
  [ReservationEvent.CANCELLED]: {
    reservation: PublicReservation;
    reason: CancellationReasonName;
    by: string;
  };
}

export const RESERVATION_EVENTS = Object.values(ReservationEvent);

/** Any of the reservation events' envelopes, told apart by `type`. */
export type ReservationEnvelope = {
  [K in keyof ReservationEvents]: EnvelopeOf<ReservationEvents, K>;
}[keyof ReservationEvents];
