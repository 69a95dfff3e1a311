/**
 * reservations: bookings and their lifecycle, availability, and the guarantee that two confirmed
 * reservations of one space never overlap, however many instances run on however many nodes.
 *
 * The guarantee is the database's, not this process's: every reservation claims the cells of a
 * fixed 15-minute grid it covers in `claims`, under a unique index (see reservations/slot-claims.ts
 * and docs/ARCHITECTURE.md). A create writes a `pending` reservation, claims its cells,
 * publishes its event, then confirms it; a collision removes what the attempt wrote and answers 409.
 */
import { DateTime } from "luxon";
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { createDbMixin } from "../mixins/db.mixin";
import { createDurableEventsMixin } from "../mixins/durable-events.mixin";
import { createUpgradePassesMixin } from "../mixins/upgrade-passes.mixin";
import { requireUser } from "../lib/auth";
import { answerCreated } from "../lib/created";
import { loadConfig, type AppConfig } from "../lib/config";
import { ErrorType, failValidation } from "../lib/errors";
import type { ChannelHandlers } from "../lib/events/envelope";
import {
  CancellationReason,
  RESERVATION_EVENTS,
  type ReservationEvents,
} from "../lib/events/reservation-events";
import { UserEvent, type UserEvents } from "../lib/events/user-events";
import { findPage, pageParams } from "../lib/paging";
import { idParam, instantParam, lineTextParam, paragraphTextParam } from "../lib/params";
import { runEvery } from "../lib/periodic";
import { toStored } from "../lib/time";
import { readWindow } from "../lib/time-window";
import { apiDocs, IDEMPOTENCY_KEY } from "./reservations/api-docs";
import { availabilityView } from "./reservations/availability";
import {
  cancelByRequest,
  cancelUpcoming,
  createReservation,
  findAccessible,
  forgetUser,
  reschedule,
  markOlderPending,
  sweepAbandoned,
  tidyUnfinished,
} from "./reservations/lifecycle";
import { backfillDays } from "./reservations/day-buckets";
import { backfillOpenKeys, closeEndedKeys, daysToClose, openScope } from "./reservations/open-keys";
import { reservationLockName } from "./reservations/record-lock";
import { RESERVATION_PASSES, RESERVATION_STORES } from "./reservations/stores";
import {
  availabilityAmong,
  exportOf,
  listQuery,
  overlapping,
  spacesWindowParams,
  type ListFilters,
} from "./reservations/queries";
import {
  toCalendarFile,
  toPublicReservation,
  type SpaceView,
} from "./reservations/reservation-record";
import type {
  CreateParams,
  Meta,
  RescheduleParams,
  ReservationsMethods,
  ReservationsThis,
  ReservationsVars,
  SpacesWindow,
} from "./reservations/service-types";

/** The longest availability window: a month view plus a week either side. */
export const AVAILABILITY_WINDOW_DAYS = 62;
/** How often abandoned creates are looked for (lifecycle.ts, `sweepAbandoned`). */
const SWEEP_INTERVAL_MS = 60_000;
/** How often this instance retries settling its own failed creates (`tidyUnfinished`). */
const TIDY_INTERVAL_MS = 2_000;
/** How long a failed start-up pass waits before it is tried again (`untilDone`). */
const PASS_RETRY_MS = 15_000;
/** How often reservations that ended over a day ago lose their open keys (`closeEnded`). */
const CLOSE_INTERVAL_MS = 60 * 60_000;

const titleParam = lineTextParam({ max: 200 });

export function createReservationsService(
  config: AppConfig,
): ServiceSchema<ServiceSettingSchema, ReservationsMethods, ReservationsVars> {
  return {
    name: "reservations",

    mixins: [
      // Before the db mixin: its `created` makes the marks' adapter and runs first.
      createUpgradePassesMixin(RESERVATION_PASSES),
      createDbMixin(RESERVATION_STORES, config),
      // A change writes its record more than once under the lock; the relay must not cut in.
      createDurableEventsMixin<ReservationEvents>(RESERVATION_EVENTS, {
        relayLock: { locks: "locks", name: reservationLockName },
      }),
    ],

    channels: {
      /** A user was erased: forget them in every reservation (lifecycle.ts, `forgetUser`). */
      async [UserEvent.ERASED](event) {
        await forgetUser(this.lifecycle, event.data.userId, event.data.by);
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
        openapi: apiDocs.create,
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
          const { reservation, replayed } = await createReservation(this.lifecycle, {
            ...ctx.params,
            user,
            idempotencyKey: rawKey === undefined ? undefined : `${user.id}|${rawKey}`,
            parent: ctx,
          });
          answerCreated(ctx.meta, "reservations", reservation.id);
          if (replayed) ctx.meta.$responseHeaders = { "Idempotent-Replayed": "true" };
          return reservation;
        },
      },

      /** One reservation: owners see theirs, managers and admins any. */
      get: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.get,
        params: { id: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ id: string }, Meta>) {
          const record = await findAccessible(this.lifecycle, ctx.params.id, requireUser(ctx));
          return toPublicReservation(record);
        },
      },

      /**
       * One reservation as an iCalendar file (`text/calendar`), for a person to add to their own
       * calendar: the same UID as the e-mailed invitations, so calendars keep one event.
       */
      calendar: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.calendar,
        params: { id: idParam, $$strict: true },
        async handler(
          this: ReservationsThis,
          ctx: Context<
            { id: string },
            Meta & { $responseType?: string; $responseHeaders?: Record<string, string> }
          >,
        ) {
          const record = await findAccessible(this.lifecycle, ctx.params.id, requireUser(ctx));
          const space = await this.lifecycle.loadSpace(record.spaceId, ctx);
          ctx.meta.$responseType = "text/calendar; charset=utf-8";
          ctx.meta.$responseHeaders = {
            "Content-Disposition": `attachment; filename="reservation-${record.start.slice(0, 10)}.ics"`,
          };
          return toCalendarFile(record, space.name);
        },
      },

      /**
       * Reservations by start time, a page at a time: members their own; managers and admins
       * everyone's, optionally of one owner. Filters: space, status, window (`from`, `to`).
       */
      list: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.list,
        params: {
          spaceId: { ...idParam, optional: true },
          ownerId: { ...idParam, optional: true },
          status: { type: "enum", values: ["confirmed", "cancelled"], optional: true },
          from: { ...instantParam, optional: true },
          to: { ...instantParam, optional: true },
          // "-start": the latest first, so a page of past reservations shows the recent ones.
          sort: { type: "enum", values: ["start", "-start"], default: "start" },
          ...pageParams,
          $$strict: true,
        },
        async handler(
          this: ReservationsThis,
          ctx: Context<
            ListFilters & { sort: "start" | "-start"; page: number; pageSize: number },
            Meta
          >,
        ) {
          const { page, pageSize, sort, ...filters } = ctx.params;
          const query = listQuery(filters, requireUser(ctx), {
            stored: this.openKeysStored === true,
            now: this.now(),
          });
          return findPage(
            this.adapter,
            { query, sort: [sort], page, pageSize },
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
        openapi: apiDocs.reschedule,
        params: {
          id: idParam,
          start: { ...instantParam, optional: true },
          end: { ...instantParam, optional: true },
          title: { ...titleParam, optional: true },
          $$strict: true,
        },
        async handler(this: ReservationsThis, ctx: Context<RescheduleParams, Meta>) {
          return reschedule(this.lifecycle, { ...ctx.params, user: requireUser(ctx), parent: ctx });
        },
      },

      /**
       * Cancels a reservation and frees its time at once. Cancelling twice is harmless. A
       * `reason` (a manager cancelling someone else's) is stored and told to the owner.
       */
      cancel: {
        visibility: "published",
        openapi: apiDocs.cancel,
        params: {
          id: idParam,
          reason: { ...paragraphTextParam({ max: 500 }), optional: true },
          $$strict: true,
        },
        async handler(this: ReservationsThis, ctx: Context<{ id: string; reason?: string }, Meta>) {
          return cancelByRequest(this.lifecycle, {
            user: requireUser(ctx),
            id: ctx.params.id,
            note: ctx.params.reason || undefined,
          });
        },
      },

      /**
       * Busy intervals and free bookable intervals of a space in [from, to), at most 62 days.
       * Members see when others have booked, never who or what.
       */
      availability: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.availability,
        params: { id: idParam, from: instantParam, to: instantParam, $$strict: true },
        async handler(
          this: ReservationsThis,
          ctx: Context<{ id: string; from: string; to: string }, Meta>,
        ) {
          const user = requireUser(ctx);
          const space = await this.lifecycle.loadSpace(ctx.params.id, ctx);
          const window = readWindow(ctx.params, space.timeZone, AVAILABILITY_WINDOW_DAYS);
          const records = await overlapping(
            this.adapter,
            [{ id: space.id }],
            window.from,
            window.to,
            this.windowReads(),
          );
          return availabilityView(space, records, window, user, this.now());
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
          return exportOf(this.adapter, ctx.params.userId);
        },
      },

      /**
       * Internal (not routed), for the "free during" search: the ids of those of these spaces
       * that one could book for exactly [from, to): within their own rules and not booked. Kept
       * for instances of `spaces` from before `spacesAvailability`.
       */
      freeSpaces: {
        visibility: "public",
        params: spacesWindowParams,
        async handler(this: ReservationsThis, ctx: Context<SpacesWindow>) {
          return (await this.spacesAvailability(ctx.params)).free;
        },
      },

      /**
       * Internal (not routed), for the "free during" search: `{ free, unavailable }`, the ids of
       * those of these spaces that one could book for exactly [from, to), and for each other one
       * why not, as the error type a booking would get.
       */
      spacesAvailability: {
        visibility: "public",
        params: spacesWindowParams,
        async handler(this: ReservationsThis, ctx: Context<SpacesWindow>) {
          return this.spacesAvailability(ctx.params);
        },
      },

      /** Internal: how many confirmed reservations of a space have not ended yet. */
      countUpcoming: {
        visibility: "public",
        params: { spaceId: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ spaceId: string }>) {
          const now = this.now();
          return this.adapter.count({
            query: {
              status: "confirmed",
              end: { $gt: toStored(now) },
              ...openScope({ spaceId: ctx.params.spaceId }, now, {
                stored: this.openKeysStored === true,
                now,
              }),
            },
          });
        },
      },

      /** Internal: cancels every reservation of a space that has not ended (it was deactivated). */
      cancelUpcoming: {
        visibility: "public",
        params: { spaceId: idParam, $$strict: true },
        async handler(this: ReservationsThis, ctx: Context<{ spaceId: string }, Meta>) {
          const cancelled = await cancelUpcoming(
            this.lifecycle,
            { spaceId: ctx.params.spaceId },
            requireUser(ctx).id,
            CancellationReason.SPACE_DEACTIVATED,
          );
          return { cancelled };
        },
      },
    },

    methods: {
      spacesAvailability(this: ReservationsThis, params: SpacesWindow) {
        const window = readWindow(params, "utc", AVAILABILITY_WINDOW_DAYS);
        return availabilityAmong(
          this.adapter,
          params.spaces,
          window,
          this.now(),
          this.windowReads(),
        );
      },

      /**
       * The clock the booking rules and "upcoming" are judged by (the lifecycle reads it through
       * its dependencies), so a test can move it; record timestamps use the real time.
       */
      now() {
        return DateTime.utc();
      },

      /**
       * Gives the records stored before the day keys existed theirs (day-buckets.ts), then lets
       * window queries ask for them; returns how many it wrote (null: stopped first). A failed pass (spaces not reachable yet, the store down)
       * is tried again a while later; meanwhile queries ask as before and miss nothing.
       */
      async giveDayKeys(this: ReservationsThis): Promise<number | null> {
        const siteGroupOf = async (spaceId: string): Promise<string | null> => {
          try {
            const space = await this.broker.call<SpaceView, { id: string }>("spaces.forBooking", {
              id: spaceId,
            });
            return space.siteGroup;
          } catch (err) {
            if ((err as { type?: string }).type === ErrorType.SPACE_NOT_FOUND) return null;
            throw err;
          }
        };
        const written = await this.untilDone("Giving reservations their day keys", () =>
          this.upgrades.run("dayKeys", () =>
            backfillDays({ ...this.lifecycle, siteGroupOf }, () => this.stopping === true),
          ),
        );
        if (written === null) return null;
        this.dayKeysStored = true;
        if (written > 0) this.logger.info("Reservations given their day keys", { written });
        return written;
      },

      /**
       * Gives the records an older version wrote their open keys (open-keys.ts), then lets the
       * lists of what has not ended ask by them; returns how many it wrote (null: stopped first).
       */
      async giveOpenKeys(this: ReservationsThis): Promise<number | null> {
        const written = await this.untilDone("Giving reservations their open keys", () =>
          this.upgrades.run("openKeys", () =>
            backfillOpenKeys(this.lifecycle, () => this.stopping === true),
          ),
        );
        if (written === null) return null;
        this.openKeysStored = true;
        if (written > 0) this.logger.info("Reservations given their open keys", { written });
        return written;
      },

      /**
       * Takes the open keys off what ended over a day ago: on MongoDB by the UTC days since the
       * last pass (the first looks FIRST_CLOSE_DAYS back). How many it closed.
       */
      async closeEnded(this: ReservationsThis): Promise<number> {
        const now = this.now();
        const { days, through } = daysToClose(this.closedThrough, now);
        const { closed, locked } = await closeEndedKeys(this.lifecycle, now, days);
        // Where some were locked, the next pass asks for the same days again.
        if (locked === 0) this.closedThrough = through;
        if (closed > 0) this.logger.debug("Reservations closed", { closed });
        return closed;
      },

      /**
       * Runs a start-up pass until it is done: a failed one (spaces not reachable yet, the store
       * down) is tried again a while later, and meanwhile queries ask as before and miss nothing.
       * Null when the service stopped first.
       */
      async untilDone<T>(
        this: ReservationsThis,
        what: string,
        pass: () => Promise<T | null>,
      ): Promise<T | null> {
        while (!this.stopping) {
          try {
            return await pass();
          } catch (err) {
            // Stopping: its failure is the stop's (spaces went away first); the next start tries.
            if (this.stopping) return null;
            this.logger.warn(`${what} failed; trying again`, String(err));
            await new Promise<void>(resolve => {
              const retries = (this.passRetries ??= new Set());
              const done = () => {
                clearTimeout(retry.timer);
                retries.delete(retry);
                resolve();
              };
              const retry = { timer: setTimeout(done, PASS_RETRY_MS), resolve: done };
              retries.add(retry);
            });
          }
        }
        return null;
      },

      windowReads() {
        return {
          store: this.lifecycle.store,
          dayKeysStored: this.dayKeysStored === true,
        };
      },
    },

    created(this: ReservationsThis) {
      // After the mixins' `created`, so the adapters exist.
      this.lifecycle = {
        reservations: this.adapter,
        claims: this.claims,
        locks: this.locks,
        events: {
          stage: (type, data) => this.stageEvent(type, data),
          flush: (id, events) => this.flushOutbox(id, events),
          publish: events => this.publishEvents(events),
        },
        loadSpace: (spaceId, parent) =>
          parent
            ? parent.call<SpaceView, { id: string }>("spaces.forBooking", { id: spaceId })
            : this.broker.call<SpaceView, { id: string }>("spaces.forBooking", { id: spaceId }),
        now: () => this.now(),
        logger: this.logger,
        unfinished: new Set(),
        store: config.mongoUri ? "mongo" : "embedded",
        openKeysStored: () => this.openKeysStored === true,
      };
    },

    started(this: ReservationsThis) {
      // In the background: on a large store written by an older version it takes a while.
      this.stopping = false;
      const dayKeys = this.giveDayKeys();
      const openKeys = this.giveOpenKeys();
      // Before the first sweep, a minute from now.
      const pendingMarks =
        this.lifecycle.store === "embedded"
          ? markOlderPending(this.lifecycle).then(
              marked => {
                if (marked > 0) this.logger.info("Older pending reservations marked", { marked });
              },
              err => this.logger.error("Marking older pending reservations failed", err),
            )
          : undefined;
      this.backfill = Promise.all([dayKeys, openKeys, pendingMarks]).then(() => undefined);
      // The first closing pass once the start-up passes are done (it asks by the day keys), not
      // an hour from now: an instance restarted more often would otherwise never close any.
      this.firstClose = this.backfill.then(async () => {
        if (this.stopping) return;
        await this.closeEnded().catch(err =>
          this.logger.warn("Closing ended reservations failed", String(err)),
        );
      });
      this.stopClosing = runEvery(
        CLOSE_INTERVAL_MS,
        () => this.closeEnded(),
        err => this.logger.warn("Closing ended reservations failed", String(err)),
      );
      this.stopSweep = runEvery(
        SWEEP_INTERVAL_MS,
        () => sweepAbandoned(this.lifecycle),
        err => this.logger.error("Sweep failed", err),
      );
      // While the store is down this fails every round; one line per round says it is waiting.
      this.stopTidy = runEvery(
        TIDY_INTERVAL_MS,
        () => tidyUnfinished(this.lifecycle),
        err => this.logger.warn("Failed creates wait for the store to be tidied", String(err)),
      );
    },

    async stopped(this: ReservationsThis) {
      this.stopSweep?.();
      this.stopTidy?.();
      this.stopClosing?.();
      this.stopping = true;
      // A pass waiting to be tried again stops waiting.
      for (const retry of [...(this.passRetries ?? [])]) retry.resolve();
      await this.backfill;
      await this.firstClose;
    },
  };
}

export default createReservationsService(loadConfig());
