/**
 * The spaces an instance answers reads from: every space record, held in memory and never stale.
 *
 * Spaces are few (thousands at most) and change rarely, while every search, availability and
 * create reads them; on FerretDB each of those reads cost a query whose documents PostgreSQL
 * returns as JSON for FerretDB to decode (most of its CPU under load, BENCHMARKS.md). So each
 * instance keeps the whole catalogue and asks the store only for one tiny document per request:
 * the catalogue's version.
 *
 * The rule that keeps it fresh across instances: every write to a space, once written, gives the
 * version document a new stamp (`stampVersion`); a read first reads the stamp, and reloads the
 * catalogue only when it differs from the stamp its snapshot was loaded under. A load reads the
 * stamp before the records, so a snapshot is never labelled newer than what it holds. A change
 * whose request has completed therefore stamped before the reader began, and the reader either
 * holds a snapshot loaded after that stamp or loads one.
 *
 * The stamp is a fresh UUID rather than a counter raised with `$inc`: FerretDB applies an update
 * as a read-modify-write of the whole document (docs/ARCHITECTURE.md), so two concurrent `$inc`
 * could both write n + 1, and a snapshot loaded between them would pass for the later change.
 * Two concurrent stamps leave the later writer's, which no snapshot loaded before it carries.
 *
 * Reads and loads are coalesced: a request waits for a version read (or load) that began after
 * it did, never one already under way, which may have missed a change completed just before;
 * at most one of each runs at a time, and everyone waiting for the next shares it.
 */
import { randomUUID } from "node:crypto";
import type { DbAdapter } from "moleculer-db";
import { withoutOutbox } from "../../mixins/durable-events.mixin";
import { findMany, isUniqueViolation } from "../../lib/store";
import type { SpaceRecord } from "./space-record";

/** A space as readers see it: the record without its outbox, frozen, since callers share it. */
export type SnapshotSpace = Readonly<
  Omit<SpaceRecord, "outbox" | "outboxIds" | "outboxSince" | "outboxPending">
>;

/** The one document of the version collection. */
export const VERSION_ID = "spaces";

export interface VersionRecord {
  _id: typeof VERSION_ID;
  stamp: string;
  stampedAt: string;
}

/** What the snapshot needs of the store. */
export interface SnapshotStore {
  /** The catalogue's current stamp; null while no space was ever written. */
  readStamp(): Promise<string | null>;
  /** Every space record. */
  loadSpaces(): Promise<SpaceRecord[]>;
}

export interface Snapshot {
  stamp: string | null;
  /** In SEARCH_ORDER, ties by id (compareSpaces). */
  spaces: readonly SnapshotSpace[];
  byId: ReadonlyMap<string, SnapshotSpace>;
  /**
   * The spaces of each site (by `siteKey`), in the same order: a search names a site, and with
   * thousands of spaces matching each against the query cost a third of a search's time.
   */
  bySite: ReadonlyMap<string, readonly SnapshotSpace[]>;
}

/** The spaces a query could match, before matching: its site's when it names one. */
export function candidatesFor(
  snapshot: Snapshot,
  query: Record<string, unknown>,
): readonly SnapshotSpace[] {
  return typeof query.siteKey === "string"
    ? (snapshot.bySite.get(query.siteKey) ?? [])
    : snapshot.spaces;
}

/**
 * Runs `task` one at a time, and answers each call with a run that begins at or after the call:
 * a new run when none is under way, otherwise the one queued behind it, which every caller
 * that asks meanwhile shares. A run under way is never joined: it may have read the store
 * before the caller's request began.
 */
export function coalesced<T>(task: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let queued: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const run = task().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    if (!queued) {
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      queued = settled.then(() => {
        queued = null;
        return start();
      });
    }
    return queued;
  };
}

/** Strings as MongoDB and NeDB compare them without a collation: by code unit. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * SEARCH_ORDER (capacity, then name), then the id: the stores leave ties in no particular order,
 * the snapshot in a fixed one, so a page never repeats or skips a tied space.
 */
export function compareSpaces(a: SnapshotSpace, b: SnapshotSpace): number {
  return (
    a.capacity - b.capacity ||
    compareStrings(a.name, b.name) ||
    compareStrings(String(a._id), String(b._id))
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A snapshot of `records` loaded under `stamp`. */
export function snapshotOf(stamp: string | null, records: SpaceRecord[]): Snapshot {
  const spaces = records
    .map(record => deepFreeze(withoutOutbox(record) as SnapshotSpace))
    .sort(compareSpaces);
  const bySite = new Map<string, SnapshotSpace[]>();
  for (const space of spaces) {
    const site = bySite.get(space.siteKey);
    if (site) site.push(space);
    else bySite.set(space.siteKey, [space]);
  }
  return {
    stamp,
    spaces: Object.freeze(spaces),
    byId: new Map(spaces.map(space => [String(space._id), space])),
    bySite,
  };
}

export class SpaceSnapshot {
  private current: Snapshot | null = null;
  private readonly nextStamp: () => Promise<string | null>;
  private readonly nextLoad: () => Promise<Snapshot>;

  constructor(store: SnapshotStore) {
    this.nextStamp = coalesced(() => store.readStamp());
    this.nextLoad = coalesced(async () => {
      // The stamp first: changes stamped after it may be in the records too, and only make the
      // next reader load again.
      const stamp = await store.readStamp();
      const snapshot = snapshotOf(stamp, await store.loadSpaces());
      this.current = snapshot;
      return snapshot;
    });
  }

  /**
   * The catalogue as it stands at least since this call: holding every change whose write was
   * stamped before. Rejects when the store cannot be read; never answers from an old snapshot.
   */
  async read(): Promise<Snapshot> {
    const stamp = await this.nextStamp();
    if (this.current && this.current.stamp === stamp) return this.current;
    return this.nextLoad();
  }
}

/** The snapshot's store: the spaces, and the collection holding the version document. */
export function snapshotStore(spaces: DbAdapter, versions: DbAdapter): SnapshotStore {
  return {
    async readStamp() {
      const version = (await versions.findOne({ _id: VERSION_ID })) as VersionRecord | null;
      return version?.stamp ?? null;
    },
    loadSpaces: () => findMany<SpaceRecord>(spaces, { query: {} }),
  };
}

/**
 * Gives the catalogue a new stamp; called after every write to a space has been stored, and
 * before the request answers. A plain `$set` (or the first insert), on any store alike.
 */
export async function stampVersion(versions: DbAdapter): Promise<void> {
  const version = { stamp: randomUUID(), stampedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((await versions.updateMany({ _id: VERSION_ID }, { $set: version })) > 0) return;
    try {
      await versions.insert({ _id: VERSION_ID, ...version });
      return;
    } catch (err) {
      // Another instance inserted it just now: set ours over it.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error("The spaces version document could neither be updated nor inserted");
}
