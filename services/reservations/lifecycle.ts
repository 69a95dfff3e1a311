/**
 * How a reservation lives, under the no-overlap guarantee (docs/ARCHITECTURE.md): a create writes
 * it `pending` with its event, claims its cells, publishes the event and confirms it in one write;
 * a reschedule claims what it adds before it releases what it drops; a cancel frees everything;
 * the sweep settles what a create left when its process died half-way. Changes of a confirmed
 * reservation run under its lock, and each stores its event with it (the outbox) and then
 * publishes it.
 *
 * Plain functions of an explicit dependency object, built once by the service: each reads top to
 * bottom from its request to the database writes, and never hands control back to its caller.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { Errors, type Context, type Logger } from "moleculer";
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
import { claim, release, releaseOperation } from "./claim-store";
import { storedTimes } from "./day-buckets";
import { openKeysOf, openScope } from "./open-keys";
import { LOCK_WAIT_MS, withReservationLock } from "./record-lock";
import {
  ERASED_USER_ID,
  mayAccess,
  newReservationId,
  toPublicReservation,
  type ReservationRecord,
  type SpaceView,
} from "./reservation-record";
import { claimKeys, storedCells } from "./slot-claims";
import { freeHeld, freeStale, inTheWay, staleAmong } from "./stale-claims";

const { MoleculerRetryableError } = Errors;

/** A create that has not confirmed within this long crashed half-way; the sweep settles it. */
export const PENDING_TIMEOUT_MS = 2 * 60_000;
/**
 * A create publishes its event only this soon after it began (by its own monotonic clock, which
 * no clock adjustment moves), so an instance whose clock runs up to this much ahead still cannot
 * sweep a record whose create may yet publish (`settle`).
 */
const PUBLISH_WITHIN_MS = PENDING_TIMEOUT_MS / 2;
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
    /** Publishes events stored elsewhere than an outbox; the ids of those it published. */
    publish(events: EventEnvelope[]): Promise<string[]>;
  };
  /** `spaces.get`, within the request `parent` when there is one. */
  loadSpace(spaceId: string, parent?: Context): Promise<SpaceView>;
  /** The clock the booking rules and "upcoming" are judged by. */
  now(): DateTime;
  logger: Logger;
  /**
   * Creates of this instance that failed on the store (an outage) and may have left their record
   * pending or their cells claimed, or whose space's last look failed; `tidyUnfinished` settles
   * them once the store answers.
   */
  unfinished: Set<string>;
  /** Which store answers: the sweep asks each in the shape it serves from an index. */
  store: "embedded" | "mongo";
  /** Whether every record carries its open keys, so "upcoming" may ask by them (open-keys.ts). */
  openKeysStored(): boolean;
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

/**
 * Books a space: the rules; the pending record with its event; its claims; the event published;
 * then the confirmation. Three writes and no lock: nobody else writes a pending record until it
 * is older than PENDING_TIMEOUT_MS (`settle`), and a create publishes and confirms only within
 * PUBLISH_WITHIN_MS of its start (it checks before each; what remains is the time its confirming
 * write itself may take).
 */
export async function createReservation(deps: LifecycleDeps, req: CreateRequest): Promise<Created> {
  const began = performance.now();
  const space = await deps.loadSpace(req.spaceId, req.parent);
  const start = parseInstant(req.start, "start", space.timeZone);
  const end = parseInstant(req.end, "end", space.timeZone);
  const broken = checkBooking(space, start, end, deps.now());
  if (broken) fail(broken, { rule: broken });

  const now = new Date().toISOString();
  const fields = {
    _id: newReservationId(),
    spaceId: space.id,
    ownerId: req.user.id,
    title: req.title ?? "",
    ...storedTimes(space, start, end),
    ...openKeysOf(req.user.id, space.id),
    version: 0,
    ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
    createdAt: now,
    updatedAt: now,
  };
  const createdEvent = deps.events.stage(ReservationEvent.CREATED, {
    reservation: toPublicReservation({ ...fields, status: "confirmed" }),
    by: req.user.id,
    space: { name: space.name, timeZone: space.timeZone },
  });
  const record = {
    ...fields,
    status: "pending" as const,
    pendingSince: now,
    createdEvent,
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
    return {
      reservation: await confirmNew(deps, record, space, { ...req, began }),
      replayed: false,
    };
  } catch (err) {
    // A refusal (4xx) undid what it wrote; any other failure may have left it half-way.
    if (!isRefusal(err)) deps.unfinished.add(record._id);
    throw err;
  }
}

/**
 * A request MindSpaces refused on purpose, after undoing what it had written. Not a service that
 * could not be reached (Moleculer answers those 404 too, but retryable).
 */
function isRefusal(err: unknown): boolean {
  const { code, retryable } = err as { code?: unknown; retryable?: unknown };
  return typeof code === "number" && code >= 400 && code < 500 && retryable !== true;
}

/**
 * Settles what this instance's failed creates left behind as soon as the store answers again,
 * instead of after the sweep's two minutes (their requests have ended, so nothing waits for
 * them): completed if it holds its cells, removed otherwise (`settle`).
 */
export async function tidyUnfinished(deps: LifecycleDeps): Promise<void> {
  await eachSettled([...deps.unfinished], async id => {
    const outcome = await settleLocked(deps, id);
    if (outcome === "locked") return;
    deps.unfinished.delete(id);
    if (outcome === "removed")
      deps.logger.info("Removed a create the store failed half-way", { id });
    if (outcome === "completed")
      deps.logger.info("Completed a create the store failed half-way", { id });
  });
}

/**
 * Runs `settleOne` for each id, going on past one that fails (say, its space could not be
 * looked at) so the others are not held up; then throws the first failure, for the round's log.
 */
async function eachSettled(ids: string[], settleOne: (id: string) => Promise<void>) {
  let first: unknown;
  for (const id of ids) {
    await settleOne(id).catch(err => {
      first ??= err;
    });
  }
  if (first !== undefined) throw first;
}

/**
 * What becomes of reservation `id` if its create is over and it is still `pending`. It holds
 * every cell of its time and carries its event: its create may have published that event, so it
 * is confirmed and the event is published again (consumers act on an event once). Otherwise its
 * create never published: the record goes, and its cells unless a record still holds them. A
 * record that is not pending (any more) stays as it is. The caller holds the record's lock, which
 * keeps other settlers off it; its create takes none, and gave up writing it long before.
 */
async function settle(deps: LifecycleDeps, id: string): Promise<"completed" | "removed" | "kept"> {
  const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
  if (record?.status === "pending" && record.createdEvent && (await holdsItsCells(deps, record))) {
    const event = record.createdEvent;
    const completed = await deps.reservations.updateMany(
      { _id: id, status: "pending" },
      withEvent({ $set: { status: "confirmed" }, $unset: PENDING_FIELDS }, event),
    );
    if (completed === 0) return "kept";
    await deps.events.flush(id, [event]);
    await lookAtItsSpace(deps, record);
    return "completed";
  }
  if (record?.status === "confirmed") {
    // A create of this instance whose last look at its space failed, or completed meanwhile.
    await lookAtItsSpace(deps, record);
    return "kept";
  }
  if (record && record.status !== "pending") return "kept";
  const removed = record ? await deps.reservations.removeMany({ _id: id, status: "pending" }) : 0;
  if (removed > 0 || !(await deps.reservations.findById(id))) await release(deps.claims, id);
  return removed > 0 ? "removed" : "kept";
}

/**
 * A booking just confirmed, completed or kept is cancelled if its space was switched off
 * meanwhile (`cancelIfDeactivated`; by default as its owner, by a settler holding its lock). When
 * that look fails, this instance's tidy looks again (`settle`). True if it was withdrawn.
 */
async function lookAtItsSpace(
  deps: LifecycleDeps,
  record: ReservationRecord,
  how: Parameters<typeof cancelIfDeactivated>[2] = { by: record.ownerId, lockHeld: true },
): Promise<boolean> {
  try {
    return await cancelIfDeactivated(deps, record, how);
  } catch (err) {
    deps.unfinished.add(record._id);
    throw err;
  }
}

/** Whether a create that began at `began` (its monotonic clock) is past its time to publish. */
function stalled(began: number): boolean {
  return performance.now() - began > PUBLISH_WITHIN_MS;
}

/** `settle` under the record's lock, waiting `waitMs` for it; "locked" when it stayed held. */
function settleLocked(deps: LifecycleDeps, id: string, waitMs = 0) {
  return withReservationLock(
    deps.locks,
    id,
    () => settle(deps, id),
    () => "locked" as const,
    waitMs,
  );
}

/** The fields only a pending record has. */
const PENDING_FIELDS = { pendingSince: true, createdEvent: true };

/** Whether the reservation holds every cell of its time (its create's claims all went in). */
async function holdsItsCells(deps: LifecycleDeps, record: ReservationRecord): Promise<boolean> {
  const keys = storedCells(record);
  const held = await findMany<{ key: string }>(deps.claims, {
    query: { spaceId: record.spaceId, reservationId: record._id },
  });
  const heldKeys = new Set(held.map(claim => claim.key));
  return keys.every(key => heldKeys.has(key));
}

/**
 * Claims a new (pending) reservation's cells, publishes its event and confirms it; a refusal
 * removes what it wrote.
 */
async function confirmNew(
  deps: LifecycleDeps,
  record: ReservationRecord & Required<Pick<ReservationRecord, "createdEvent">>,
  space: SpaceView,
  req: CreateRequest & { began: number },
): Promise<PublicReservation> {
  const start = DateTime.fromISO(record.start, { zone: "utc" });
  const end = DateTime.fromISO(record.end, { zone: "utc" });
  const conflicts = await claimOrConflicts(deps, {
    spaceId: space.id,
    reservationId: record._id,
    op: record._id,
    keys: claimKeys(space.id, start, end),
  }).catch(async err => {
    await withdrawFailed(deps, record._id);
    throw err;
  });
  if (conflicts) {
    await removeIfPending(deps, record._id);
    fail(ErrorType.RESERVATION_CONFLICT, { conflicts });
  }
  // So stalled that a sweep may have judged its cells (`settle`): it must not publish now. Its
  // instance's tidy settles what it wrote as a sweep would: it may complete it after all.
  if (stalled(req.began)) failUnavailable();

  const event = record.createdEvent;
  const published = (await deps.events.publish([event])).length > 0;
  // Stalled in publishing: a sweep may settle it meanwhile, and on a store that updates by
  // read-modify-write two writers of the record could undo each other. Its tidy, or a sweep,
  // completes it instead (it holds its cells and carries its event).
  if (stalled(req.began)) failUnavailable();
  const confirm = { $set: { status: "confirmed" }, $unset: PENDING_FIELDS };
  // Unpublished (the broker is down), it goes into the outbox, for the relay to publish.
  const confirmedNow = await deps.reservations.updateMany(
    { _id: record._id, status: "pending" },
    published ? confirm : withEvent(confirm, event),
  );
  // Not pending: only a sweep completing it meanwhile (this create stalled) confirms it.
  if (confirmedNow === 0) {
    const now = (await deps.reservations.findById(record._id)) as ReservationRecord | null;
    if (now?.status !== "confirmed") failUnavailable();
  }
  const confirmed: ReservationRecord = { ...record, status: "confirmed" };
  delete confirmed.createdEvent;
  delete confirmed.pendingSince;
  // Confirmed and announced: if this look fails, its instance's tidy looks again.
  const withdrawn = await lookAtItsSpace(deps, confirmed, { by: req.user.id, parent: req.parent });
  if (withdrawn) fail(ErrorType.SPACE_INACTIVE, { rule: ErrorType.SPACE_INACTIVE });
  // Per request, so debug: at scale it is one line per booking (the event records it anyway).
  deps.logger.debug("Reservation created", { reservationId: record._id, by: req.user.id });
  return toPublicReservation(confirmed);
}

/**
 * A space deactivated while its booking was being made must not keep a booking made after the
 * deactivation's sweep (see spaces.deactivate), which cancels only confirmed ones: look once more
 * now that it is confirmed, and cancel it as that sweep would have, as the refusal of its request
 * (a retry with the same Idempotency-Key starts afresh; also when that sweep cancelled it first).
 * True if the space was switched off and the booking is not confirmed any more; 503 when it stays
 * confirmed (its lock stayed held), and its instance's tidy looks again (`settle`). `lockHeld`
 * when the caller holds the reservation's lock.
 */
async function cancelIfDeactivated(
  deps: LifecycleDeps,
  confirmed: ReservationRecord,
  how: { by: string; parent?: Context; lockHeld?: boolean },
): Promise<boolean> {
  const space = await deps.loadSpace(confirmed.spaceId, how.parent);
  if (space.active) return false;
  const id = confirmed._id;
  const withdraw = async () => {
    const withdrawal = { reason: CancellationReason.SPACE_DEACTIVATED, by: how.by };
    if (await cancelHeld(deps, id, { ...withdrawal, forgetRequest: true })) return true;
    const now = (await deps.reservations.findById(id)) as ReservationRecord | null;
    if (now?.status === "confirmed") return false;
    // Cancelled by the deactivation's sweep first: its request is refused all the same.
    await deps.reservations.updateMany(
      { _id: id, status: "cancelled" },
      { $unset: { idempotencyKey: true } },
    );
    return true;
  };
  const done = how.lockHeld
    ? await withdraw()
    : await withReservationLock(deps.locks, id, withdraw, () => false);
  if (!done) failUnavailable();
  return true;
}

/** Removes reservation `id` if it is still pending: a sweep may have completed a stalled create. */
async function removeIfPending(deps: LifecycleDeps, id: string): Promise<void> {
  await deps.reservations.removeMany({ _id: id, status: "pending" });
}

/**
 * Withdraws a create whose claiming failed: its record while pending, then the claims it may
 * have written all the same. Not a confirmed booking's: a create that stalled that long may have
 * been completed by a sweep that found its claims all in place (`settle`). Its claims stay with
 * it then; when a sweep removed the record instead, they go (as `settle` releases them).
 */
async function withdrawFailed(deps: LifecycleDeps, id: string): Promise<void> {
  const removed = await deps.reservations.removeMany({ _id: id, status: "pending" });
  if (removed > 0 || !(await deps.reservations.findById(id))) await release(deps.claims, id);
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

/**
 * Claims `keys` for the reservation as operation `op`, or answers what is in the way: null when
 * claimed. Claims there that no booking needs (stale-claims.ts) are freed, and it tries once
 * more: other holders' under their locks, and, for a reschedule that holds the reservation's lock
 * (`holding`, its record as read under it), its own from a move whose release failed. The
 * conflicts say only when, never who or what.
 */
async function claimOrConflicts(
  deps: LifecycleDeps,
  request: { spaceId: string; reservationId: string; op: string; keys: string[] },
  holding?: ReservationRecord,
): Promise<{ start: string; end: string }[] | null> {
  if (await claim(deps.claims, request)) return null;
  let found = await inTheWay(deps, request);
  const ownFreed =
    holding !== undefined &&
    (await freeHeld(deps, holding, holding._id, staleAmong(holding, found.own)));
  const othersFreed =
    found.suspects.length > 0 && (await freeStale(deps, request.spaceId, found.suspects));
  if (ownFreed || othersFreed) {
    if (await claim(deps.claims, request)) return null;
    found = await inTheWay(deps, request);
  }
  return found.records
    .filter(r => r.status !== "cancelled")
    .map(r => ({ start: r.start, end: r.end }));
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
    const conflicts = await claimOrConflicts(
      deps,
      { spaceId: record.spaceId, reservationId: record._id, op, keys: added },
      record,
    ).catch(async err => {
      // Under its lock nothing else completes or moves it: what this attempt wrote is undone.
      await releaseOperation(deps.claims, op);
      throw err;
    });
    if (conflicts) fail(ErrorType.RESERVATION_CONFLICT, { conflicts });
  }

  const set = {
    ...storedTimes(space, start, end),
    title: req.title ?? record.title,
    version: record.version + 1,
    updatedAt: nextUpdatedAt(record.updatedAt),
  };
  const reservation = toPublicReservation({ ...record, ...set });
  const updated = deps.events.stage(ReservationEvent.UPDATED, {
    reservation,
    previous: { start: record.start, end: record.end, title: record.title },
    by: req.user.id,
    space: { name: space.name, timeZone: space.timeZone },
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
    () => cancelHeld(deps, seen._id, { by, reason, note }),
    () => null,
  );
}

/**
 * `cancel`, by a caller that holds the reservation's lock. `forgetRequest`: the booking is
 * withdrawn as its request's refusal, so its Idempotency-Key goes and a retry starts afresh.
 */
async function cancelHeld(
  deps: LifecycleDeps,
  id: string,
  how: { by: string; reason: CancellationReasonName; note?: string; forgetRequest?: boolean },
): Promise<ReservationRecord | null> {
  const { by, reason, note } = how;
  const record = (await deps.reservations.findById(id)) as ReservationRecord | null;
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
    withEvent(
      { $set: set, ...(how.forgetRequest ? { $unset: { idempotencyKey: true } } : {}) },
      event,
    ),
  );
  if (changed === 0) return null;
  await release(deps.claims, record._id);
  await deps.events.flush(record._id, [event]);
  return cancelled;
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

/**
 * Settles what creates left behind when their process died before confirming (`settle`): those
 * holding their cells are completed, the rest removed.
 */
export async function sweepAbandoned(deps: LifecycleDeps): Promise<void> {
  const before = new Date(Date.now() - PENDING_TIMEOUT_MS).toISOString();
  const stale = await findMany<ReservationRecord>(deps.reservations, {
    query: abandonedQuery(deps.store, before),
    limit: 100,
  });
  await eachSettled(
    stale.map(record => record._id),
    async id => {
      // Locked: another instance settles it now; the next sweep looks again.
      const outcome = await settleLocked(deps, id);
      if (outcome === "completed" || outcome === "removed") {
        deps.logger.warn(
          outcome === "completed"
            ? "Completed an abandoned create that held its time"
            : "Removed an abandoned pending reservation",
          { reservationId: id },
        );
      }
    },
  );
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

/** Cancels, in batches, every confirmed reservation of an owner or a space that has not ended. */
export async function cancelUpcoming(
  deps: LifecycleDeps,
  scope: { ownerId: string } | { spaceId: string },
  by: string,
  reason: CancellationReasonName,
): Promise<number> {
  let cancelled = 0;
  for (;;) {
    const now = deps.now();
    const query = openScope(scope, now, { stored: deps.openKeysStored(), now });
    const batch = await findMany<ReservationRecord>(deps.reservations, {
      query: { ...query, status: "confirmed", end: { $gt: toStored(now) } },
      limit: 200,
    });
    if (batch.length === 0) return cancelled;
    for (const record of batch) {
      if (await cancel(deps, record, by, reason)) cancelled++;
    }
  }
}

/**
 * A pending record met by the erasure of its owner. Its create writes it without a lock, so the
 * erasure must not write it meanwhile (on FerretDB one of the two writes could be lost): while the
 * create may still run, the erasure fails as "try again" and the event's handler runs it again
 * soon, from the start, when the booking is confirmed and its cancel comes first. A record older
 * than a create may take is settled here, as the sweep would.
 */
async function awaitCreate(deps: LifecycleDeps, record: ReservationRecord): Promise<void> {
  if (Date.parse(record.createdAt) > Date.now() - PENDING_TIMEOUT_MS) {
    throw new MoleculerRetryableError("A booking of this person is being made", 503);
  }
  if ((await settleLocked(deps, record._id, LOCK_WAIT_MS)) === "locked") {
    throw new MoleculerRetryableError("A booking of this person is being settled", 503);
  }
  throw new MoleculerRetryableError("A booking of this person was settled just now", 503);
}

/**
 * A user was erased: their upcoming reservations are cancelled (freeing the time), then every
 * reservation of theirs loses its owner and title but keeps space and time, so the statistics
 * stay right; where they cancelled someone else's, who cancelled it is forgotten too. Safe to
 * run twice: the second time finds nothing of theirs.
 */
export async function forgetUser(deps: LifecycleDeps, userId: string, by: string): Promise<void> {
  await cancelUpcoming(deps, { ownerId: userId }, by, CancellationReason.OWNER_ERASED);
  // What ends after this was upcoming for the cancel above too.
  const upTo = toStored(deps.now());
  // One at a time under each one's lock, so no concurrent write can put a name back.
  for (;;) {
    const touched = await findMany<ReservationRecord>(deps.reservations, {
      query: { $or: [{ ownerId: userId }, { cancelledBy: userId }] },
      limit: 200,
    });
    if (touched.length === 0) return;
    for (const record of touched) {
      if (record.status === "pending") await awaitCreate(deps, record);
      if (record.ownerId === userId && record.status === "confirmed" && record.end > upTo) {
        // Confirmed after the cancel above looked (its create was pending then), or its lock
        // stayed held: the erasure starts over, so it is cancelled before it is anonymised.
        throw new MoleculerRetryableError("A booking of this person is still upcoming", 503);
      }
      await withReservationLock(
        deps.locks,
        record._id,
        async () => {
          await deps.reservations.updateMany(
            { _id: record._id, ownerId: userId },
            {
              $set: { ownerId: ERASED_USER_ID, title: "" },
              $unset: { idempotencyKey: true, cancellationNote: true, openOwner: true },
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
