/**
 * The collections reservations owns and their indexes (mixins/db.mixin.ts makes them on either
 * store): the reservations, their slot claims (the unique index on `key` is the no-overlap
 * guarantee, slot-claims.ts) and the per-reservation locks (record-lock.ts).
 */
import type { DbMixinOptions } from "../../mixins/db.mixin";
import { FLAGGED_OUTBOXES_PASS, OUTBOX_INDEXES } from "../../mixins/durable-events.mixin";

/**
 * The start-up passes over records an older version wrote (lib/upgrade-passes.ts): their day
 * keys (day-buckets.ts) and open keys (open-keys.ts), and the outbox relay's first look for
 * outboxes without their flag. A version that adds a key names a new pass.
 */
export const RESERVATION_PASSES = ["dayKeys", "openKeys", FLAGGED_OUTBOXES_PASS] as const;

export const RESERVATION_STORES: DbMixinOptions = {
  collection: "reservations",
  indexes: [
    // Window queries on MongoDB (availability, "free during"), conflicts, a space's upcoming
    // reservations.
    { fields: { spaceId: 1, start: 1 } },
    // "Free during" of spaces of many sites within one UTC day, on a store that filters only by
    // equality (FerretDB; window-query.ts). NeDB is not asked for it, and would rewrite a list of every
    // reservation of the day on each write of one of them.
    { fields: { days: 1 }, only: "mongo" },
    // "Free during" of one site on MongoDB and FerretDB: one lookup per (site group, UTC day)
    // (window-query.ts, `windowQueries`).
    { fields: { siteDays: 1 }, only: "mongo" },
    // The availability of one space on MongoDB and FerretDB: one lookup per (space, UTC month)
    // (window-query.ts, `windowQueries`).
    { fields: { spaceMonths: 1 }, only: "mongo" },
    // Window queries on NeDB: one lookup per space and UTC day (window-query.ts). Sparse, so
    // the records still without it (day-buckets.ts) are not one long list rewritten per write.
    { fields: { spaceDays: 1 }, sparse: true, only: "embedded" },
    { fields: { ownerId: 1, start: 1 } },
    // The lists of what has not ended, a person's and a space's: only records that have not
    // (open-keys.ts). Sparse: the closed ones, most of a long history, are not in them.
    { fields: { openOwner: 1 }, sparse: true },
    { fields: { openSpace: 1 }, sparse: true },
    // The GDPR export and erasure: what a manager cancelled for others.
    { fields: { cancelledBy: 1 }, sparse: true },
    { fields: { idempotencyKey: 1 }, unique: true, sparse: true },
    // The sweep of abandoned creates (pending, older than two minutes; lifecycle.ts,
    // `abandonedQuery`): on MongoDB by status and age, on NeDB by the field only pending records
    // have, so its index holds only them.
    { fields: { status: 1, createdAt: 1 }, only: "mongo" },
    { fields: { pendingSince: 1 }, sparse: true, only: "embedded" },
    ...OUTBOX_INDEXES,
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
    // Which start-up passes over older records are done (lib/upgrade-passes.ts).
    { collection: "reservations_upgrades", property: "upgradeMarks" },
  ],
};
