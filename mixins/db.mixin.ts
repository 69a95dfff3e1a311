/**
 * Gives a service its own collection: MongoDB when MONGO_URI is set, otherwise the embedded NeDB
 * store (in memory, or a file under DATA_DIR). Indexes are declared once and created on either
 * store at start, so a unique index guards the same invariant in a try-out as in production.
 *
 * moleculer-db's generic CRUD actions are switched off: they take raw `query` objects and
 * unbounded pages, and each service exposes only the actions it means to.
 */
import path from "node:path";
import DbService from "moleculer-db";
import MongoAdapter from "moleculer-db-adapter-mongo";
import type { Service, ServiceSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { AppConfig } from "../lib/config";
import { withIdLast } from "./nedb-id-last";
import { withIdLookups } from "./mongo-id-lookups";
// For its effect on NeDB's indexes: an update leaves a document in place where its value stays.
import "./nedb-index-update";
import { withNativePromises } from "./nedb-promises";

export interface IndexSpec {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
  /** Leave documents without the field out of the index (needed with `unique` on optional fields). */
  sparse?: boolean;
  /**
   * The one field the embedded store (NeDB) indexes instead of the first. NeDB keeps a list of
   * documents per indexed value and rewrites the list on every update of any of them: an index
   * whose first field has a few values (a status) made every write to the collection cost O(N)
   * there (measured: 35-54 % of a create or reschedule at 10,000 reservations). The field named
   * here has many values and still narrows the read the index is for.
   */
  embeddedField?: string;
  /**
   * Made on this store only. An index costs every write of the collection, so one whose queries
   * only the other store is asked (window-query.ts shapes them per store) is not made.
   */
  only?: "embedded" | "mongo";
}

export interface DbMixinOptions {
  collection: string;
  indexes?: IndexSpec[];
  /**
   * Further collections the service owns, each reachable as `this.<property>` with the same
   * adapter interface as `this.adapter` (e.g. the slot claims of `reservations`).
   */
  extra?: { collection: string; property: string; indexes?: IndexSpec[] }[];
}

const GENERIC_ACTIONS = ["find", "count", "list", "create", "insert", "get", "update", "remove"];

// The adapters' own typings are loose; these are the few members this mixin relies on.
interface NeDbIndexFlags {
  unique: boolean;
  sparse: boolean;
}
export interface NeDbHandle {
  indexes: Record<string, NeDbIndexFlags>;
  ensureIndexAsync(options: { fieldName: string } & NeDbIndexFlags): Promise<void>;
  removeIndexAsync(fieldName: string): Promise<void>;
}
interface MongoHandle {
  createIndex(
    fields: Record<string, 1 | -1>,
    options: { unique?: boolean; sparse?: boolean },
  ): Promise<string>;
}
interface AdapterHandle {
  db?: NeDbHandle;
  collection?: MongoHandle;
}

export class EmbeddedStoreRefused extends Error {
  constructor(service: string) {
    super(
      `The '${service}' service keeps data and a TRANSPORTER is set, but MONGO_URI is not. ` +
        "Each instance would keep its own private embedded store and they would silently diverge. " +
        "Set MONGO_URI, or set ALLOW_EMBEDDED_STORE=true if this is the only instance of the service.",
    );
    this.name = "EmbeddedStoreRefused";
  }
}

function createAdapter(
  service: string,
  collection: string,
  config: AppConfig,
): DbAdapter & AdapterHandle {
  if (config.mongoUri) {
    const mongo = new MongoAdapter(config.mongoUri, { useUnifiedTopology: true });
    return withIdLookups(mongo as unknown as DbAdapter) as never;
  }
  if (config.transporter && !config.allowEmbeddedStore) {
    throw new EmbeddedStoreRefused(service);
  }
  if (config.dataDir) {
    return withIdLast(
      withNativePromises(
        new DbService.MemoryAdapter({
          filename: path.join(config.dataDir, `${collection}.db`),
          autoload: true,
        }),
      ),
    ) as never;
  }
  return withIdLast(withNativePromises(new DbService.MemoryAdapter())) as never;
}

async function createIndexes(adapter: AdapterHandle, indexes: IndexSpec[]): Promise<void> {
  // The Mongo adapter has a `db` too (the database); only the embedded one lacks `collection`.
  const { collection, db } = adapter;
  if (!collection) return db ? embeddedIndexes(db, indexes) : undefined;
  for (const index of indexes) {
    if (index.only === "embedded") continue;
    const flags = { unique: index.unique ?? false, sparse: index.sparse ?? false };
    await collection.createIndex(index.fields, flags);
  }
}

/**
 * Gives an embedded store exactly the indexes declared for it. NeDB cannot index several fields
 * together, so each index is on one field (`embeddedField`, else the first); one still narrows
 * scans. A store kept under DATA_DIR brings back the indexes an older version made: one no longer
 * declared is removed, since every write pays for it, and one declared with other flags is made
 * again, since NeDB keeps the first flags it was given (a non-sparse index over a field most
 * documents lack holds them all in one list, rewritten on each of their writes).
 */
export async function embeddedIndexes(db: NeDbHandle, indexes: IndexSpec[]): Promise<void> {
  const wanted = new Map<string, NeDbIndexFlags>();
  for (const index of indexes) {
    if (index.only === "mongo") continue;
    const fieldName = index.embeddedField ?? Object.keys(index.fields)[0];
    if (!wanted.has(fieldName)) {
      wanted.set(fieldName, { unique: index.unique ?? false, sparse: index.sparse ?? false });
    }
  }
  for (const [fieldName, made] of Object.entries(db.indexes)) {
    if (fieldName === "_id") continue;
    const flags = wanted.get(fieldName);
    if (!flags || flags.unique !== made.unique || flags.sparse !== made.sparse) {
      await db.removeIndexAsync(fieldName);
    }
  }
  for (const [fieldName, flags] of wanted) await db.ensureIndexAsync({ fieldName, ...flags });
}

export function createDbMixin(options: DbMixinOptions, config: AppConfig): Partial<ServiceSchema> {
  const indexes = options.indexes ?? [];
  const extra = options.extra ?? [];
  for (const index of [...indexes, ...extra.flatMap(e => e.indexes ?? [])]) {
    // NeDB indexes one field; a uniqueness rule over several fields must be one derived key field.
    if (index.unique && Object.keys(index.fields).length > 1) {
      throw new Error(`Unique index on ${options.collection} must cover a single field`);
    }
  }

  return {
    mixins: [DbService as unknown as Partial<ServiceSchema>],
    collection: options.collection,
    actions: Object.fromEntries(GENERIC_ACTIONS.map(name => [name, false])),

    // Runs once per service instance, so two brokers in one process never share a store.
    merged(schema: ServiceSchema) {
      schema.adapter = createAdapter(schema.name, options.collection, config);
    },

    created(this: Service) {
      const self = this as unknown as Record<string, DbAdapter>;
      for (const { collection, property } of extra) {
        const adapter = createAdapter(this.name, collection, config);
        // The Mongo adapter reads the collection name from the service schema it is given.
        adapter.init(this.broker, { schema: { collection }, logger: this.logger } as never);
        self[property] = adapter;
      }
    },

    async started(this: Service) {
      const self = this as unknown as Record<string, DbAdapter & AdapterHandle>;
      await createIndexes(self.adapter, indexes);
      for (const { property, indexes: extraIndexes } of extra) {
        await self[property].connect();
        await createIndexes(self[property], extraIndexes ?? []);
      }
    },

    async stopped(this: Service) {
      const self = this as unknown as Record<string, DbAdapter>;
      for (const { property } of extra) await self[property].disconnect();
    },
  };
}
