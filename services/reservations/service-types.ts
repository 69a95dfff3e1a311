/** The reservations service's own shape: its methods, properties and action parameters. */
import type { DateTime } from "luxon";
import type { Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { AuthMeta } from "../../lib/auth";
import type { CreatedMeta } from "../../lib/created";
import type { ReservationEvents } from "../../lib/events/reservation-events";
import type { DurableEventsMethods } from "../../mixins/durable-events.mixin";
import type { LifecycleDeps } from "./lifecycle";

export type Meta = AuthMeta &
  CreatedMeta & {
    idempotencyKey?: unknown;
    $responseHeaders?: Record<string, string>;
  };

export interface ReservationsMethods extends DurableEventsMethods<ReservationEvents> {
  now(): DateTime;
}

export interface ReservationsVars {
  adapter: DbAdapter;
  claims: DbAdapter;
  locks: DbAdapter;
  /** What the lifecycle functions (lifecycle.ts) work with, built once in `created`. */
  lifecycle: LifecycleDeps;
  stopSweep?: () => void;
  stopTidy?: () => void;
  /** Every record carries its `days` (day-buckets.ts), so window queries may ask for a day. */
  daysStored?: boolean;
  /** The running `days` backfill, awaited by `stopped`; `stopping` ends it after its batch. */
  backfill?: Promise<void>;
  stopping?: boolean;
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
