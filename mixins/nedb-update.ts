/**
 * moleculer-db 0.9's embedded adapter wraps NeDB's `update` in `util.promisify` around a function
 * that itself returns a Promise, which Node reports as a mistake (DEP0174) on every update:
 * about 1,400 deprecation warnings in one test run. Here, once the adapter has connected, `update`
 * is NeDB's own promise API instead (`updateAsync`), answering the same
 * `[numAffected, affectedDocuments, upsert]` the adapter's methods read.
 */
import type { DbAdapter } from "moleculer-db";

interface NeDbUpdateResult {
  numAffected: number;
  affectedDocuments: unknown;
  upsert: boolean;
}

interface NeDb {
  update: (...args: unknown[]) => Promise<unknown[]>;
  updateAsync(query: object, update: object, options?: object): Promise<NeDbUpdateResult>;
}

export function withPromisedUpdate<A extends DbAdapter>(adapter: A): A {
  const connect = adapter.connect.bind(adapter);
  return Object.assign(adapter, {
    connect() {
      // The adapter sets its datastore and its update wrapper before it starts loading.
      const loaded = connect();
      const db = (adapter as unknown as { db: NeDb }).db;
      db.update = async (query, update, options) => {
        const res = await db.updateAsync(query as object, update as object, options as object);
        return [res.numAffected, res.affectedDocuments, res.upsert];
      };
      return loaded;
    },
  });
}
