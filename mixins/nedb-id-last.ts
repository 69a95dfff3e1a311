/**
 * NeDB serves a query from the index of the LAST indexed field it compares for equality (its
 * `_getRawCandidates`), so `{ _id, status: "confirmed" }` read every confirmed record, and
 * `{ _id, userId }` every record of that user, before matching one. Every query the embedded
 * store gets here has its `_id` condition moved last, so a query naming a record reads only
 * that record. MongoDB does not care about the order; its adapter is left as it is.
 */
import type { DbAdapter } from "moleculer-db";
import { rewriteQueries } from "./adapter-queries";

type Query = Record<string, unknown>;

export function idLast<T>(query: T): T {
  if (typeof query !== "object" || query === null || !("_id" in query)) return query;
  const { _id, ...rest } = query as Query;
  return { ...rest, _id } as T;
}

/** Wraps the embedded adapter's query methods so `_id` always comes last. */
export function withIdLast<A extends DbAdapter>(adapter: A): A {
  return rewriteQueries(adapter, idLast);
}
