/**
 * moleculer-db's embedded adapter wraps NeDB's callback methods in `util.promisify`, and `update`
 * in a promisified function that itself returns a Promise. Node warns about that (DEP0174) on
 * every call: a Warning object with a stack trace per update, in every write and every event a
 * read model applies. NeDB has promise methods of its own; the adapter's store uses them here,
 * with the results in the shapes the adapter expects.
 *
 * The adapter's own `count` finds the documents and counts them, and NeDB's find hands back a
 * deep copy of each: a full page of "my reservations" copied every one of the person's
 * reservations only to say how many there are. NeDB's count copies nothing.
 */
import type { DbAdapter } from "moleculer-db";

interface NeDbDatastore {
  update(...args: unknown[]): Promise<unknown>;
  updateAsync(
    query: object,
    update: object,
    options?: object,
  ): Promise<{ numAffected: number; affectedDocuments: unknown; upsert: boolean }>;
  insert(doc: unknown): Promise<unknown>;
  insertAsync(doc: unknown): Promise<unknown>;
  count(query: object): Promise<number>;
  countAsync(query: object): PromiseLike<number>;
  remove(query: object, options?: object): Promise<number>;
  removeAsync(query: object, options?: object): Promise<number>;
}

/** After the adapter connected (and promisified), points its store at NeDB's promise methods. */
export function withNativePromises<A extends DbAdapter>(adapter: A): A {
  const connect = adapter.connect.bind(adapter);
  const count = adapter.count.bind(adapter);
  return Object.assign(adapter, {
    // A text search (`search`) is the adapter's own filter; nothing here asks for one.
    count: (filters: { query?: object; search?: unknown } = {}) =>
      filters.search === undefined
        ? (adapter as unknown as { db: NeDbDatastore }).db.countAsync(filters.query ?? {})
        : count(filters as never),
    async connect() {
      await connect();
      const db = (adapter as unknown as { db: NeDbDatastore }).db;
      // The adapter reads `[numAffected, affectedDocuments, upsert]`, as NeDB's callback gave them.
      db.update = async (query: object, update: object, options?: object) => {
        const result = await db.updateAsync(query, update, options);
        return [result.numAffected, result.affectedDocuments, result.upsert];
      };
      db.insert = doc => db.insertAsync(doc);
      db.count = async query => db.countAsync(query);
      db.remove = (query, options) => db.removeAsync(query, options);
    },
  });
}
