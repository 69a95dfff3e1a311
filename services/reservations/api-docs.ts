/**
 * How the reservations actions the gateway routes appear in the API document
 * (services/api/openapi): summary, response and the error types each raises.
 */
import type { ActionSchema } from "moleculer";
import { ErrorType } from "../../lib/errors";
import { RULE_VIOLATIONS } from "./booking-rules";

type OperationDocs = NonNullable<ActionSchema["openapi"]>;

/** The Idempotency-Key header a create accepts. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export const apiDocs = {
  create: {
    summary: "Book a space",
    description:
      "Times without an offset are wall-clock time in the space's time zone. A retry with the " +
      "same Idempotency-Key answers the first request's reservation.",
    response: {
      status: 201,
      schema: "Reservation",
      description: "The confirmed reservation.",
      headers: {
        "Idempotent-Replayed": '"true" when this answers a retry with the first result.',
      },
    },
    requestHeaders: {
      "Idempotency-Key": {
        description: "Makes a retry safe: 1 to 128 visible ASCII characters, unique per booking.",
        pattern: IDEMPOTENCY_KEY.source,
      },
    },
    errors: [
      ErrorType.SPACE_NOT_FOUND,
      ErrorType.RESERVATION_CONFLICT,
      ErrorType.CONCURRENT_UPDATE,
      ErrorType.REQUEST_IN_PROGRESS,
      ErrorType.IDEMPOTENCY_KEY_REUSED,
      ...RULE_VIOLATIONS,
    ],
  },
  get: {
    summary: "One reservation",
    description: "Someone else's reservation answers 404 to a member, as if it did not exist.",
    response: { schema: "Reservation", description: "The reservation." },
    errors: [ErrorType.RESERVATION_NOT_FOUND],
  },
  calendar: {
    summary: "One reservation as an iCalendar file",
    description:
      "For a person's own calendar; the same UID as the e-mailed invitations, so calendars " +
      "keep one event. A cancelled reservation comes as a cancellation.",
    response: {
      text: { mediaType: "text/calendar", description: "An iCalendar file with one event." },
      description: "The reservation as an .ics file.",
      attachment: true,
    },
    errors: [ErrorType.RESERVATION_NOT_FOUND, ErrorType.SPACE_NOT_FOUND],
  },
  list: {
    summary: "List reservations by start time",
    description:
      "Members see their own; managers and admins everyone's, or one owner's with `ownerId`. " +
      "The earliest first, or the latest first with `sort=-start`.",
    response: { schema: "ReservationPage", description: "One page of reservations." },
  },
  reschedule: {
    summary: "Change a reservation's time or title",
    description:
      "The new time is secured before the old one is released; when it is taken the " +
      "reservation stays as it was.",
    response: { schema: "Reservation", description: "The reservation as changed." },
    errors: [
      ErrorType.RESERVATION_NOT_FOUND,
      ErrorType.RESERVATION_CANCELLED,
      ErrorType.RESERVATION_ENDED,
      ErrorType.RESERVATION_CONFLICT,
      ErrorType.CONCURRENT_UPDATE,
      ...RULE_VIOLATIONS,
    ],
  },
  cancel: {
    summary: "Cancel a reservation",
    description:
      "The time is free again at once. Cancelling twice answers the cancelled reservation. " +
      "A `reason` (a manager cancelling someone else's) is kept as `cancellationNote` and " +
      "told to the owner.",
    response: { schema: "Reservation", description: "The cancelled reservation." },
    errors: [
      ErrorType.RESERVATION_NOT_FOUND,
      ErrorType.RESERVATION_ENDED,
      ErrorType.CONCURRENT_UPDATE,
    ],
  },
  availability: {
    summary: "When a space is busy and when it is free",
    description:
      "In [from, to), at most 62 days. Members see when others booked, never who or what.",
    response: { schema: "Availability", description: "Busy and free intervals." },
    errors: [ErrorType.SPACE_NOT_FOUND, ErrorType.INVALID_WINDOW, ErrorType.WINDOW_TOO_LARGE],
  },
} satisfies Record<string, OperationDocs>;
