/**
 * How a reservation lives, under the no-overlap guarantee (docs/ARCHITECTURE.md): a create writes
 * it `pending`, claims its cells, then confirms it; a reschedule claims what it adds before it
 * releases what it drops; a cancel frees everything; the sweep frees what a create left behind
 * when its process died half-way. Each change runs under the reservation's lock, and each
 * change's event is stored with it (the outbox) and then published.
 *
 * Plain functions of an explicit dependency object, built once by the service: each reads top to
 * bottom from its request to the database writes, and never hands control back to its caller.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { Context, Logger } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { AuthUser } from "../../lib/auth";
import { ErrorType, fail, failUnavailable } from "../../lib/errors";
import type { EnvelopeOf, EventEnvelope } from "../../lib/events/envelope";
import {
  CancellationReason,
  ReservationEvent,
  type CancellationReasonName,
  type PublicReservation,
  type ReservationEvents,
} from "../../lib/events/reservation-events";
import { findMany, isUniqueViolation, nextUpdatedAt } from "../../lib/store";
import { parseInstant, toStored } from "../../lib/time";
import { withEvent } from "../../mixins/durable-events.mixin";
import { checkBooking } from "./booking-rules";
import { claim, holders, release, releaseOperation } from "./claim-store";
import { storedTimes } from "./day-buckets";
import { withReservationLock } from "./record-lock";
import {
  ERASED_USER_ID,
  mayAccess,
  newReservationId,
  toPublicReservation,
  type ReservationRecord,
  type SpaceView,
} from "./reservation-record";
import { claimKeys } from "./slot-claims";

/** A create that has not confirmed within this long crashed half-way; its claims are freed. */
export const PENDING_TIMEOUT_MS = 2 * 60_000;
/** How long a retried create waits for the first one to finish before answering 409. */
const REPLAY_WAIT_MS = 3_000;

/** What the lifecycle works with; the reservations service builds it once. */
export interface LifecycleDeps {
  reservations: DbAdapter;
  claims: DbAdapter;
  locks: DbAdapter;
  /** The outbox (mixins/durable-events.mixin.ts): make an event, then publish what was stored. */
  events: {
    stage<K extends keyof ReservationEvents & string>(
      type: K,
      data: ReservationEvents[K],
    ): EnvelopeOf<ReservationEvents, K>;
    flush(id: string, events: EventEnvelope[]): Promise<void>;
  };
  /** `spaces.get`, within the request `parent` when there is one. */
  loadSpace(spaceId: string, parent?: Context): Promise<SpaceView>;
  /** The clock the booking rules and "upcoming" are judged by. */
  now(): DateTime;
  logger: Logger;
  /**
   * Creates of this instance that failed on the store (an outage) and may have left their record
   * pending or their cells claimed; `tidyUnfinished` removes what is left once the store answers.
   */
  unfinished: Set<string>;
  /** Which store answers: the sweep asks each in the shape it serves from an index. */
  store: "embedded" | "mongo";
}

export interface CreateRequest {
  user: AuthUser;
  spaceId: string;
  start: string;
  end: string;
  title?: string;
  /** `ownerId|Idempotency-Key`, when the client sent one. */
  idempotencyKey?: string;
  parent?: Context;
}

/** The reservation, and whether it answers a retry with the first request's result. */
export interface Created {
  reservation: PublicReservation;
  replayed: boolean;
}

/** Books a space: the rules, the pending record, its claims, then the confirmation. */
export async function createReservation(deps: LifecycleDeps, req: CreateRequest): Promise<Created> {
  const space = await deps.loadSpace(req.spaceId, req.parent);
  const start = parseInstant(req.start, "start", space.timeZone);
  const end = parseInstant(req.end, "end", space.timeZone);
  const broken = checkBooking(space, start, end, deps.now());
  if (broken) fail(broken, { rule: broken });

  const now = new Date().toISOString();
  const record: ReservationRecord = {
    _id: newReservationId(),
    spaceId: space.id,
    ownerId: req.user.id,
    title: req.title ?? "",
    ...storedTimes(space.id, start, end),
    status: "pending",
    pendingSince: now,
    version: 0,
    ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.reservations.insert(record);
  } catch (err) {
    if (!isUniqueViolation(err)) {
      // The store may have written it before it failed to answer.
      deps.unfinished.add(record._id);
      throw err;
    }
    // The driver resends a write whose connection was lost; if the first one had landed, the
    // resend meets our own record. That is this create going on, not a retried request.
    if (!(await deps.reservations.findById(record._id))) {
      if (!req.idempotencyKey) throw err;
      return { reservation: await firstResult(deps, req.idempotencyKey, record), replayed: true };
    }
  }

  try {
    // Nobody else knows this id yet; the lock keeps the relay and the sweeper off it too.
    const reservation = await withReservationLock(
      deps.locks,
      record._id,
      () => confirmNew(deps, record, space, req),
      () => fail(ErrorType.CONCURRENT_UPDATE),
      0,
    );
    return { reservation, replayed: false };
  } catch (err) {
    // A refusal (4xx) removed what it wrote; any other failure may have left it half-way.
    if (!isRefusal(err)) deps.unfinished.add(record._id);
    throw err;
  }
}

/** A request MindSpaces refused on purpose, after undoing what it had written. */
function isRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "number" && code >= 400 && code < 500;
}

/**
 * Removes what this instance's failed creates left behind, as soon as the store answers again,
 * instead of the sweep's two minutes (their requests have ended, so nothing waits for them). A
 * record that did get confirmed before the store failed is kept with its cells: removal is only
 * of a `pending` record, and cells are freed only when no record holds them any more.
 */
export async function tidyUnfinished(deps: LifecycleDeps): Promise<void> {
  for (const id of [...deps.unfinished]) {
    const removed = await discardPending(deps, id);
    deps.unfinished.delete(id);
    if (removed) deps.logger.info("Removed a create the store failed half-way", { id });
  }
}

/**
 * Removes reservation `id` if it is still `pending`, then frees its cells unless a record still
 * holds them: a create that got confirmed meanwhile keeps its booking. True if it was removed.
 */
async function discardPending(deps: LifecycleDeps, id: string): Promise<boolean> {
  const removed = await deps.reservations.removeMany({ _id: id, status: "pending" });
  if (removed > 0 || !(await deps.reservations.findById(id))) await release(deps.claims, id);
  return removed > 0;
}

/** Claims a new (pending) reservation's cells and confirms it; on any failure removes it. */
async function confirmNew(
  deps: LifecycleDeps,
  record: ReservationRecord,
  space: SpaceView,
  req: CreateRequest,
): Promise<PublicReservation> {
  const start = DateTime.fromISO(record.start, { zone: "utc" });
  const end = DateTime.fromISO(record.end, { zone: "utc" });
  const keys = claimKeys(space.id, start, end);
  const claimed = await claim(deps.claims, {
    spaceId: space.id,
    reservationId: record._id,
    op: record._id,
    keys,
  }).catch(async err => {
    await deps.reservations.removeById(record._id);
    throw err;
  });
  if (!claimed) {
    const conflicts = await conflictsWith(deps, {
      spaceId: space.id,
      keys,
      reservationId: record._id,
    });
    await deps.reservations.removeById(record._id);
    fail(ErrorType.RESERVATION_CONFLICT, { conflicts });
  }
  const confirmed: ReservationRecord = { ...record, status: "confirmed" };
  const created = deps.events.stage(ReservationEvent.CREATED, {
    reservation: toPublicReservation(confirmed),
    by: req.user.id,
  });
  const confirmedNow = await deps.reservations.updateMany(
    { _id: record._id, status: "pending" },
    withEvent({ $set: { status: "confirmed" }, $unset: { pendingSince: "" } }, created),
  );
  // Gone: this create stalled past PENDING_TIMEOUT_MS and the sweep freed its cells meanwhile.
  if (confirmedNow === 0) failUnavailable();

  // A space deactivated while this request ran must not keep a booking made after the
  // deactivation's sweep (see spaces.deactivate): look once more, now that we hold it.
  const after = await deps.loadSpace(space.id, req.parent);
  if (!after.active) {
    await deps.reservations.removeById(record._id);
    await release(deps.claims, record._id);
    fail(ErrorType.SPACE_INACTIVE, { rule: ErrorType.SPACE_INACTIVE });
  }

  await deps.events.flush(record._id, [created]);
  // Per request, so debug: at scale it is one line per booking (the event records it anyway).
  deps.logger.debug("Reservation created", { reservationId: record._id, by: req.user.id });
  return toPublicReservation(confirmed);
}

/** A retried create (same Idempotency-Key): the first request's result, once it is known. */
async function firstResult(
  deps: LifecycleDeps,
  idempotencyKey: string,
  retry: Pick<ReservationRecord, "spaceId" | "start" | "end">,
): Promise<PublicReservation> {
  // The first request may still be claiming its slots; give it a moment.
  for (let waited = 0; ; waited += 100) {
    const first = (await deps.reservations.findOne({
      idempotencyKey,
    })) as ReservationRecord | null;
    // Gone: the first attempt was refused and removed itself just now; a retry starts afresh.
    if (!first) fail(ErrorType.REQUEST_IN_PROGRESS);
    if (first.status !== "pending") {
      if (
        first.spaceId !== retry.spaceId ||
        first.start !== retry.start ||
        first.end !== retry.end
      ) {
        fail(ErrorType.IDEMPOTENCY_KEY_REUSED);
      }
      return toPublicReservation(first);
    }
    if (waited >= REPLAY_WAIT_MS) fail(ErrorType.REQUEST_IN_PROGRESS);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** The reservation `id` if `user` may see it; otherwise 404, as if it did not exist. */
export async function findAccessible(
  deps: Pick<LifecycleDeps, "reservations">,
  id: string,
  user: AuthUser,
): Promise<ReservationRecord> {
  const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
  // Someone else's reservation answers as if it did not exist: ids reveal nothing.
  if (!record || record.status === "pending" || !mayAccess(user, record))
    fail(ErrorType.RESERVATION_NOT_FOUND);
  return record;
}

/** When the cells `keys` are held by other reservations: only when, never who or what. */
async function conflictsWith(
  deps: LifecycleDeps,
  claimed: { spaceId: string; keys: string[]; reservationId: string },
): Promise<{ start: string; end: string }[]> {
  const ids = await holders(deps.claims, claimed);
  if (ids.length === 0) return [];
  // `spaceId` for FerretDB, which filters `_id: { $in }` only after fetching every reservation.
  const records = await findMany<ReservationRecord>(deps.reservations, {
    query: { spaceId: claimed.spaceId, _id: { $in: ids } },
    sort: ["start"],
  });
  return records.filter(r => r.status !== "cancelled").map(r => ({ start: r.start, end: r.end }));
}

export interface RescheduleRequest {
  user: AuthUser;
  id: string;
  start?: string;
  end?: string;
  title?: string;
  parent?: Context;
}

/**
 * Moves and/or retitles a reservation. The new cells are claimed before the old are released;
 * if they are taken the reservation stays exactly as it was (409).
 */
export async function reschedule(
  deps: LifecycleDeps,
  req: RescheduleRequest,
): Promise<PublicReservation> {
  const seen = await findAccessible(deps, req.id, req.user);
  return withReservationLock(
    deps.locks,
    seen._id,
    // Read again under the lock: what another change did before it counts.
    async () => applyReschedule(deps, await findAccessible(deps, seen._id, req.user), req),
    () => fail(ErrorType.CONCURRENT_UPDATE),
  );
}

/** The change itself; the caller holds the reservation's lock. */
async function applyReschedule(
  deps: LifecycleDeps,
  record: ReservationRecord,
  req: RescheduleRequest,
): Promise<PublicReservation> {
  if (record.status === "cancelled") fail(ErrorType.RESERVATION_CANCELLED);
  if (record.end <= toStored(deps.now())) fail(ErrorType.RESERVATION_ENDED);

  const space = await deps.loadSpace(record.spaceId, req.parent);
  const oldStart = DateTime.fromISO(record.start, { zone: "utc" });
  const oldEnd = DateTime.fromISO(record.end, { zone: "utc" });
  const start = req.start ? parseInstant(req.start, "start", space.timeZone) : oldStart;
  const end = req.end ? parseInstant(req.end, "end", space.timeZone) : oldEnd;
  const moved = !start.equals(oldStart) || !end.equals(oldEnd);

  const op = randomUUID();
  let dropped: string[] = [];
  if (moved) {
    const broken = checkBooking(space, start, end, deps.now());
    if (broken) fail(broken, { rule: broken });
    const oldKeys = claimKeys(record.spaceId, oldStart, oldEnd);
    const newKeys = claimKeys(record.spaceId, start, end);
    const added = newKeys.filter(key => !oldKeys.includes(key));
    dropped = oldKeys.filter(key => !newKeys.includes(key));
    const claimed = await claim(deps.claims, {
      spaceId: record.spaceId,
      reservationId: record._id,
      op,
      keys: added,
    });
    if (!claimed) {
      fail(ErrorType.RESERVATION_CONFLICT, {
        conflicts: await conflictsWith(deps, {
          spaceId: record.spaceId,
          keys: added,
          reservationId: record._id,
        }),
      });
    }
  }

  const set = {
    ...storedTimes(record.spaceId, start, end),
    title: req.title ?? record.title,
    version: record.version + 1,
    updatedAt: nextUpdatedAt(record.updatedAt),
  };
  const reservation = toPublicReservation({ ...record, ...set });
  const updated = deps.events.stage(ReservationEvent.UPDATED, {
    reservation,
    previous: { start: record.start, end: record.end, title: record.title },
    by: req.user.id,
  });
  // Conditional on the version read: of two concurrent changes only one applies.
  const changed = await deps.reservations.updateMany(
    { _id: record._id, version: record.version, status: "confirmed" },
    withEvent({ $set: set }, updated),
  );
  if (changed === 0) {
    await releaseOperation(deps.claims, op);
    fail(ErrorType.CONCURRENT_UPDATE);
  }
  await release(deps.claims, record._id, dropped);
  await deps.events.flush(record._id, [updated]);
  return reservation;
}

/**
 * Cancels the reservation if it is still confirmed and frees its time; null when it is not, or
 * when another change kept it locked. An owner's erasure also blanks the title, in the event too.
 */
export async function cancel(
  deps: LifecycleDeps,
  seen: ReservationRecord,
  by: string,
  reason: CancellationReasonName,
  note?: string,
): Promise<ReservationRecord | null> {
  return withReservationLock(
    deps.locks,
    seen._id,
    async () => {
      const record = (await deps.reservations.findById(seen._id)) as ReservationRecord | null;
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
      const event = deps.events.stage(ReservationEvent.CANCELLED, {
        reservation: toPublicReservation(cancelled),
        reason,
        by,
      });
      const changed = await deps.reservations.updateMany(
        { _id: record._id, version: record.version, status: "confirmed" },
        withEvent({ $set: set }, event),
      );
      if (changed === 0) return null;
      await release(deps.claims, record._id);
      await deps.events.flush(record._id, [event]);
      return cancelled;
    },
    () => null,
  );
}

/**
 * The query for pending records created before `before`, in the shape each store serves from an
 * index. MongoDB has (status, createdAt), and FerretDB hands the status to PostgreSQL. NeDB
 * indexes one field per index, and an index on a status would keep one list of every confirmed
 * reservation, rewritten on each write of one; on `createdAt` it read every reservation older
 * than two minutes, once a minute. So it asks for `pendingSince`, which only pending records have.
 */
export function abandonedQuery(store: LifecycleDeps["store"], before: string) {
  return store === "embedded"
    ? { status: "pending", pendingSince: { $lt: before } }
    : { status: "pending", createdAt: { $lt: before } };
}

/**
 * Gives the records an older version left pending their `pendingSince`, so the embedded sweep
 * finds them. Run once at start on the embedded store, whose one instance is this one: nothing
 * else writes a pending record without it meanwhile. Returns how many it marked.
 */
export async function markOlderPending(deps: LifecycleDeps): Promise<number> {
  const older = await findMany<ReservationRecord>(deps.reservations, {
    query: { status: "pending", pendingSince: { $exists: false } },
  });
  for (const record of older) {
    await deps.reservations.updateMany(
      { _id: record._id, status: "pending", pendingSince: { $exists: false } },
      { $set: { pendingSince: record.createdAt } },
    );
  }
  return older.length;
}

/** Frees what creates left behind when their process died between claiming and confirming. */
export async function sweepAbandoned(deps: LifecycleDeps): Promise<void> {
  const before = new Date(Date.now() - PENDING_TIMEOUT_MS).toISOString();
  const stale = await findMany<ReservationRecord>(deps.reservations, {
    query: abandonedQuery(deps.store, before),
    limit: 100,
  });
  for (const record of stale) {
    // Locked: its create still runs (or died less than 30 s ago); the next sweep looks again.
    await withReservationLock(
      deps.locks,
      record._id,
      async () => {
        // Confirmed between the look and the lock (a create that stalled that long): it stays.
        if (!(await discardPending(deps, record._id))) return;
        deps.logger.warn("Removed an abandoned pending reservation", {
          reservationId: record._id,
        });
      },
      () => undefined,
      0,
    );
  }
}

/**
 * A person cancels a reservation they may see (a manager's `note` is kept for the owner).
 * Cancelling a cancelled one answers it as it is.
 */
export async function cancelByRequest(
  deps: LifecycleDeps,
  req: { user: AuthUser; id: string; note?: string },
): Promise<PublicReservation> {
  const record = await findAccessible(deps, req.id, req.user);
  if (record.status === "cancelled") return toPublicReservation(record);
  if (record.end <= toStored(deps.now())) fail(ErrorType.RESERVATION_ENDED);
  const cancelled = await cancel(deps, record, req.user.id, CancellationReason.CANCELLED, req.note);
  if (cancelled) return toPublicReservation(cancelled);
  // Not confirmed any more, or locked: cancelled meanwhile is an answer, anything else is not.
  const now = await findAccessible(deps, record._id, req.user);
  if (now.status !== "cancelled") fail(ErrorType.CONCURRENT_UPDATE);
  return toPublicReservation(now);
}

/** Cancels, in batches, every confirmed reservation matching `query` that has not ended. */
export async function cancelUpcoming(
  deps: LifecycleDeps,
  query: Record<string, unknown>,
  by: string,
  reason: CancellationReasonName,
): Promise<number> {
  let cancelled = 0;
  for (;;) {
    const batch = await findMany<ReservationRecord>(deps.reservations, {
      query: { ...query, status: "confirmed", end: { $gt: toStored(deps.now()) } },
      limit: 200,
    });
    if (batch.length === 0) return cancelled;
    for (const record of batch) {
      if (await cancel(deps, record, by, reason)) cancelled++;
    }
  }
}

/**
 * A user was erased: their upcoming reservations are cancelled (freeing the time), then every
 * reservation of theirs loses its owner and title but keeps space and time, so the statistics
 * stay right; where they cancelled someone else's, who cancelled it is forgotten too. Safe to
 * run twice: the second time finds nothing of theirs.
 */
export async function forgetUser(deps: LifecycleDeps, userId: string, by: string): Promise<void> {
  await cancelUpcoming(deps, { ownerId: userId }, by, CancellationReason.OWNER_ERASED);
  // One at a time under each one's lock, so no concurrent write can put a name back.
  for (;;) {
    const touched = await findMany<ReservationRecord>(deps.reservations, {
      query: { $or: [{ ownerId: userId }, { cancelledBy: userId }] },
      limit: 200,
    });
    if (touched.length === 0) return;
    for (const record of touched) {
      await withReservationLock(
        deps.locks,
        record._id,
        async () => {
          await deps.reservations.updateMany(
            { _id: record._id, ownerId: userId },
            {
              $set: { ownerId: ERASED_USER_ID, title: "" },
              $unset: { idempotencyKey: true, cancellationNote: true },
            },
          );
          await deps.reservations.updateMany(
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
}
