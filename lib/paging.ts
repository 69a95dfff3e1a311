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

/** One page of the records matching a query the service built itself (never a client's). */
export async function findPage<R, T>(
  adapter: DbAdapter,
  request: { query: Record<string, unknown>; sort: string[]; page: number; pageSize: number },
  present: (record: R) => T,
): Promise<Page<T>> {
  const { query, sort, page, pageSize } = request;
  const offset = (page - 1) * pageSize;
  const records = (await adapter.find({
    query,
    sort,
    limit: pageSize,
    offset,
  } as FilterOptions)) as R[];
  // A page that is not full and not past the end is the last one: the total is known without
  // counting. Counting reads every matching record again (on FerretDB it decodes each one), and
  // most lists a person asks for (their own reservations, a site's spaces) fit in one page.
  const total =
    records.length < pageSize && (records.length > 0 || page === 1)
      ? offset + records.length
      : await adapter.count({ query });
  return {
    rows: records.map(present),
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
