/**
 * Bounded pages for every list a client can ask for: nobody can request all records at once.
 */
import type { DbAdapter, FilterOptions } from "moleculer-db";

export const MAX_PAGE_SIZE = 100;

export const pageParams = {
  page: { type: "number", integer: true, min: 1, max: 100_000, default: 1, convert: true },
  pageSize: {
    type: "number",
    integer: true,
    min: 1,
    max: MAX_PAGE_SIZE,
    default: 20,
    convert: true,
  },
} as const;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/**
 * How many records a first page reads, at most, to learn the total without counting: five
 * pages' worth, and never more than this.
 */
export const MAX_LOOK_AHEAD = 500;

/** One page of the records matching a query the service built itself (never a client's). */
export async function findPage<R, T>(
  adapter: DbAdapter,
  request: { query: Record<string, unknown>; sort: string[]; page: number; pageSize: number },
  present: (record: R) => T,
): Promise<Page<T>> {
  const { query, sort, page, pageSize } = request;
  const offset = (page - 1) * pageSize;
  // Counting reads every matching record again, and FerretDB decodes each one it reads, for a
  // count as for a find (it applies neither a limit nor a skip where a query has a filter or a
  // sort: every list here has both). So a first page reads a few pages ahead: when what it finds
  // ends there, the total is known from it, and the store is asked once, not twice. Most lists a
  // person asks for (their reservations, a site's spaces) end within that. A later page, of a
  // list long enough to be paged through, reads only itself: reading ahead there would mostly
  // load records into memory only to count anyway (MongoDB itself counts from an index).
  const limit = page === 1 ? Math.max(pageSize, Math.min(pageSize * 5, MAX_LOOK_AHEAD)) : pageSize;
  const records = (await adapter.find({ query, sort, limit, offset } as FilterOptions)) as R[];
  const total =
    records.length < limit && (records.length > 0 || page === 1)
      ? offset + records.length
      : await adapter.count({ query });
  return {
    rows: records.slice(0, pageSize).map(present),
    total,
    page,
    pageSize,
    totalPages: Math.ceil(total / pageSize),
  };
}

/** One page of `records`, already filtered and in order, held in memory. */
export function pageOf<R, T>(
  records: readonly R[],
  page: number,
  pageSize: number,
  present: (record: R) => T,
): Page<T> {
  const offset = (page - 1) * pageSize;
  return {
    rows: records.slice(offset, offset + pageSize).map(present),
    total: records.length,
    page,
    pageSize,
    totalPages: Math.ceil(records.length / pageSize),
  };
}
