/**
 * notifications: tells people about their reservations, in the app and by e-mail, and reminds
 * them before a reservation starts. Fed by the durable `reservation.*` and `user.erased` events.
 *
 * Exactly once in effect, however often an event is delivered and however many instances run:
 * - each notification has a unique `key` (the event id and recipient, or for a reminder the
 *   reservation and its start), so a redelivered event or a second instance finds it made;
 * - its e-mail is claimed before it is sent by inserting the notification's id into
 *   `email_claims` under its unique index, so only one instance sends it; a send that fails
 *   gives the claim back and is retried. (A conditional update is not enough: the Mongo-wire
 *   server the tests run on does not make one atomic, and two instances would both "win".)
 * - reminders are kept per reservation, newest state wins, so a cancelled or moved reservation
 *   never gets a stale one; a due reminder makes its notification under the same unique key.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { createDbMixin } from "../mixins/db.mixin";
import { findMany, isUniqueViolation, upsertNewer } from "../lib/store";
import { idParam } from "../lib/params";
import { requireUser, type AuthMeta } from "../lib/auth";
import { loadConfig, type AppConfig, type Locale } from "../lib/config";
import { ErrorType, fail } from "../lib/errors";
import { findPage, pageParams } from "../lib/paging";
import { runEvery } from "../lib/periodic";
import type { ChannelHandlers } from "../lib/events/envelope";
import {
  CancellationReason,
  ReservationEvent,
  type PublicReservation,
  type ReservationEnvelope,
  type ReservationEvents,
} from "../lib/events/reservation-events";
import type { PublicSpace } from "../lib/events/space-events";
import { UserEvent, type UserEvents } from "../lib/events/user-events";
import {
  inAppMessage,
  mailContent,
  type NotificationKind,
  type NotificationSubject,
} from "./notifications/content";
import { createMailer, type Mailer } from "./notifications/mailer";
import { calendarSequence } from "../lib/calendar";

/** An e-mail still `sending` after this long belongs to an instance that died: send again. */
const SENDING_TIMEOUT_MS = 2 * 60_000;
/** A `pending` e-mail not tried for this long (never, or it failed) is tried again by the tick. */
const EMAIL_RETRY_MS = 60_000;
const TICK_BATCH = 100;

type EmailState = "pending" | "sending" | "sent" | "none";

export interface NotificationRecord extends NotificationSubject {
  _id: string;
  key: string;
  userId: string;
  read: boolean;
  createdAt: string;
  email: EmailState;
  emailAt?: string;
}

interface ReminderRecord {
  _id: string;
  userId?: string;
  spaceId?: string;
  start?: string;
  end?: string;
  title?: string;
  remindAt?: string;
  status: "scheduled" | "sent" | "cancelled" | "missed";
  updatedAt: string;
}

interface EmailClaim {
  _id: string;
  userId: string;
  claimedAt: string;
  /** Written only by the claim's holder, so no other write can undo it. */
  sentAt?: string;
}

interface Contact {
  email: string;
  name: string;
  locale: Locale;
}

interface NotificationsVars {
  adapter: DbAdapter;
  reminders: DbAdapter;
  emailClaims: DbAdapter;
  mailer: Mailer;
  stopTicks?: () => void;
}

interface NotificationsMethods {
  notify(
    key: string,
    userId: string,
    kind: NotificationKind,
    reservation: Pick<
      PublicReservation,
      "id" | "spaceId" | "start" | "end" | "title" | "updatedAt"
    >,
    extra?: { reason?: string; note?: string; byOther?: boolean },
  ): Promise<void>;
  deliverEmail(record: NotificationRecord, contact?: Contact | null): Promise<void>;
  trackReminder(event: ReservationEnvelope): Promise<void>;
  tick(): Promise<void>;
}

type NotificationsThis = Service & NotificationsVars & NotificationsMethods;

export interface NotificationsOptions {
  /** How often due reminders and unsent e-mails are looked for; REMINDER_CHECK_SECONDS otherwise. */
  tickMs?: number;
  /** How long an unsent e-mail waits before the tick tries it (again); one minute otherwise. */
  emailRetryMs?: number;
}

function toPublicNotification(record: NotificationRecord, locale: Locale) {
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

async function onReservationEvent(this: NotificationsThis, event: ReservationEnvelope) {
  const { reservation, by } = event.data;
  const reason = event.type === ReservationEvent.CANCELLED ? event.data.reason : undefined;
  await this.trackReminder(event);
  // The owner's data is being erased: this cancellation is part of it, nobody is told.
  if (reason === CancellationReason.OWNER_ERASED) return;
  await this.notify(
    `${event.eventId}|${reservation.ownerId}`,
    reservation.ownerId,
    event.type,
    reservation,
    { reason, note: reservation.cancellationNote, byOther: by !== reservation.ownerId },
  );
}

export function createNotificationsService(
  config: AppConfig,
  options: NotificationsOptions = {},
): ServiceSchema<ServiceSettingSchema, NotificationsMethods, NotificationsVars> {
  const tickMs = options.tickMs ?? config.reminderCheckSeconds * 1000;
  const emailRetryMs = options.emailRetryMs ?? EMAIL_RETRY_MS;

  return {
    name: "notifications",

    mixins: [
      createDbMixin(
        {
          collection: "notifications",
          indexes: [
            { fields: { key: 1 }, unique: true },
            { fields: { userId: 1, createdAt: -1 } },
            { fields: { email: 1, emailAt: 1 } },
          ],
          extra: [
            {
              collection: "reminders",
              property: "reminders",
              indexes: [{ fields: { status: 1, remindAt: 1 } }, { fields: { userId: 1 } }],
            },
            {
              collection: "email_claims",
              property: "emailClaims",
              indexes: [{ fields: { sentAt: 1, claimedAt: 1 } }, { fields: { userId: 1 } }],
            },
          ],
        },
        config,
      ),
    ],

    channels: {
      [ReservationEvent.CREATED]: onReservationEvent,
      [ReservationEvent.UPDATED]: onReservationEvent,
      [ReservationEvent.CANCELLED]: onReservationEvent,
      async [UserEvent.ERASED](event) {
        await this.adapter.removeMany({ userId: event.data.userId });
        await this.reminders.removeMany({ userId: event.data.userId });
        await this.emailClaims.removeMany({ userId: event.data.userId });
      },
    } satisfies ChannelHandlers<ReservationEvents & UserEvents, NotificationsThis>,

    actions: {
      /** The signed-in user's notifications, newest first, with the number unread. */
      list: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: {
          summary: "Your notifications, newest first",
          response: {
            schema: "NotificationPage",
            description: "One page, with the number unread.",
          },
        },
        params: {
          unread: { type: "boolean", convert: true, optional: true },
          ...pageParams,
          $$strict: true,
        },
        async handler(
          this: NotificationsThis,
          ctx: Context<{ unread?: boolean; page: number; pageSize: number }, AuthMeta>,
        ) {
          const user = requireUser(ctx);
          const query: Record<string, unknown> = { userId: user.id };
          if (ctx.params.unread) query.read = false;
          const [page, unread] = await Promise.all([
            findPage(
              this.adapter,
              {
                query,
                sort: ["-createdAt"],
                page: ctx.params.page,
                pageSize: ctx.params.pageSize,
              },
              (record: NotificationRecord) => toPublicNotification(record, user.locale),
            ),
            this.adapter.count({ query: { userId: user.id, read: false } }),
          ]);
          return { ...page, unread };
        },
      },

      /** Marks all of the signed-in user's notifications as read: `{ marked, unread: 0 }`. */
      markAllRead: {
        visibility: "published",
        openapi: {
          summary: "Mark all your notifications read",
          response: { schema: "MarkedAllRead", description: "How many were marked." },
        },
        params: { $$strict: true },
        async handler(this: NotificationsThis, ctx: Context<object, AuthMeta>) {
          const user = requireUser(ctx);
          const marked = await this.adapter.updateMany(
            { userId: user.id, read: false },
            { $set: { read: true } },
          );
          return { marked, unread: 0 };
        },
      },

      /** Marks one of the signed-in user's notifications as read. */
      markRead: {
        visibility: "published",
        openapi: {
          summary: "Mark one of your notifications read",
          response: { schema: "Notification", description: "The notification, read." },
          errors: [ErrorType.NOTIFICATION_NOT_FOUND],
        },
        params: { id: idParam, $$strict: true },
        async handler(this: NotificationsThis, ctx: Context<{ id: string }, AuthMeta>) {
          const user = requireUser(ctx);
          const changed = await this.adapter.updateMany(
            { _id: ctx.params.id, userId: user.id },
            { $set: { read: true } },
          );
          if (changed === 0) {
            const mine = (await this.adapter.findOne({
              _id: ctx.params.id,
              userId: user.id,
            })) as NotificationRecord | null;
            // Already read is fine; someone else's answers as if it did not exist.
            if (!mine) fail(ErrorType.NOTIFICATION_NOT_FOUND);
          }
          const record = (await this.adapter.findById(ctx.params.id)) as NotificationRecord;
          return toPublicNotification(record, user.locale);
        },
      },

      /** Internal (not routed): what this service holds about a user, for the GDPR export. */
      exportFor: {
        visibility: "public",
        params: { userId: idParam, $$strict: true },
        async handler(this: NotificationsThis, ctx: Context<{ userId: string }>) {
          const [notifications, reminders] = await Promise.all([
            findMany<NotificationRecord>(this.adapter, {
              query: { userId: ctx.params.userId },
              sort: ["createdAt"],
            }),
            findMany<ReminderRecord>(this.reminders, { query: { userId: ctx.params.userId } }),
          ]);
          return {
            notifications: notifications.map(n => ({
              ...toPublicNotification(n, "en"),
              email: n.email,
            })),
            reminders: reminders.map(r => ({
              reservationId: r._id,
              remindAt: r.remindAt,
              status: r.status,
            })),
          };
        },
      },
    },

    methods: {
      async notify(this: NotificationsThis, key, userId, kind, reservation, extra = {}) {
        const contact = await this.broker.call<Contact | null, { id: string }>("users.contact", {
          id: userId,
        });
        // Unknown, deactivated or erased: nobody to tell, and nothing to keep about them.
        if (!contact) return;
        const space = await this.broker.call<PublicSpace, { id: string }>("spaces.get", {
          id: reservation.spaceId,
        });
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
          ...(extra.reason ? { reason: extra.reason } : {}),
          ...(extra.note ? { note: extra.note } : {}),
          ...(extra.byOther ? { byOther: true } : {}),
          sequence: calendarSequence(reservation.updatedAt),
          read: false,
          createdAt,
          email: "pending",
          emailAt: createdAt,
        };
        let stored = record;
        try {
          await this.adapter.insert(record);
          this.logger.debug("Notification made", { kind, reservationId: reservation.id });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          // Made before (a redelivery, or another instance): only its e-mail may still be due.
          stored = (await this.adapter.findOne({ key })) as NotificationRecord;
        }
        // The notification is made; an e-mail the mail server refused is owed, not lost: the
        // tick sends it later. Failing the event for it would only redeliver the whole event.
        await this.deliverEmail(stored, contact).catch(err =>
          this.logger.warn("E-mail not sent yet; it is tried again later", {
            notificationId: stored._id,
            error: (err as Error).message,
          }),
        );
      },

      async deliverEmail(this: NotificationsThis, record, known) {
        if (record.email !== "pending") return;
        const contact =
          known === undefined
            ? await this.broker.call<Contact | null, { id: string }>("users.contact", {
                id: record.userId,
              })
            : known;
        if (!contact) {
          await this.adapter.updateMany(
            { _id: record._id, email: "pending" },
            { $set: { email: "none" } },
          );
          return;
        }
        const claim: EmailClaim = {
          _id: record._id,
          userId: record.userId,
          claimedAt: new Date().toISOString(),
        };
        try {
          await this.emailClaims.insert(claim);
        } catch (err) {
          if (isUniqueViolation(err)) return; // Sent, or being sent, by someone else.
          throw err;
        }
        await this.adapter.updateMany({ _id: record._id }, { $set: { email: "sending" } });
        try {
          await this.mailer.send(contact.email, mailContent(record, contact.locale, contact.name));
        } catch (err) {
          await this.adapter.updateMany(
            { _id: record._id },
            { $set: { email: "pending", emailAt: new Date().toISOString() } },
          );
          await this.emailClaims.removeById(record._id);
          throw err;
        }
        const sentAt = new Date().toISOString();
        await this.emailClaims.updateMany({ _id: record._id }, { $set: { sentAt } });
        await this.adapter.updateMany(
          { _id: record._id },
          { $set: { email: "sent", emailAt: sentAt } },
        );
      },

      async trackReminder(this: NotificationsThis, event) {
        const r = event.data.reservation;
        if (event.type === ReservationEvent.CANCELLED) {
          await upsertNewer(this.reminders, r.id, { status: "cancelled", updatedAt: r.updatedAt });
          return;
        }
        const remindAt = DateTime.fromISO(r.start, { zone: "utc" })
          .minus({ minutes: config.reminderMinutes })
          .toISO()!;
        await upsertNewer(this.reminders, r.id, {
          userId: r.ownerId,
          spaceId: r.spaceId,
          start: r.start,
          end: r.end,
          title: r.title,
          remindAt,
          status: "scheduled",
          updatedAt: r.updatedAt,
        });
      },

      /** Sends due reminders and retries e-mails that were not sent; safe on every instance. */
      async tick(this: NotificationsThis) {
        const now = new Date().toISOString();
        const due = await findMany<Required<ReminderRecord>>(this.reminders, {
          query: { status: "scheduled", remindAt: { $lte: now } },
          sort: ["remindAt"],
          limit: TICK_BATCH,
        });
        for (const reminder of due) {
          const guard = { _id: reminder._id, status: "scheduled", start: reminder.start };
          if (reminder.start <= now) {
            await this.reminders.updateMany(guard, { $set: { status: "missed" } });
            continue;
          }
          const key = `reminder|${reminder._id}|${reminder.start}`;
          // Another instance's tick got there first: nothing to make, only to mark.
          const made = await this.adapter.findOne({ key });
          if (!made) {
            await this.notify(key, reminder.userId, "reservation.reminder", {
              id: reminder._id,
              ...reminder,
            });
          }
          await this.reminders.updateMany(guard, { $set: { status: "sent" } });
        }

        // A claim whose e-mail never got sent belongs to an instance that died while sending.
        const stale = await findMany<EmailClaim>(this.emailClaims, {
          query: {
            sentAt: { $exists: false },
            claimedAt: { $lt: new Date(Date.now() - SENDING_TIMEOUT_MS).toISOString() },
          },
          limit: TICK_BATCH,
        });
        for (const claim of stale) {
          await this.emailClaims.removeMany({ _id: claim._id, claimedAt: claim.claimedAt });
          await this.adapter.updateMany(
            { _id: claim._id },
            { $set: { email: "pending", emailAt: claim.claimedAt } },
          );
        }
        const unsent = await findMany<NotificationRecord>(this.adapter, {
          query: {
            email: "pending",
            emailAt: { $lt: new Date(Date.now() - emailRetryMs).toISOString() },
          },
          limit: TICK_BATCH,
        });
        for (const record of unsent) await this.deliverEmail(record);
      },
    },

    created(this: NotificationsThis) {
      this.mailer = createMailer(config, this.logger);
    },

    started(this: NotificationsThis) {
      this.stopTicks = runEvery(
        tickMs,
        () => this.tick(),
        err => this.logger.warn("Notification tick failed", err),
      );
    },

    stopped(this: NotificationsThis) {
      this.stopTicks?.();
      this.mailer.close();
    },
  };
}

export default createNotificationsService(loadConfig());
