/**
 * The passes an instance runs at start over records an older version wrote (giving them the keys
 * this version reads: reservations' day and open keys, the report facts' months), remembered once
 * done, so that later starts do not read every record to find none left. Asked for a missing
 * field (`$exists: false`), FerretDB 1.24 hands PostgreSQL nothing and reads and decodes the
 * whole collection: 20-30 s per pass at 100,000 reservations on the benchmark's machine, after
 * every start of every instance, while its window queries asked without the keys.
 *
 * A pass stays done only while no older version writes: an instance of one may store records
 * without the keys. Instances say in their metadata which passes' keys they write
 * (`WRITES_KEYS`); a pass is remembered only while every instance of the service in the registry
 * writes its keys, and forgotten when one that does not appears. An older version run again
 * after every newer instance stopped (a rollback) is not seen: README, "Upgrading", says to
 * remove the marks then.
 */
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { isUniqueViolation } from "./store";

/** The metadata entry listing the passes whose keys an instance writes. */
export const WRITES_KEYS = "writesKeys";

interface ListedService {
  name: string;
  metadata?: Record<string, unknown>;
}

/**
 * Whether the registry lists an instance of `service` whose metadata lacks `has` (an entry the
 * mixins or services set), that is one of a version before it. Local instances are listed too.
 */
export function listsInstanceWithout(
  broker: ServiceBroker,
  service: string,
  has: (metadata: Record<string, unknown>) => boolean,
): boolean {
  return (broker.registry.getServiceList({ withActions: false }) as ListedService[]).some(
    listed => listed.name === service && !has(listed.metadata ?? {}),
  );
}

/** Whether an instance's metadata says it writes the keys of `pass`. */
function writesKeysOf(pass: string) {
  return (metadata: Record<string, unknown>) => {
    const passes = metadata[WRITES_KEYS];
    return Array.isArray(passes) && passes.includes(pass);
  };
}

/** One service's record of its done passes, in a collection of its own (`_id`: the pass). */
export class UpgradePasses {
  constructor(
    private readonly marks: DbAdapter,
    private readonly broker: ServiceBroker,
    private readonly service: string,
  ) {}

  private olderListed(pass: string): boolean {
    return listsInstanceWithout(this.broker, this.service, writesKeysOf(pass));
  }

  /** Whether `pass` is done on this store and still counts (no older instance is listed). */
  async isDone(pass: string): Promise<boolean> {
    return !this.olderListed(pass) && Boolean(await this.marks.findById(pass));
  }

  /** Remembers `pass` as done, unless an older instance is listed (it may write without keys). */
  async remember(pass: string): Promise<void> {
    if (this.olderListed(pass)) return;
    try {
      await this.marks.insert({ _id: pass, doneAt: new Date().toISOString() });
    } catch (err) {
      // Another instance finished it too.
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /**
   * Runs `pass` unless it is done; returns what it returned (0 when skipped; null: it stopped
   * before it was done, and is not remembered).
   */
  async run(pass: string, body: () => Promise<number | null>): Promise<number | null> {
    if (await this.isDone(pass)) return 0;
    const written = await body();
    if (written !== null) await this.remember(pass);
    return written;
  }

  /** Forgets each of `passes` whose keys an instance the registry lists does not write. */
  async forgetWhereOlder(passes: readonly string[]): Promise<void> {
    for (const pass of passes) {
      if (this.olderListed(pass)) await this.marks.removeMany({ _id: pass });
    }
  }
}
