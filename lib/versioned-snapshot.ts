/**
 * A read model held in memory by each instance and never stale: the pattern of the spaces
 * catalogue (services/spaces/space-snapshot.ts) and the reports' space facts
 * (services/reports.service.ts), which are few, change rarely and are read by every request. On
 * FerretDB reading them from the store per request cost most of the request (PostgreSQL returns
 * the documents as JSON and FerretDB decodes each: 2,000 spaces with their opening hours take
 * about 0.4 s), so each instance asks the store only for one tiny document per request: the
 * version.
 *
 * The rule that keeps it fresh across instances: every write to what it holds, once written,
 * gives the version document a new stamp (`stampVersion`); a read first reads the stamp, and
 * reloads only when it differs from the stamp its snapshot was loaded under. A load reads the
 * stamp before the records, so a snapshot is never labelled newer than what it holds. A change
 * whose write has completed therefore stamped before the reader began, and the reader either
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
import { isUniqueViolation } from "./store";

/** Where a snapshot comes from: the current stamp, and a snapshot built under a stamp. */
export interface VersionedSource<S> {
  /** The current stamp; null while nothing was ever written. */
  readStamp(): Promise<string | null>;
  /** Everything the snapshot holds, read now, labelled with `stamp` (read just before). */
  load(stamp: string | null): Promise<S>;
}

interface VersionRecord {
  _id: string;
  stamp: string;
  stampedAt: string;
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

export class VersionedSnapshot<S extends { stamp: string | null }> {
  private current: S | null = null;
  private readonly nextStamp: () => Promise<string | null>;
  private readonly nextLoad: () => Promise<S>;

  constructor(source: VersionedSource<S>) {
    this.nextStamp = coalesced(() => source.readStamp());
    this.nextLoad = coalesced(async () => {
      // The stamp first: changes stamped after it may be in the records too, and only make the
      // next reader load again.
      const snapshot = await source.load(await source.readStamp());
      this.current = snapshot;
      return snapshot;
    });
  }

  /**
   * What the store holds, at least since this call: every change whose write was stamped
   * before. Rejects when the store cannot be read; never answers from an old snapshot.
   */
  async read(): Promise<S> {
    const stamp = await this.nextStamp();
    if (this.current && this.current.stamp === stamp) return this.current;
    return this.nextLoad();
  }
}

/** The stamp of the version document `id` in `versions`; null while none was ever written. */
export async function readStamp(versions: DbAdapter, id: string): Promise<string | null> {
  const version = (await versions.findOne({ _id: id })) as VersionRecord | null;
  return version?.stamp ?? null;
}

/**
 * Gives the version document `id` a new stamp; called after every write to what the snapshot
 * holds has been stored, and before the write is reported done. A plain `$set` (or the first
 * insert), on any store alike.
 */
export async function stampVersion(versions: DbAdapter, id: string): Promise<void> {
  const version = { stamp: randomUUID(), stampedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    if ((await versions.updateMany({ _id: id }, { $set: version })) > 0) return;
    try {
      await versions.insert({ _id: id, ...version });
      return;
    } catch (err) {
      // Another instance inserted it just now: set ours over it.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error(`The version document ${id} could neither be updated nor inserted`);
}

/** Freezes `value` and everything in it: a snapshot is shared by every request. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
