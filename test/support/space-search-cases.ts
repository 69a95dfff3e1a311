/**
 * Holds the spaces service's in-memory search (searchQuery evaluated by matchesQuery on the
 * snapshot, in its order) to what a store answers for the same query and SEARCH_ORDER: random
 * catalogues, random filters and users, on whichever adapter the suite gives.
 */
import type { DbAdapter } from "moleculer-db";
import fc from "fast-check";
import type { AuthUser } from "../../lib/auth";
import { SPACE_KINDS } from "../../lib/events/space-events";
import { DEFAULT_OPENING_HOURS, DEFAULT_RULES } from "../../services/spaces/space-record";
import type { SpaceRecord } from "../../services/spaces/space-record";
import {
  matchesQuery,
  SEARCH_ORDER,
  searchQuery,
  type SearchFilters,
} from "../../services/spaces/search";
import { snapshotOf } from "../../services/spaces/space-snapshot";
import { findMany } from "../../lib/store";

const SITES = ["Utrecht", "utrecht", "UTRECHT", "Amersfoort", "Zeist"];
const TAGS = ["beamer", "whiteboard", "screen", "videoconference"];
const NAMES = ["Tulp", "Roos", "roos", "Iris", "Anjer", "Lelie", "Desk 1", "desk 1", "Zaal"];
const ROLES = ["member", "manager", "admin"] as const;

const spaceArbitrary = fc.record({
  name: fc.constantFrom(...NAMES),
  kind: fc.constantFrom(...SPACE_KINDS),
  site: fc.constantFrom(...SITES),
  capacity: fc.integer({ min: 1, max: 12 }),
  equipment: fc.subarray(TAGS),
  active: fc.boolean(),
});

const filtersArbitrary: fc.Arbitrary<SearchFilters> = fc.record(
  {
    site: fc.constantFrom(...SITES, "Nergens"),
    kind: fc.constantFrom(...SPACE_KINDS),
    minCapacity: fc.integer({ min: 1, max: 13 }),
    equipment: fc.oneof(
      fc.subarray(TAGS).map(tags => tags.join(",")),
      fc.subarray([...TAGS, " Beamer "]),
    ),
    includeInactive: fc.boolean(),
  },
  { requiredKeys: [] },
);

export function randomCatalogue(seed: number, size: number): SpaceRecord[] {
  const now = new Date().toISOString();
  return fc.sample(spaceArbitrary, { seed, numRuns: size }).map((space, i) => ({
    _id: `space-${String(i).padStart(3, "0")}-${seed}`,
    name: space.name,
    kind: space.kind,
    location: { site: space.site },
    siteKey: space.site.toLowerCase(),
    capacity: space.capacity,
    equipment: space.equipment,
    description: "",
    timeZone: "Europe/Amsterdam",
    openingHours: DEFAULT_OPENING_HOURS,
    rules: DEFAULT_RULES,
    active: space.active,
    createdAt: now,
    updatedAt: now,
  }));
}

export function randomSearches(seed: number, count: number) {
  return fc.sample(fc.tuple(filtersArbitrary, fc.constantFrom(...ROLES)), { seed, numRuns: count });
}

/** (capacity, name) of each space in order: ties in SEARCH_ORDER may come in any order. */
const orderKeys = (spaces: readonly SpaceRecord[]) => spaces.map(s => `${s.capacity}|${s.name}`);

/**
 * What the store answers for each search, beside what the snapshot answers: the same spaces, in
 * the same SEARCH_ORDER. Returns how many searches matched at least one space (a test asserts
 * that the cases are not all empty).
 */
export async function expectSameAnswers(
  store: DbAdapter,
  catalogue: SpaceRecord[],
  searches: [SearchFilters, (typeof ROLES)[number]][],
): Promise<number> {
  const snapshot = snapshotOf("stamp", catalogue);
  let nonEmpty = 0;
  for (const [filters, role] of searches) {
    const user: AuthUser = { id: "u", role, locale: "nl" };
    const query = searchQuery(filters, user);
    const fromStore = await findMany<SpaceRecord>(store, { query, sort: SEARCH_ORDER });
    const fromSnapshot = snapshot.spaces.filter(space => matchesQuery(space, query));
    const label = JSON.stringify({ filters, role, query });
    expect({ label, ids: fromSnapshot.map(s => s._id).sort() }).toEqual({
      label,
      ids: fromStore.map(s => s._id).sort(),
    });
    expect({ label, order: orderKeys(fromSnapshot) }).toEqual({
      label,
      order: orderKeys(fromStore),
    });
    if (fromStore.length > 0) nonEmpty++;
  }
  return nonEmpty;
}
