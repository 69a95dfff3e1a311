/**
 * The spaces an instance answers reads from: every space record, held in memory and never stale
 * (lib/versioned-snapshot.ts: every write to a space stamps the catalogue's version, and a read
 * reloads only when the stamp changed). Spaces are few (thousands at most) and change rarely,
 * while every search, availability and create reads them.
 */
import type { DbAdapter } from "moleculer-db";
import { withoutOutbox } from "../../mixins/durable-events.mixin";
import { findMany } from "../../lib/store";
import {
  deepFreeze,
  readStamp,
  stampVersion as stampVersionOf,
  VersionedSnapshot,
} from "../../lib/versioned-snapshot";
import type { SpaceRecord } from "./space-record";

/** A space as readers see it: the record without its outbox, frozen, since callers share it. */
export type SnapshotSpace = Readonly<
  Omit<SpaceRecord, "outbox" | "outboxIds" | "outboxSince" | "outboxPending">
>;

/** The one document of the version collection. */
export const VERSION_ID = "spaces";

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

/** The catalogue as every read sees it (lib/versioned-snapshot.ts). */
export class SpaceSnapshot extends VersionedSnapshot<Snapshot> {
  constructor(store: SnapshotStore) {
    super({
      readStamp: () => store.readStamp(),
      load: async stamp => snapshotOf(stamp, await store.loadSpaces()),
    });
  }
}

/** The snapshot's store: the spaces, and the collection holding the version document. */
export function snapshotStore(spaces: DbAdapter, versions: DbAdapter): SnapshotStore {
  return {
    readStamp: () => readStamp(versions, VERSION_ID),
    loadSpaces: () => findMany<SpaceRecord>(spaces, { query: {} }),
  };
}

/** Gives the catalogue a new stamp: after every write to a space, before the request answers. */
export function stampVersion(versions: DbAdapter): Promise<void> {
  return stampVersionOf(versions, VERSION_ID);
}
