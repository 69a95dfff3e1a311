/**
 * In-app notifications: one per event and recipient (or per reminder), made once however often
 * the event is delivered and however many instances run, because each has a unique `key`. Who
 * makes one also sends its e-mail (email-delivery.ts).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "moleculer";
import { calendarSequence } from "../../lib/calendar";
import type { Locale } from "../../lib/config";
import type { PublicReservation } from "../../lib/events/reservation-events";
import type { PublicSpace } from "../../lib/events/space-events";
import { isUniqueViolation } from "../../lib/store";
import { inAppMessage, type NotificationKind } from "./content";
import { firstAttemptEnds, sendMade, type EmailDeps, type Mailable } from "./email-delivery";

export interface NotificationRecord extends Mailable {
  key: string;
  read: boolean;
  createdAt: string;
}

export interface NotifyDeps extends EmailDeps {
  loadSpace(spaceId: string): Promise<Pick<PublicSpace, "name" | "timeZone">>;
  logger: Logger;
}

export interface Notice {
  /** Unique per notification: `eventId|userId`, or for a reminder `reminder|id|start`. */
  key: string;
  userId: string;
  kind: NotificationKind;
  reservation: Pick<PublicReservation, "id" | "spaceId" | "start" | "end" | "title" | "updatedAt">;
  /** For cancellations: why. */
  reason?: string;
  /** A manager's words on why they cancelled it. */
  note?: string;
  /** Someone other than the owner made the change. */
  byOther?: boolean;
  /** The space's name and zone, when the event carried them; asked of `spaces` otherwise. */
  space?: Pick<PublicSpace, "name" | "timeZone">;
}

/** Makes the notification unless it exists; who makes it sends its e-mail. */
export async function notify(deps: NotifyDeps, notice: Notice): Promise<void> {
  const { key, userId, kind, reservation } = notice;
  const contact = await deps.contactOf(userId);
  // Unknown, deactivated or erased: nobody to tell, and nothing to keep about them.
  if (!contact) return;
  const space = notice.space ?? (await deps.loadSpace(reservation.spaceId));
  const createdAt = new Date().toISOString();
  const record: NotificationRecord = {
    _id: randomUUID(),
    key,
    userId,
    kind,
    reservationId: reservation.id,
    spaceName: space.name,
    timeZone: space.timeZone,
    start: reservation.start,
    end: reservation.end,
    title: reservation.title,
    ...(notice.reason ? { reason: notice.reason } : {}),
    ...(notice.note ? { note: notice.note } : {}),
    ...(notice.byOther ? { byOther: true } : {}),
    sequence: calendarSequence(reservation.updatedAt),
    read: false,
    createdAt,
    email: "pending",
    emailAt: firstAttemptEnds(createdAt),
  };
  try {
    await deps.notifications.insert(record);
    deps.logger.debug("Notification made", { kind, reservationId: reservation.id });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Made before (a redelivery, or another instance): its maker sends the e-mail, or, if that
    // maker died, `retryUnsent` does once its `emailAt` has passed.
    return;
  }
  // The notification is made; an e-mail the mail server refused is owed, not lost: it is sent
  // later (retryUnsent). Failing the event for it would only redeliver the whole event.
  await sendMade(deps, record, contact).catch(err =>
    deps.logger.warn("E-mail not sent yet; it is tried again later", {
      notificationId: record._id,
      error: (err as Error).message,
    }),
  );
}

/** A notification as its recipient sees it, in their language. */
export function toPublicNotification(record: NotificationRecord, locale: Locale) {
  return {
    id: record._id,
    kind: record.kind,
    message: inAppMessage(record, locale),
    read: record.read,
    createdAt: record.createdAt,
    reservation: {
      id: record.reservationId,
      spaceName: record.spaceName,
      timeZone: record.timeZone,
      start: record.start,
      end: record.end,
      title: record.title,
    },
  };
}
