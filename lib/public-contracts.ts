/**
 * Values of the REST API that belong to a service but that the gateway's API document also
 * names: kept here, outside `services/`, so the gateway imports no service's internals.
 */
import { ErrorType } from "./errors";
import { RESERVATION_EVENTS } from "./events/reservation-events";

/** The kinds of in-app notification: one per reservation event, and the reminder. */
export const NOTIFICATION_KINDS = [...RESERVATION_EVENTS, "reservation.reminder"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How the utilisation report groups its rows. */
export const GROUP_BY = ["space", "location"] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/**
 * What became of a notification's e-mail, as the GDPR export shows it. `pending`: owed;
 * `sending`: claimed; `sent`: the mail server accepted it; `logged`: no mail server is
 * configured (SMTP_URL), so it was only written to the log and nobody received it; `none`:
 * nobody to send it to.
 */
export const EMAIL_STATES = ["pending", "sending", "sent", "logged", "none"] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

/** The error types by which the booking rules refuse an interval, all 422. */
export const RULE_VIOLATIONS = [
  ErrorType.END_NOT_AFTER_START,
  ErrorType.IN_THE_PAST,
  ErrorType.TOO_SHORT,
  ErrorType.TOO_LONG,
  ErrorType.BEYOND_HORIZON,
  ErrorType.OUTSIDE_OPENING_HOURS,
  ErrorType.NOT_ALIGNED,
  ErrorType.SPACE_INACTIVE,
] as const;
export type RuleViolationType = (typeof RULE_VIOLATIONS)[number];

/** Why a space a search found cannot be booked for its window: a rule, or it is booked. */
export const UNAVAILABLE_REASONS = [...RULE_VIOLATIONS, ErrorType.RESERVATION_CONFLICT] as const;
