/**
 * How a reservation changes, under the guarantee (docs/ARCHITECTURE.md, "The no-overlap
 * guarantee"): a new one claims its cells and then confirms; a reschedule claims what it adds
 * before it releases what it drops; a cancel frees everything. Each runs under the
 * reservation's lock, and each change's event goes out through the outbox. Also the sweep that
 * frees what a create left behind when its process died half-way.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { Context, Service, ServiceSchema } from "moleculer";
import { findMany, nextUpdatedAt } from "../../lib/store";
import { parseInstant, toStored } from "../../lib/time";
import { withEvent } from "../../mixins/durable-events.mixin";
import { requireUser, type AuthUser } from "../../lib/auth";
import { runEvery } from "../../lib/periodic";
import { ErrorType, fail } from "../../lib/errors";
import { checkBooking } from "./booking-rules";
import { claim, release, releaseOperation } from "./claim-store";
import { withReservationLock } from "./record-lock";
import { claimKeys } from "./slot-claims";
import { toPublicReservation, type ReservationRecord } from "./reservation-record";
import {
  CancellationReason,
  ReservationEvent,
  type CancellationReasonName,
} from "../../lib/events/reservation-events";
import type {
  CreateParams,
  Meta,
  RescheduleParams,
  ReservationsThis,
  SpaceView,
} from "./service-types";

/** A create that has not confirmed within this long crashed half-way; its claims are freed. */
const PENDING_TIMEOUT_MS = 2 * 60_000;
const SWEEP_INTERVAL_MS = 60_000;

export const reservationLifecycleMixin: Partial<ServiceSchema> = {
  methods: {
    /** Moves and/or retitles a reservation; the caller holds its lock. */
    async applyReschedule(
      this: ReservationsThis,
      ctx: Context<RescheduleParams, Meta>,
      record: ReservationRecord,
      user: AuthUser,
    ) {
      if (record.status === "cancelled") fail(ErrorType.RESERVATION_CANCELLED);
      if (record.end <= toStored(this.now())) fail(ErrorType.RESERVATION_ENDED);

      const space = await this.loadSpace(ctx, record.spaceId);
      const oldStart = DateTime.fromISO(record.start, { zone: "utc" });
      const oldEnd = DateTime.fromISO(record.end, { zone: "utc" });
      const start = ctx.params.start
        ? parseInstant(ctx.params.start, "start", space.timeZone)
        : oldStart;
      const end = ctx.params.end ? parseInstant(ctx.params.end, "end", space.timeZone) : oldEnd;
      const moved = !start.equals(oldStart) || !end.equals(oldEnd);

      const op = randomUUID();
      let dropped: string[] = [];
      if (moved) {
        const broken = checkBooking(space, start, end, this.now());
        if (broken) fail(broken, { rule: broken });
        const oldKeys = claimKeys(record.spaceId, oldStart, oldEnd);
        const newKeys = claimKeys(record.spaceId, start, end);
        const added = newKeys.filter(key => !oldKeys.includes(key));
        dropped = oldKeys.filter(key => !newKeys.includes(key));
        const claimed = await claim(this.claims, {
          spaceId: record.spaceId,
          reservationId: record._id,
          op,
          keys: added,
        });
        if (!claimed) {
          fail(ErrorType.RESERVATION_CONFLICT, {
            conflicts: await this.conflictsWith(added, record._id),
          });
        }
      }

      const set = {
        start: toStored(start),
        end: toStored(end),
        title: ctx.params.title ?? record.title,
        version: record.version + 1,
        updatedAt: nextUpdatedAt(record.updatedAt),
      };
      const reservation = toPublicReservation({ ...record, ...set });
      const updated = this.stageEvent(ReservationEvent.UPDATED, {
        reservation,
        previous: { start: record.start, end: record.end, title: record.title },
        by: user.id,
      });
      // Conditional on the version read: of two concurrent changes only one applies.
      const changed = await this.adapter.updateMany(
        { _id: record._id, version: record.version, status: "confirmed" },
        withEvent({ $set: set }, updated),
      );
      if (changed === 0) {
        await releaseOperation(this.claims, op);
        fail(ErrorType.CONCURRENT_UPDATE);
      }
      await release(this.claims, record._id, dropped);
      await this.flushOutbox(record._id, [updated]);
      return reservation;
    },

    /** Claims a new (pending) reservation's time and confirms it; on any failure removes it. */
    async confirmNew(
      this: ReservationsThis,
      ctx: Context<CreateParams, Meta>,
      record: ReservationRecord,
      space: SpaceView,
      start: DateTime,
      end: DateTime,
    ) {
      const user = requireUser(ctx);
      const keys = claimKeys(space.id, start, end);
      const claimed = await claim(this.claims, {
        spaceId: space.id,
        reservationId: record._id,
        op: record._id,
        keys,
      }).catch(async err => {
        await this.adapter.removeById(record._id);
        throw err;
      });
      if (!claimed) {
        const conflicts = await this.conflictsWith(keys, record._id);
        await this.adapter.removeById(record._id);
        fail(ErrorType.RESERVATION_CONFLICT, { conflicts });
      }
      record.status = "confirmed";
      const created = this.stageEvent(ReservationEvent.CREATED, {
        reservation: toPublicReservation(record),
        by: user.id,
      });
      await this.adapter.updateMany(
        { _id: record._id, status: "pending" },
        withEvent({ $set: { status: "confirmed" } }, created),
      );

      // A space deactivated while this request ran must not keep a booking made after the
      // deactivation's sweep (see spaces.deactivate): look once more, now that we hold it.
      const after = await this.loadSpace(ctx, space.id);
      if (!after.active) {
        await this.adapter.removeById(record._id);
        await release(this.claims, record._id);
        fail(ErrorType.SPACE_INACTIVE, { rule: ErrorType.SPACE_INACTIVE });
      }

      await this.flushOutbox(record._id, [created]);
      this.logger.info("Reservation created", { reservationId: record._id, by: user.id });
      ctx.meta.$statusCode = 201;
      return toPublicReservation(record);
    },

    /** A retried create (same Idempotency-Key): the first request's result, once it is known. */
    async replay(
      this: ReservationsThis,
      ctx: Context<CreateParams, Meta>,
      idempotencyKey: string,
      start: string,
      end: string,
    ) {
      // The first request may still be claiming its slots; give it a moment.
      for (let waited = 0; ; waited += 100) {
        const first = (await this.adapter.findOne({
          idempotencyKey,
        })) as ReservationRecord | null;
        // Gone: the first attempt was refused and removed itself just now; a retry starts afresh.
        if (!first) fail(ErrorType.REQUEST_IN_PROGRESS);
        if (first.status !== "pending") {
          if (first.spaceId !== ctx.params.spaceId || first.start !== start || first.end !== end) {
            fail(ErrorType.IDEMPOTENCY_KEY_REUSED);
          }
          ctx.meta.$statusCode = 201;
          ctx.meta.$responseHeaders = { "Idempotent-Replayed": "true" };
          return toPublicReservation(first);
        }
        if (waited >= 3000) fail(ErrorType.REQUEST_IN_PROGRESS);
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },

    /**
     * Cancels the reservation if it is still confirmed; null when it is not, or when another
     * change kept it locked. An owner's erasure also blanks the title, in the event as well.
     */
    async cancelRecord(
      this: ReservationsThis,
      seen: ReservationRecord,
      by: string,
      reason: CancellationReasonName,
      note?: string,
    ) {
      return withReservationLock(
        this.locks,
        seen._id,
        async () => {
          const record = (await this.adapter.findById(seen._id)) as ReservationRecord | null;
          if (!record || record.status !== "confirmed") return null;
          const now = nextUpdatedAt(record.updatedAt);
          const set = {
            status: "cancelled" as const,
            cancelledAt: now,
            cancelledBy: by,
            updatedAt: now,
            version: record.version + 1,
            ...(reason === CancellationReason.OWNER_ERASED ? { title: "" } : {}),
            ...(note ? { cancellationNote: note } : {}),
          };
          const cancelled = { ...record, ...set };
          const event = this.stageEvent(ReservationEvent.CANCELLED, {
            reservation: toPublicReservation(cancelled),
            reason,
            by,
          });
          const changed = await this.adapter.updateMany(
            { _id: record._id, version: record.version, status: "confirmed" },
            withEvent({ $set: set }, event),
          );
          if (changed === 0) return null;
          await release(this.claims, record._id);
          await this.flushOutbox(record._id, [event]);
          return cancelled;
        },
        () => null,
      );
    },

    /** Frees what a create left behind when its process died between claiming and confirming. */
    async sweepAbandoned(this: ReservationsThis) {
      const before = new Date(Date.now() - PENDING_TIMEOUT_MS).toISOString();
      const stale = await findMany<ReservationRecord>(this.adapter, {
        query: { status: "pending", createdAt: { $lt: before } },
        limit: 100,
      });
      for (const record of stale) {
        // Locked: its create still runs (or died less than 30 s ago); the next sweep looks again.
        await withReservationLock(
          this.locks,
          record._id,
          async () => {
            await release(this.claims, record._id);
            await this.adapter.removeMany({ _id: record._id, status: "pending" });
            this.logger.warn("Removed an abandoned pending reservation", {
              reservationId: record._id,
            });
          },
          () => undefined,
          0,
        );
      }
    },
  },

  started(this: Service) {
    const self = this as ReservationsThis;
    self.stopSweep = runEvery(
      SWEEP_INTERVAL_MS,
      () => self.sweepAbandoned(),
      err => self.logger.error("Sweep failed", err),
    );
  },

  stopped(this: Service) {
    (this as ReservationsThis).stopSweep?.();
  },
};
