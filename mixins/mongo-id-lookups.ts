/**
 * A query that names a record by its `_id` is served from the `_id` index, whatever else it
 * compares. On FerretDB 1.x with PostgreSQL that is not a given: FerretDB hands PostgreSQL every
 * top-level equality, and where `deploy/ferretdb/pushdown-indexes.sql` gave the other field an
 * index, the planner may pick that one. It did for `{ _id, status: "pending" }`, the check of
 * every create's confirm: PostgreSQL estimated "pending" at one row (hardly any record is pending
 * when statistics are taken) and read the status index, whose "pending" entries hold every
 * version of every reservation ever created, each dead once confirmed, until a vacuum removes
 * them. Creates slowed as the table grew, to half their rate at 70,000 reservations
 * (BENCHMARKS.md, "A create's confirm read every reservation ever pending").
 *
 * So the other scalar equalities of such a query are written as `{ $in: [value] }`, which means
 * the same on MongoDB and which FerretDB 1.x checks itself, on the one record PostgreSQL found by
 * `_id`. MongoDB serves either form from `_id`. The embedded store has its own rule
 * (nedb-id-last.ts).
 */
import type { DbAdapter } from "moleculer-db";
import { rewriteQueries } from "./adapter-queries";

type Query = Record<string, unknown>;

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/**
 * `query` with its scalar equalities other than `_id` as `$in` of one value, when it names one
 * record by `_id`; otherwise `query` itself. Operators, arrays, `null` and nested documents are
 * left as they are: for those `$in` would not mean the same.
 */
export function byIdOnly<T>(query: T): T {
  if (typeof query !== "object" || query === null) return query;
  const q = query as Query;
  if (typeof q._id !== "string") return query;
  const out: Query = {};
  for (const [field, value] of Object.entries(q)) {
    out[field] =
      field !== "_id" && !field.startsWith("$") && isScalar(value) ? { $in: [value] } : value;
  }
  return out as T;
}

/** Wraps the Mongo adapter's query methods so a query naming a record is served by `_id`. */
export function withIdLookups<A extends DbAdapter>(adapter: A): A {
  return rewriteQueries(adapter, byIdOnly);
}
