/**
 * NeDB serves a query from the index of the LAST indexed field it compares for equality (its
 * `_getRawCandidates`), so `{ _id, status: "confirmed" }` read every confirmed record, and
 * `{ _id, userId }` every record of that user, before matching one. Every query the embedded
 * store gets here has its `_id` condition moved last, so a query naming a record reads only
 * that record. MongoDB does not care about the order; its adapter is left as it is.
 */
import type { DbAdapter } from "moleculer-db";

type Query = Record<string, unknown>;

export function idLast<T>(query: T): T {
  if (typeof query !== "object" || query === null || !("_id" in query)) return query;
  const { _id, ...rest } = query as Query;
  return { ...rest, _id } as T;
}

/** Wraps the embedded adapter's query methods so `_id` always comes last. */
export function withIdLast<A extends DbAdapter>(adapter: A): A {
  const filtersIdLast = <F>(filters: F): F =>
    typeof filters === "object" && filters !== null && "query" in filters
      ? ({ ...filters, query: idLast((filters as { query: unknown }).query) } as F)
      : filters;
  const find = adapter.find.bind(adapter);
  const findOne = adapter.findOne.bind(adapter);
  const count = adapter.count.bind(adapter);
  const updateMany = adapter.updateMany.bind(adapter);
  const removeMany = adapter.removeMany.bind(adapter);
  return Object.assign(adapter, {
    find: (filters: Parameters<A["find"]>[0]) => find(filtersIdLast(filters)),
    findOne: (query: Parameters<A["findOne"]>[0]) => findOne(idLast(query)),
    count: (filters: Parameters<A["count"]>[0]) => count(filtersIdLast(filters)),
    updateMany: (query: Parameters<A["updateMany"]>[0], update: Parameters<A["updateMany"]>[1]) =>
      updateMany(idLast(query), update),
    removeMany: (query: Parameters<A["removeMany"]>[0]) => removeMany(idLast(query)),
  });
}
