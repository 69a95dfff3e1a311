/**
 * Finding spaces: the filters of a search as a query, that query evaluated on a space as the
 * stores would (`matchesQuery`; the service searches its in-memory snapshot, space-snapshot.ts),
 * and the "free during" ranking (free ones first, then closest fit in capacity). Whether a space
 * is free, reservations answers.
 */
import { Errors, type Context } from "moleculer";
import type { AuthUser } from "../../lib/auth";
import { SPACE_KINDS, type SpaceKind } from "../../lib/events/space-events";
import { instantParam } from "../../lib/params";
import { pageOf } from "../../lib/paging";
import { equipmentParam, toPublicSpace, type SpaceRecord } from "./space-record";

/** "Free during" ranks at most this many closest-fitting spaces; narrower filters see them all. */
export const MAX_RANKED_CANDIDATES = 500;

/**
 * Closest fit first: the stores' sort for a search, which the snapshot keeps in memory
 * (compareSpaces in space-snapshot.ts; tests hold the two to each other).
 */
export const SEARCH_ORDER = ["capacity", "name"];

/** The search's parameters besides the page (lib/paging.ts). */
export const searchParams = {
  site: { type: "string", trim: true, max: 100, optional: true },
  kind: { type: "enum", values: [...SPACE_KINDS], optional: true },
  minCapacity: {
    type: "number",
    integer: true,
    min: 1,
    max: 10_000,
    convert: true,
    optional: true,
  },
  equipment: [
    { type: "string", trim: true, max: 40, optional: true },
    { ...equipmentParam, optional: true },
  ],
  includeInactive: { type: "boolean", convert: true, optional: true },
  from: { ...instantParam, optional: true },
  to: { ...instantParam, optional: true },
} as const;

export interface SearchFilters {
  site?: string;
  kind?: SpaceKind;
  minCapacity?: number;
  /** A comma-separated list, or repeated. */
  equipment?: string | string[];
  includeInactive?: boolean;
}

/**
 * The query for a search's filters, in the stores' query language; every tag of `equipment`
 * must be present. The one definition of what a search finds: `matchesQuery` evaluates it, and
 * tests hold that to NeDB's and FerretDB's answers for the same query.
 */
export function searchQuery(filters: SearchFilters, user: AuthUser): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  // Only managers see deactivated spaces, and only when they ask.
  if (!(filters.includeInactive && user.role !== "member")) query.active = true;
  if (filters.site) query.siteKey = filters.site.toLowerCase();
  if (filters.kind) query.kind = filters.kind;
  if (filters.minCapacity) query.capacity = { $gte: filters.minCapacity };
  const tags =
    typeof filters.equipment === "string" ? filters.equipment.split(",") : filters.equipment;
  const equipment = (tags ?? []).map(tag => tag.trim().toLowerCase()).filter(Boolean);
  // One condition per tag: a tag matches when the array holds it (NeDB has no $all).
  if (equipment.length > 0) query.$and = equipment.map(tag => ({ equipment: tag }));
  return query;
}

/** Which spaces are free for a window, and why each other one is not, where reservations said. */
export interface Availability {
  free: Set<string>;
  unavailable: Record<string, string>;
}

/**
 * Asks reservations which of the spaces are free for the window, and why the others are not
 * (`spacesAvailability`); where no instance has that yet (reservations not upgraded), asks
 * `freeSpaces`, which answers the free ids alone.
 */
export async function askAvailability(
  ctx: Context,
  params: { spaces: object[]; from: string | null; to: string | null },
): Promise<Availability> {
  try {
    const answer = await ctx.call<{ free: string[]; unavailable: Record<string, string> }, object>(
      "reservations.spacesAvailability",
      params,
    );
    return { free: new Set(answer.free), unavailable: answer.unavailable };
  } catch (err) {
    if (!(err instanceof Errors.ServiceNotFoundError)) throw err;
    const free = await ctx.call<string[], object>("reservations.freeSpaces", params);
    return { free: new Set(free), unavailable: {} };
  }
}

/**
 * One page of the candidates (in SEARCH_ORDER), the `free` ones first; each other one with
 * `unavailable`, why it cannot be booked (the error type a booking would be refused with), where
 * reservations said.
 */
export function rankedPage(
  candidates: readonly SpaceRecord[],
  availability: Availability,
  page: number,
  pageSize: number,
) {
  const { free, unavailable } = availability;
  const ranked = candidates
    .map(record => {
      const id = String(record._id);
      const isFree = free.has(id);
      const why = isFree ? undefined : unavailable[id];
      return { ...toPublicSpace(record), free: isFree, ...(why ? { unavailable: why } : {}) };
    })
    // Array sort is stable: within each group the closest fit stays first.
    .sort((a, b) => Number(b.free) - Number(a.free));
  return pageOf(ranked, page, pageSize, space => space);
}

/**
 * Whether `record` matches `query` as NeDB and MongoDB would match it, for the operators
 * `searchQuery` writes: equality to a scalar (an array field matches when it holds the value),
 * `$gte` on a number and `$and`. Anything else throws, so a new filter cannot be evaluated
 * differently from how a store would without a test failing.
 */
export function matchesQuery(record: object, query: Record<string, unknown>): boolean {
  const fields = record as Record<string, unknown>;
  return Object.entries(query).every(([key, condition]) => {
    if (key === "$and") {
      if (!Array.isArray(condition)) throw new Error("$and takes an array of queries");
      return condition.every(part => matchesQuery(record, part as Record<string, unknown>));
    }
    if (key.startsWith("$") || key.includes(".")) throw new Error(`Unsupported query key ${key}`);
    const value = fields[key];
    // An array field matches a condition when one of its elements does.
    const candidates = Array.isArray(value) ? value : [value];
    if (typeof condition === "object" && condition !== null) {
      const operators = Object.entries(condition);
      if (
        operators.length !== 1 ||
        operators[0][0] !== "$gte" ||
        typeof operators[0][1] !== "number"
      )
        throw new Error(`Unsupported condition on ${key}`);
      const min = operators[0][1];
      // A number compares only with numbers ($gte does not cross types).
      return candidates.some(candidate => typeof candidate === "number" && candidate >= min);
    }
    if (!["string", "number", "boolean"].includes(typeof condition))
      throw new Error(`Unsupported value for ${key}`);
    return candidates.some(candidate => candidate === condition);
  });
}
