/**
 * Values of the REST API that belong to a service but that the gateway's API document also
 * names: kept here, outside `services/`, so the gateway imports no service's internals.
 */
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
