/** The reservations service's shape, shared by the service file and its lifecycle mixin. */
import type { DateTime } from "luxon";
import type { Context, Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { AuthMeta, AuthUser } from "../../lib/auth";
import type { DurableEventsMethods } from "../../mixins/durable-events.mixin";
import type { PublicSpace } from "../../lib/events/space-events";
import type {
  CancellationReasonName,
  PublicReservation,
  ReservationEvents,
} from "../../lib/events/reservation-events";
import type { BookableSpace } from "../../lib/bookable-space";
import type { ReservationRecord } from "./reservation-record";

export type Meta = AuthMeta & {
  idempotencyKey?: unknown;
  $statusCode?: number;
  $responseHeaders?: Record<string, string>;
};

/** What reservations reads of a space (`spaces.get`). */
export type SpaceView = Pick<PublicSpace, "id" | "name"> & BookableSpace;

export interface ReservationsMethods extends DurableEventsMethods<ReservationEvents> {
  now(): DateTime;
  loadSpace(ctx: Context, spaceId: string): Promise<SpaceView>;
  findAccessible(id: string, user: AuthUser): Promise<ReservationRecord>;
  conflictsWith(keys: string[], reservationId: string): Promise<{ start: string; end: string }[]>;
  overlapping(spaceIds: string[], from: DateTime, to: DateTime): Promise<ReservationRecord[]>;
  replay(
    ctx: Context<CreateParams, Meta>,
    idempotencyKey: string,
    start: string,
    end: string,
  ): Promise<PublicReservation>;
  cancelRecord(
    record: ReservationRecord,
    by: string,
    reason: CancellationReasonName,
    note?: string,
  ): Promise<ReservationRecord | null>;
  sweepAbandoned(): Promise<void>;
  applyReschedule(
    ctx: Context<RescheduleParams, Meta>,
    record: ReservationRecord,
    user: AuthUser,
  ): Promise<PublicReservation>;
  confirmNew(
    ctx: Context<CreateParams, Meta>,
    record: ReservationRecord,
    space: SpaceView,
    start: DateTime,
    end: DateTime,
  ): Promise<PublicReservation>;
}

export interface ReservationsVars {
  adapter: DbAdapter;
  claims: DbAdapter;
  locks: DbAdapter;
  stopSweep?: () => void;
}

export type ReservationsThis = Service & ReservationsMethods & ReservationsVars;

export interface CreateParams {
  spaceId: string;
  start: string;
  end: string;
  title?: string;
}

export interface RescheduleParams {
  id: string;
  start?: string;
  end?: string;
  title?: string;
}
