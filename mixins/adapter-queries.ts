/** Rewrites every query an adapter's query methods are given, before the store sees it. */
import type { DbAdapter } from "moleculer-db";

export function rewriteQueries<A extends DbAdapter>(adapter: A, rewrite: <T>(query: T) => T): A {
  const inFilters = <F>(filters: F): F =>
    typeof filters === "object" && filters !== null && "query" in filters
      ? ({ ...filters, query: rewrite((filters as { query: unknown }).query) } as F)
      : filters;
  const find = adapter.find.bind(adapter);
  const findOne = adapter.findOne.bind(adapter);
  const count = adapter.count.bind(adapter);
  const updateMany = adapter.updateMany.bind(adapter);
  const removeMany = adapter.removeMany.bind(adapter);
  return Object.assign(adapter, {
    find: (filters: Parameters<A["find"]>[0]) => find(inFilters(filters)),
    findOne: (query: Parameters<A["findOne"]>[0]) => findOne(rewrite(query)),
    count: (filters: Parameters<A["count"]>[0]) => count(inFilters(filters)),
    updateMany: (query: Parameters<A["updateMany"]>[0], update: Parameters<A["updateMany"]>[1]) =>
      updateMany(rewrite(query), update),
    removeMany: (query: Parameters<A["removeMany"]>[0]) => removeMany(rewrite(query)),
  });
}
