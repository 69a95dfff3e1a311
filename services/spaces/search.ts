/**
 * Finding spaces: the filters of a search as a store query, and the "free during" ranking (free
 * ones first, then closest fit in capacity). Whether a space is free, reservations answers.
 */
import type { AuthUser } from "../../lib/auth";
import { SPACE_KINDS, type SpaceKind } from "../../lib/events/space-events";
import { instantParam } from "../../lib/params";
import { equipmentParam, toPublicSpace, type SpaceRecord } from "./space-record";

/** "Free during" ranks at most this many closest-fitting spaces; narrower filters see them all. */
export const MAX_RANKED_CANDIDATES = 500;

/** Closest fit first. */
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

/** The store query for a search's filters; every tag of `equipment` must be present. */
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

/** One page of the candidates (in SEARCH_ORDER), the `free` ones first. */
export function rankedPage(
  candidates: SpaceRecord[],
  free: Set<string>,
  page: number,
  pageSize: number,
) {
  const ranked = candidates
    .map(record => ({ ...toPublicSpace(record), free: free.has(String(record._id)) }))
    // Array sort is stable: within each group the closest fit stays first.
    .sort((a, b) => Number(b.free) - Number(a.free));
  const offset = (page - 1) * pageSize;
  return {
    rows: ranked.slice(offset, offset + pageSize),
    total: ranked.length,
    page,
    pageSize,
    totalPages: Math.ceil(ranked.length / pageSize),
  };
}
