/**
 * What the services do with their stores beyond moleculer-db's adapter calls: recognise a
 * unique-index refusal (the one guarantee correctness rests on, docs/ARCHITECTURE.md), order
 * changes by `updatedAt`, keep the newest state in a read model, and read typed records.
 */
import type { DbAdapter } from "moleculer-db";

/** A query as the adapters take it: NeDB and MongoDB operators on stored fields. */
export interface FindQuery {
  query: Record<string, unknown>;
  sort?: string[];
  limit?: number;
  offset?: number;
}

/** The records matching `params`, typed as the caller stores them. */
export async function findMany<T>(adapter: DbAdapter, params: FindQuery): Promise<T[]> {
  // moleculer-db's typings want its own filter shape; the adapters accept this one.
  return (await adapter.find(params as never)) as T[];
}

/**
 * The records matching any of `queries` (each a query the service built), each once, by `_id`:
 * several queries by equality where one would need `$in` or a range, which FerretDB evaluates
 * only after fetching what the rest leaves. One query's answer keeps its order (`sort`).
 */
export async function findEach<T extends { _id: string }>(
  adapter: DbAdapter,
  queries: Record<string, unknown>[],
  sort?: string[],
): Promise<T[]> {
  const found = await Promise.all(
    queries.map(query => findMany<T>(adapter, { query, ...(sort ? { sort } : {}) })),
  );
  if (found.length === 1) return found[0];
  return [...new Map(found.flat().map(record => [record._id, record])).values()];
}

/** The one member of a MongoDB adapter's collection `forEachRecord` reads through. */
interface MongoCollectionHandle {
  find(
    query: Record<string, unknown>,
    options: { projection?: Record<string, 1>; batchSize: number },
  ): AsyncIterable<unknown>;
}

/**
 * Calls `visit` with each record matching `query`, with the `fields` named (and `_id`). On
 * MongoDB it reads through a cursor, `batch` records at a time, so a caller that only sums what
 * it reads holds one batch, never all of them: moleculer-db's `find` buffers every match in an
 * array first. The embedded store (NeDB) keeps every record in memory anyway and returns them
 * all, with every field.
 */
export async function forEachRecord<T>(
  adapter: DbAdapter,
  query: Record<string, unknown>,
  visit: (record: T) => void,
  { fields, batch = 1000 }: { fields?: readonly string[]; batch?: number } = {},
): Promise<void> {
  // Only the MongoDB adapter has a `collection` (mixins/db.mixin.ts, createIndexes).
  const { collection } = adapter as DbAdapter & { collection?: MongoCollectionHandle };
  if (!collection) {
    for (const record of await findMany<T>(adapter, { query })) visit(record);
    return;
  }
  const projection = fields && Object.fromEntries(fields.map(field => [field, 1 as const]));
  for await (const record of collection.find(query, { projection, batchSize: batch })) {
    visit(record as T);
  }
}

/** Whether the store refused a write because a unique index already holds its key. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, errorType } = err as { code?: unknown; errorType?: unknown };
  return code === 11000 || errorType === "uniqueViolated";
}

/**
 * The `updatedAt` for a change to a record last changed at `previous`: now, but always later than
 * `previous`, so two changes within one millisecond still order correctly for `upsertNewer`.
 */
export function nextUpdatedAt(previous: string): string {
  const now = Date.now();
  const last = Date.parse(previous);
  return new Date(Number.isNaN(last) || now > last ? now : last + 1).toISOString();
}

/**
 * Writes `fields` to the record `_id` (and removes the fields named in `unset`) unless it already
 * holds a version at least as new (by `updatedAt`, an ISO instant). Read models use it: events may
 * arrive twice or out of order, and applying one again, or an older one after a newer, leaves the
 * record as it is.
 *
 * `likelyNew`: the record most likely does not exist yet (the event that makes it), so the insert
 * is tried first. Either order gives the same result; this one saves the update that finds
 * nothing, which on FerretDB is a query of its own.
 */
export async function upsertNewer(
  adapter: DbAdapter,
  id: string,
  fields: Record<string, unknown> & { updatedAt: string },
  unset: string[] = [],
  { likelyNew = false }: { likelyNew?: boolean } = {},
): Promise<void> {
  const removed = Object.fromEntries(unset.map(field => [field, ""]));
  const insert = async () => {
    try {
      await adapter.insert({ _id: id, ...fields });
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // It exists: either newer already, or inserted by a concurrent handler; look once more.
      return false;
    }
  };
  if (likelyNew && (await insert())) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    const changed = await adapter.updateMany(
      { _id: id, updatedAt: { $lt: fields.updatedAt } },
      unset.length > 0 ? { $set: fields, $unset: removed } : { $set: fields },
    );
    if (changed > 0) return;
    if (await insert()) return;
  }
}
