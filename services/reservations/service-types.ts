/** The reservations service's own shape: its methods, properties and action parameters. */
import type { DateTime } from "luxon";
import type { Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { AuthMeta } from "../../lib/auth";
import type { CreatedMeta } from "../../lib/created";
import type { ReservationEvents } from "../../lib/events/reservation-events";
import type { DurableEventsMethods } from "../../mixins/durable-events.mixin";
import type { UpgradePassesVars } from "../../mixins/upgrade-passes.mixin";
import type { LifecycleDeps } from "./lifecycle";
import type { BookableSpace } from "../../lib/bookable-space";
import type { Unavailable } from "./queries";
import type { WindowReads, WindowSpace } from "./window-query";

export type Meta = AuthMeta &
  CreatedMeta & {
    idempotencyKey?: unknown;
    $responseHeaders?: Record<string, string>;
  };

/** What the "free during" search asks of reservations about some spaces and one window. */
export interface SpacesWindow {
  spaces: (BookableSpace & WindowSpace)[];
  from: string;
  to: string;
}

export interface ReservationsMethods extends DurableEventsMethods<ReservationEvents> {
  now(): DateTime;
  /** Which of the spaces are free for the window, and why each other one is not. */
  spacesAvailability(
    params: SpacesWindow,
  ): Promise<{ free: string[]; unavailable: Record<string, Unavailable> }>;
  /** How window queries are to be asked of this instance's store now (window-query.ts). */
  windowReads(): WindowReads;
  giveDayKeys(): Promise<number | null>;
  giveOpenKeys(): Promise<number | null>;
  closeEnded(): Promise<number>;
  untilDone<T>(what: string, pass: () => Promise<T | null>): Promise<T | null>;
}

export interface ReservationsVars extends UpgradePassesVars {
  adapter: DbAdapter;
  claims: DbAdapter;
  locks: DbAdapter;
  /** What the lifecycle functions (lifecycle.ts) work with, built once in `created`. */
  lifecycle: LifecycleDeps;
  stopSweep?: () => void;
  stopTidy?: () => void;
  stopClosing?: () => void;
  /**
   * Every record carries the day keys this store reads (day-buckets.ts), so window queries may
   * ask for them.
   */
  dayKeysStored?: boolean;
  /**
   * Every record carries its open keys or is closed (open-keys.ts), so the lists of what has
   * not ended may ask by them.
   */
  openKeysStored?: boolean;
  /** The last UTC day the closing pass looked at (`closeEnded`); it starts there next time. */
  closedThrough?: string;
  /** Failed start-up passes waiting to be tried again (`untilDone`); `stopped` ends the waits. */
  passRetries?: Set<{ timer: NodeJS.Timeout; resolve: () => void }>;
  /**
   * The start-up passes over records an older version wrote (day and open keys; pending marks on
   * the embedded store), awaited by `stopped`; `stopping` ends the key passes after their batch.
   */
  backfill?: Promise<void>;
  /** The first closing pass, after `backfill` (`closeEnded`), awaited by `stopped`. */
  firstClose?: Promise<void>;
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
