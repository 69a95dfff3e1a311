/**
 * notifications: tells people about their reservations, in the app and by e-mail, and reminds
 * them before a reservation starts. Fed by the durable `reservation.*` and `user.erased` events.
 * This file is the wiring; the three jobs are modules beside it:
 *
 * - notifications/in-app.ts: one notification per event and recipient, made once under a unique
 *   `key`, however often an event is delivered and however many instances run;
 * - notifications/email-delivery.ts: its e-mail, claimed before it is sent so one instance sends
 *   it, owed and retried when the mail server refuses it;
 * - notifications/reminders.ts: reminders kept per reservation, newest state wins, so a cancelled
 *   or moved reservation never gets a stale one.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createDbMixin } from "../mixins/db.mixin";
import { requireUser, type AuthMeta } from "../lib/auth";
import { loadConfig, type AppConfig, type Locale } from "../lib/config";
import { ErrorType, fail } from "../lib/errors";
import type { ChannelHandlers } from "../lib/events/envelope";
import {
  CancellationReason,
  ReservationEvent,
  type ReservationEnvelope,
  type ReservationEvents,
} from "../lib/events/reservation-events";
import type { PublicSpace } from "../lib/events/space-events";
import { UserEvent, type UserEvents } from "../lib/events/user-events";
import { findPage, pageParams } from "../lib/paging";
import { idParam } from "../lib/params";
import { runEvery } from "../lib/periodic";
import { findMany } from "../lib/store";
import { exportedNotification } from "./notifications/data-export";
import {
  dropOlderEmailTimes,
  markOlderClaims,
  retryUnsent,
  type Contact,
} from "./notifications/email-delivery";
import { notify, toPublicNotification, type NotificationRecord } from "./notifications/in-app";
import { createMailer, type Mailer } from "./notifications/mailer";
import {
  catchUpReminders,
  dropOlderRemindTimes,
  sendDueInSlots,
  sendDueReminders,
  trackReminder,
  type ReminderDeps,
  type ReminderRecord,
} from "./notifications/reminders";

/** A `pending` e-mail not tried for this long (never, or it failed) is tried again by the tick. */
const EMAIL_RETRY_MS = 60_000;

interface NotificationsVars {
  adapter: DbAdapter;
  reminders: DbAdapter;
  emailClaims: DbAdapter;
  mailer: Mailer;
  /** What the notification modules work with, built once in `created`. */
  deps: ReminderDeps;
  stopTicks?: () => void;
  /** Whether `markOlderRecords` has run on this instance. */
  olderRecordsMarked?: boolean;
  /**
   * On MongoDB, the due slot the next tick starts asking from (reminders.ts); none until the
   * catch-up pass has run.
   */
  reminderCursor?: string;
}

interface NotificationsMethods {
  tick(): Promise<void>;
  markOlderRecords(): Promise<void>;
  sendReminders(): Promise<void>;
}

type NotificationsThis = Service & NotificationsVars & NotificationsMethods;

export interface NotificationsOptions {
  /** How often due reminders and unsent e-mails are looked for; REMINDER_CHECK_SECONDS otherwise. */
  tickMs?: number;
  /** How long an unsent e-mail waits before the tick tries it (again); one minute otherwise. */
  emailRetryMs?: number;
}

/** Tells the owner (in the app and by e-mail) and keeps the reminder in step. */
async function onReservationEvent(this: NotificationsThis, event: ReservationEnvelope) {
  const { reservation, by } = event.data;
  const reason = event.type === ReservationEvent.CANCELLED ? event.data.reason : undefined;
  await trackReminder(this.deps, event);
  // The owner's data is being erased: this cancellation is part of it, nobody is told.
  if (reason === CancellationReason.OWNER_ERASED) return;
  await notify(this.deps, {
    key: `${event.eventId}|${reservation.ownerId}`,
    userId: reservation.ownerId,
    kind: event.type,
    reservation,
    reason,
    note: reservation.cancellationNote,
    byOther: by !== reservation.ownerId,
    space: event.type === ReservationEvent.CANCELLED ? undefined : event.data.space,
  });
}

/** What notifications publishes of itself: whether it really sends e-mail. */
interface NotificationsSettings {
  emailDelivery: boolean;
}

export function createNotificationsService(
  config: AppConfig,
  options: NotificationsOptions = {},
): ServiceSchema<ServiceSettingSchema, NotificationsMethods, NotificationsVars> {
  const tickMs = options.tickMs ?? config.reminderCheckSeconds * 1000;
  const emailRetryMs = options.emailRetryMs ?? EMAIL_RETRY_MS;

  return {
    name: "notifications",

    // Published to the registry, so the gateway can tell the web client whether a booking's
    // e-mail will really be sent (services/api/web-client.ts). A flag, never the address.
    settings: {
      emailDelivery: Boolean(config.smtpUrl),
    } satisfies NotificationsSettings as ServiceSettingSchema & NotificationsSettings,

    mixins: [
      createDbMixin(
        {
          collection: "notifications",
          indexes: [
            { fields: { key: 1 }, unique: true },
            { fields: { userId: 1, createdAt: -1 } },
            // E-mails owed for a while (email-delivery.ts, retryUnsent). Only owed ones have
            // `emailAt`, so on NeDB, which indexes one field, a sparse index holds just them.
            { fields: { email: 1, emailAt: 1 }, only: "mongo" },
            { fields: { emailAt: 1 }, sparse: true, only: "embedded" },
          ],
          extra: [
            {
              collection: "reminders",
              property: "reminders",
              indexes: [
                // Reminders due (reminders.ts). Only scheduled ones have `remindAt` and
                // `dueSlot`: on NeDB a sparse index holds just them, not every reminder ever
                // sent; on MongoDB the ticks ask by slot, the catch-up pass by status.
                { fields: { dueSlot: 1 }, sparse: true, only: "mongo" },
                { fields: { status: 1, remindAt: 1 }, only: "mongo" },
                { fields: { remindAt: 1 }, sparse: true, only: "embedded" },
                { fields: { userId: 1 } },
              ],
            },
            {
              collection: "email_claims",
              property: "emailClaims",
              // Claims being sent (email-delivery.ts): only they have `sending`.
              indexes: [
                { fields: { sending: 1, claimedAt: 1 }, sparse: true },
                { fields: { userId: 1 } },
              ],
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

      /**
       * Internal (not routed): what this service holds about a user, for the GDPR export, in
       * their language (`locale`; English when not given).
       */
      exportFor: {
        visibility: "public",
        params: {
          userId: idParam,
          locale: { type: "enum", values: ["nl", "en"], optional: true },
          $$strict: true,
        },
        async handler(this: NotificationsThis, ctx: Context<{ userId: string; locale?: Locale }>) {
          const [notifications, reminders] = await Promise.all([
            findMany<NotificationRecord>(this.adapter, {
              query: { userId: ctx.params.userId },
              sort: ["createdAt"],
            }),
            findMany<ReminderRecord>(this.reminders, { query: { userId: ctx.params.userId } }),
          ]);
          return {
            notifications: notifications.map(n =>
              exportedNotification(n, ctx.params.locale ?? "en"),
            ),
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
      /** Sends due reminders and e-mails still owed; safe on every instance at once. */
      async tick(this: NotificationsThis) {
        if (!this.olderRecordsMarked) {
          await this.markOlderRecords();
          this.olderRecordsMarked = true;
        }
        await this.sendReminders();
        await retryUnsent(this.deps, emailRetryMs);
      },

      /** The reminders due since the last tick: by due slot on MongoDB, by time on NeDB. */
      async sendReminders(this: NotificationsThis) {
        if (!config.mongoUri) return sendDueReminders(this.deps);
        this.reminderCursor ??= await catchUpReminders(this.deps);
        this.reminderCursor = await sendDueInSlots(this.deps, this.reminderCursor);
      },

      /**
       * Once per instance, before its first look for work: gives what an older version wrote the
       * marks the ticks ask for (email-delivery.ts, reminders.ts). Again on the next tick if the
       * store failed.
       */
      async markOlderRecords(this: NotificationsThis) {
        const claims = await markOlderClaims(this.emailClaims);
        // Only NeDB reads the ticks by due time alone (the indexes above).
        const dueTimes = config.mongoUri
          ? 0
          : (await dropOlderEmailTimes(this.adapter)) +
            (await dropOlderRemindTimes(this.reminders));
        if (claims + dueTimes > 0) {
          this.logger.info("Records of an older version marked", { claims, dueTimes });
        }
      },
    },

    created(this: NotificationsThis) {
      // After the mixins' `created`, so the adapters exist.
      this.mailer = createMailer(config, this.logger);
      this.deps = {
        notifications: this.adapter,
        reminders: this.reminders,
        emailClaims: this.emailClaims,
        mailer: this.mailer,
        contactOf: id => this.broker.call<Contact | null, { id: string }>("users.contact", { id }),
        loadSpace: id => this.broker.call<PublicSpace, { id: string }>("spaces.get", { id }),
        logger: this.logger,
        reminderMinutes: config.reminderMinutes,
      };
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
