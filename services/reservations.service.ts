/**
 * reservations: bookings and their lifecycle, availability, and the guarantee that two confirmed
 * reservations of one space never overlap, however many instances run on however many nodes.
 *
 * The guarantee is the database's, not this process's: every reservation claims the cells of a
 * fixed 15-minute grid it covers in `claims`, under a unique index (see reservations/slot-claims.ts
 * and docs/ARCHITECTURE.md). A create writes a `pending` reservation, claims its cells, then
 * confirms it; a collision removes what the attempt wrote and answers 409.
 */
import { DateTime, Interval } from "luxon";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { createDbMixin } from "../mixins/db.mixin";
import { findMany, isUniqueViolation } from "../lib/store";
import { createDurableEventsMixin } from "../mixins/durable-events.mixin";
import type { ChannelHandlers, EventEnvelope } from "../lib/events/envelope";
import {
  CancellationReason,
  RESERVATION_EVENTS,
  type ReservationEvents,
} from "../lib/events/reservation-events";
import { UserEvent, type UserEvents } from "../lib/events/user-events";
import { requireUser, type AuthUser } from "../lib/auth";
import { loadConfig, type AppConfig } from "../lib/config";
import { ErrorType, fail, failValidation } from "../lib/errors";
import { findPage, pageParams } from "../lib/paging";
import { calendarSequence, ICalCalendarMethod, reservationCalendar } from "../lib/calendar";
import { checkBooking, RULE_VIOLATIONS } from "./reservations/booking-rules";
import { holders } from "./reservations/claim-store";
import { withReservationLock } from "./reservations/record-lock";
import { freeIntervals } from "./reservations/availability";
import { overlappingWindow, readWindow } from "../lib/time-window";
import { parseInstant, toStored } from "../lib/time";
import { idParam, instantParam } from "../lib/params";
import type { BookableSpace } from "../lib/bookable-space";
import { reservationLifecycleMixin } from "./reservations/lifecycle.mixin";
import type {
  CreateParams,
  Meta,
  RescheduleParams,
  ReservationsMethods,
  ReservationsThis,
  ReservationsVars,
  SpaceView,
} from "./reservations/service-types";
import {
  canManageAll,
  mayAccess,
  newReservationId,
  ERASED_USER_ID,
  toPublicReservation,
  type ReservationRecord,
} from "./reservations/reservation-record";

/** The longest availability window: a month view plus a week either side. */
export const AVAILABILITY_WINDOW_DAYS = 62;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

const titleParam = { type: "string", trim: true, max: 200 } as const;

export function createReservationsService(
  config: AppConfig,
): ServiceSchema<ServiceSettingSchema, ReservationsMethods, ReservationsVars> {
  return {
    name: "reservations",

    mixins: [
      createDbMixin(
        {
          collection: "reservations",
          indexes: [
            // Window queries of one space: availability, conflicts, the free-during search.
            { fields: { spaceId: 1, start: 1 } },
            { fields: { ownerId: 1, start: 1 } },
            // The GDPR export and erasure: what a manager cancelled for others.
            { fields: { cancelledBy: 1 }, sparse: true },
            { fields: { idempotencyKey: 1 }, unique: true, sparse: true },
            { fields: { status: 1, createdAt: 1 } },
            { fields: { outboxSince: 1 }, sparse: true },
          ],
          extra: [
            {
              collection: "claims",
              property: "claims",
              indexes: [
                { fields: { key: 1 }, unique: true },
                { fields: { reservationId: 1 } },
                { fields: { op: 1 } },
              ],
            },
            // One change at a time per reservation (reservations/record-lock.ts).
            { collection: "reservation_locks", property: "locks" },
          ],
        },
        config,
      ),
      createDurableEventsMixin<ReservationEvents>(RESERVATION_EVENTS),
      reservationLifecycleMixin,
    ],

    channels: {
      /**
       * A user was erased: their upcoming reservations are cancelled (freeing the time), then
       * every reservation of theirs loses its owner and title but keeps space and time, so the
       * statistics stay right. Safe to receive twice: the second time finds nothing of theirs.
       */
      async [UserEvent.ERASED](event) {
        const { userId, by } = event.data;
        for (;;) {
          const upcoming = await findMany<ReservationRecord>(this.adapter, {
            query: { ownerId: userId, status: "confirmed", end: { $gt: toStored(this.now()) } },
            limit: 200,
          });
          if (upcoming.length === 0) break;
          for (const record of upcoming) {
            await this.cancelRecord(record, by, CancellationReason.OWNER_ERASED);
          }
        }
        // One at a time under each one's lock, so no concurrent write can put a name back.
        // Theirs lose owner and title; others' that they cancelled lose who cancelled them.
        for (;;) {
          const touched = await findMany<ReservationRecord>(this.adapter, {
            query: { $or: [{ ownerId: userId }, { cancelledBy: userId }] },
            limit: 200,
          });
          if (touched.length === 0) break;
          for (const record of touched) {
            await withReservationLock(
              this.locks,
              record._id,
              async () => {
                await this.adapter.updateMany(
                  { _id: record._id, ownerId: userId },
                  {
                    $set: { ownerId: ERASED_USER_ID, title: "" },
                    $unset: { idempotencyKey: true, cancellationNote: true },
                  },
                );
                await this.adapter.updateMany(
                  { _id: record._id, cancelledBy: userId },
                  { $set: { cancelledBy: ERASED_USER_ID } },
                );
              },
              // Still locked: fail, and the event comes again (JetStream or in-process retry).
              () => {
                throw new Error(`Reservation ${record._id} stayed locked`);
              },
            );
          }
        }
      },
    } satisfies ChannelHandlers<UserEvents, ReservationsThis>,

    actions: {
      /**
       * Books a space: `{ spaceId, start, end, title }` → 201 with the reservation; 409 with the
       * conflicting intervals when taken; 422 with the rule's type when a booking rule is broken.
       * An Idempotency-Key header makes a retry return the first result.
       */
      create: {
        visibility: "published",
        openapi: {
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
              description:
                "Makes a retry safe: 1 to 128 visible ASCII characters, unique per booking.",
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
        params: {
          spaceId: idParam,
          start: instantParam,
          end: instantParam,
          title: { ...titleParam, optional: true },
          $$strict: true,
        },
        async handler(this: ReservationsThis, ctx: Context<CreateParams, Meta>) {
          const user = requireUser(ctx);
          const rawKey = ctx.meta.idempotencyKey;
          if (rawKey !== undefined && (typeof rawKey !== "string" || !IDEMPOTENCY_KEY.test(rawKey)))
            failValidation("Idempotency-Key", "pattern", "Invalid Idempotency-Key.");
          const idempotencyKey = rawKey === undefined ? undefined : `${user.id}|${rawKey}`;

          const space = await this.loadSpace(ctx, ctx.params.spaceId);
          const start = parseInstant(ctx.params.start, "start", space.timeZone);
          const end = parseInstant(ctx.params.end, "end", space.timeZone);
          const broken = checkBooking(space, start, end, this.now());
          if (broken) fail(broken, { rule: broken });

          const now = new Date().toISOString();
          const record: ReservationRecord = {
            _id: newReservationId(),
            spaceId: space.id,
            ownerId: user.id,
            title: ctx.params.title ?? "",
            start: toStored(start),
            end: toStored(end),
            status: "pending",
            version: 0,
            ...(idempotencyKey ? { idempotencyKey } : {}),
            createdAt: now,
            updatedAt: now,
          };
          try {
            await this.adapter.insert(record);
          } catch (err) {
            if (idempotencyKey && isUniqueViolation(err))
              return this.replay(ctx, idempotencyKey, record.start, record.end);
            throw err;
          }

          // Nobody else knows this id yet; the lock keeps the relay and the sweeper off it too.
          return withReservationLock(
            this.locks,
            record._id,
            () => this.confirmNew(ctx, record, space, start, end),
            () => fail(ErrorType.CONCURRENT_UPDATE),
            0,
          );
        },
      },

      /** One reservation: owners see theirs, managers and admins any. */
      get: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: {
          summary: "One reservation",
          description:
            "Someone else's reservation answers 404 to a member, as if it did not exist.",
          response: { schema: "Reservation", description: "The reservation." },
          errors: [ErrorType.RESERVATION_NOT_FOUND],
        },
        params: { id: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ id: string }, Meta>) {
          return toPublicReservation(await this.findAccessible(ctx.params.id, requireUser(ctx)));
        },
      },

      /**
       * One reservation as an iCalendar file (`text/calendar`), for a person to add to their own
       * calendar: the same UID as the e-mailed invitations, so calendars keep one event.
       */
      calendar: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: {
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
        params: { id: idParam, $$strict: true },
        async handler(
          this: ReservationsThis,
          ctx: Context<
            { id: string },
            Meta & { $responseType?: string; $responseHeaders?: Record<string, string> }
          >,
        ) {
          const record = await this.findAccessible(ctx.params.id, requireUser(ctx));
          const space = await this.loadSpace(ctx, record.spaceId);
          ctx.meta.$responseType = "text/calendar; charset=utf-8";
          ctx.meta.$responseHeaders = {
            "Content-Disposition": `attachment; filename="reservation-${record.start.slice(0, 10)}.ics"`,
          };
          const cancelled = record.status === "cancelled";
          return reservationCalendar(
            {
              reservationId: record._id,
              spaceName: space.name,
              start: record.start,
              end: record.end,
              title: record.title,
              cancelled,
              sequence: calendarSequence(record.updatedAt),
            },
            cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
          );
        },
      },

      /**
       * Reservations by start time, a page at a time: members their own; managers and admins
       * everyone's, optionally of one owner. Filters: space, status, window (`from`, `to`).
       */
      list: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: {
          summary: "List reservations by start time",
          description:
            "Members see their own; managers and admins everyone's, or one owner's with `ownerId`.",
          response: { schema: "ReservationPage", description: "One page of reservations." },
        },
        params: {
          spaceId: { ...idParam, optional: true },
          ownerId: { ...idParam, optional: true },
          status: { type: "enum", values: ["confirmed", "cancelled"], optional: true },
          from: { ...instantParam, optional: true },
          to: { ...instantParam, optional: true },
          ...pageParams,
          $$strict: true,
        },
        async handler(
          this: ReservationsThis,
          ctx: Context<
            {
              spaceId?: string;
              ownerId?: string;
              status?: "confirmed" | "cancelled";
              from?: string;
              to?: string;
              page: number;
              pageSize: number;
            },
            Meta
          >,
        ) {
          const p = ctx.params;
          const user = requireUser(ctx);
          const query: Record<string, unknown> = {
            status: p.status ?? { $in: ["confirmed", "cancelled"] },
          };
          if (!canManageAll(user)) query.ownerId = user.id;
          else if (p.ownerId) query.ownerId = p.ownerId;
          if (p.spaceId) query.spaceId = p.spaceId;
          if (p.from) query.end = { $gt: toStored(parseInstant(p.from, "from", "utc")) };
          if (p.to) query.start = { $lt: toStored(parseInstant(p.to, "to", "utc")) };
          return findPage(
            this.adapter,
            { query, sort: ["start"], page: p.page, pageSize: p.pageSize },
            toPublicReservation,
          );
        },
      },

      /**
       * Changes the time and/or title. A new time is secured before the old one is released; if
       * it is taken the reservation stays exactly as it was (409).
       */
      reschedule: {
        visibility: "published",
        openapi: {
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
        params: {
          id: idParam,
          start: { ...instantParam, optional: true },
          end: { ...instantParam, optional: true },
          title: { ...titleParam, optional: true },
          $$strict: true,
        },
        async handler(this: ReservationsThis, ctx: Context<RescheduleParams, Meta>) {
          const user = requireUser(ctx);
          const seen = await this.findAccessible(ctx.params.id, user);
          return withReservationLock(
            this.locks,
            seen._id,
            // Read again under the lock: what another change did before it counts.
            async () => this.applyReschedule(ctx, await this.findAccessible(seen._id, user), user),
            () => fail(ErrorType.CONCURRENT_UPDATE),
          );
        },
      },

      /**
       * Cancels a reservation and frees its time at once. Cancelling twice is harmless. A
       * `reason` (a manager cancelling someone else's) is stored and told to the owner.
       */
      cancel: {
        visibility: "published",
        openapi: {
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
        params: {
          id: idParam,
          reason: { type: "string", trim: true, max: 500, optional: true },
          $$strict: true,
        },
        async handler(this: ReservationsThis, ctx: Context<{ id: string; reason?: string }, Meta>) {
          const user = requireUser(ctx);
          const record = await this.findAccessible(ctx.params.id, user);
          if (record.status === "cancelled") return toPublicReservation(record);
          if (record.end <= toStored(this.now())) fail(ErrorType.RESERVATION_ENDED);
          const cancelled = await this.cancelRecord(
            record,
            user.id,
            CancellationReason.CANCELLED,
            ctx.params.reason || undefined,
          );
          if (!cancelled) {
            const now = await this.findAccessible(record._id, user);
            if (now.status === "cancelled") return toPublicReservation(now);
            fail(ErrorType.CONCURRENT_UPDATE);
          }
          return toPublicReservation(cancelled);
        },
      },

      /**
       * Busy intervals and free bookable intervals of a space in [from, to), at most 62 days.
       * Members see when others have booked, never who or what.
       */
      availability: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: {
          summary: "When a space is busy and when it is free",
          description:
            "In [from, to), at most 62 days. Members see when others booked, never who or what.",
          response: { schema: "Availability", description: "Busy and free intervals." },
          errors: [ErrorType.SPACE_NOT_FOUND, ErrorType.INVALID_WINDOW, ErrorType.WINDOW_TOO_LARGE],
        },
        params: { id: idParam, from: instantParam, to: instantParam, $$strict: true },
        async handler(
          this: ReservationsThis,
          ctx: Context<{ id: string; from: string; to: string }, Meta>,
        ) {
          const user = requireUser(ctx);
          const space = await this.loadSpace(ctx, ctx.params.id);
          const { from, to } = readWindow(ctx.params, space.timeZone, AVAILABILITY_WINDOW_DAYS);
          const records = await this.overlapping([space.id], from, to);
          const busy = records.map(record => {
            const mine = record.ownerId === user.id;
            const detailed = mine || canManageAll(user);
            return {
              start: record.start,
              end: record.end,
              mine,
              ...(detailed ? { reservationId: record._id, title: record.title } : {}),
            };
          });
          const free = freeIntervals(
            space,
            from,
            to,
            records.map(r => Interval.fromISO(`${r.start}/${r.end}`)),
            this.now(),
          );
          return {
            spaceId: space.id,
            timeZone: space.timeZone,
            from: toStored(from),
            to: toStored(to),
            rules: space.rules,
            busy,
            free: free.map(range => ({ start: toStored(range.start!), end: toStored(range.end!) })),
          };
        },
      },

      /**
       * Internal (not routed), for a user's GDPR export: `{ own, cancelledForOthers }`, their
       * reservations, and when and where they cancelled someone else's.
       */
      exportFor: {
        visibility: "public",
        params: { userId: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ userId: string }>) {
          const [own, cancelled] = await Promise.all([
            findMany<ReservationRecord>(this.adapter, {
              query: { ownerId: ctx.params.userId, status: { $in: ["confirmed", "cancelled"] } },
              sort: ["start"],
            }),
            findMany<ReservationRecord>(this.adapter, {
              query: { cancelledBy: ctx.params.userId, ownerId: { $ne: ctx.params.userId } },
              sort: ["start"],
            }),
          ]);
          return {
            own: own.map(toPublicReservation),
            // That they cancelled it is theirs; whose it was and what it was for is not.
            cancelledForOthers: cancelled.map(r => ({
              id: r._id,
              spaceId: r.spaceId,
              start: r.start,
              end: r.end,
              cancelledAt: r.cancelledAt,
            })),
          };
        },
      },

      /**
       * Internal (not routed), for the "free during" search: the ids of those of these spaces
       * that one could book for exactly [from, to): within their own rules and not booked.
       */
      freeSpaces: {
        visibility: "public",
        params: {
          spaces: {
            type: "array",
            max: 1000,
            items: {
              type: "object",
              props: {
                id: idParam,
                timeZone: { type: "string", max: 64 },
                openingHours: { type: "object" },
                rules: { type: "object" },
                active: { type: "boolean" },
              },
            },
          },
          from: instantParam,
          to: instantParam,
          $$strict: true,
        },
        async handler(
          this: ReservationsThis,
          ctx: Context<{ spaces: (BookableSpace & { id: string })[]; from: string; to: string }>,
        ) {
          const { spaces } = ctx.params;
          const { from, to } = readWindow(ctx.params, "utc", AVAILABILITY_WINDOW_DAYS);
          const records = await this.overlapping(
            spaces.map(space => space.id),
            from,
            to,
          );
          const booked = new Set(records.map(r => r.spaceId));
          const now = this.now();
          return spaces
            .filter(space => !booked.has(space.id) && checkBooking(space, from, to, now) === null)
            .map(space => space.id);
        },
      },

      /** Internal: how many confirmed reservations of a space have not ended yet. */
      countUpcoming: {
        visibility: "public",
        params: { spaceId: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ spaceId: string }>) {
          return this.adapter.count({
            query: {
              spaceId: ctx.params.spaceId,
              status: "confirmed",
              end: { $gt: toStored(this.now()) },
            },
          });
        },
      },

      /** Internal: cancels every reservation of a space that has not ended (it was deactivated). */
      cancelUpcoming: {
        visibility: "public",
        params: { spaceId: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ spaceId: string }, Meta>) {
          const by = requireUser(ctx).id;
          let cancelled = 0;
          for (;;) {
            const batch = await findMany<ReservationRecord>(this.adapter, {
              query: {
                spaceId: ctx.params.spaceId,
                status: "confirmed",
                end: { $gt: toStored(this.now()) },
              },
              limit: 200,
            });
            if (batch.length === 0) return { cancelled };
            for (const record of batch) {
              if (await this.cancelRecord(record, by, CancellationReason.SPACE_DEACTIVATED))
                cancelled++;
            }
          }
        },
      },
    },

    methods: {
      /** The service's clock: the one place that says what is past and what is upcoming. */
      now() {
        return DateTime.utc();
      },

      async loadSpace(this: ReservationsThis, ctx: Context, spaceId: string) {
        return ctx.call<SpaceView, { id: string }>("spaces.get", { id: spaceId });
      },

      async findAccessible(this: ReservationsThis, id: string, user: AuthUser) {
        const record = (await this.adapter.findById(id)) as ReservationRecord | null;
        // Someone else's reservation answers as if it did not exist: ids reveal nothing.
        if (!record || record.status === "pending" || !mayAccess(user, record))
          fail(ErrorType.RESERVATION_NOT_FOUND);
        return record;
      },

      async conflictsWith(this: ReservationsThis, keys: string[], reservationId: string) {
        const ids = await holders(this.claims, keys, reservationId);
        if (ids.length === 0) return [];
        const records = await findMany<ReservationRecord>(this.adapter, {
          query: { _id: { $in: ids } },
          sort: ["start"],
        });
        // Only when, never who or what: the caller may not see other people's reservations.
        return records
          .filter(r => r.status !== "cancelled")
          .map(r => ({ start: r.start, end: r.end }));
      },

      async overlapping(this: ReservationsThis, spaceIds: string[], from: DateTime, to: DateTime) {
        if (spaceIds.length === 0) return [];
        // The (spaceId, start) index limits the scan to reservations near the window.
        return findMany<ReservationRecord>(this.adapter, {
          query: {
            spaceId: spaceIds.length === 1 ? spaceIds[0] : { $in: spaceIds },
            status: "confirmed",
            ...overlappingWindow(from, to),
          },
          sort: ["start"],
        });
      },

      /** Publishes what a change left in its outbox, unless a change holds the reservation. */
      async relayRecord(this: ReservationsThis, id: string, events: EventEnvelope[]) {
        await withReservationLock(
          this.locks,
          id,
          () => this.flushOutbox(id, events),
          () => undefined,
          0,
        );
      },
    },
  };
}

export default createReservationsService(loadConfig());
