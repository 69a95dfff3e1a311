import { matchesQuery } from "../../../../services/spaces/search";

// Whether it answers as the stores do for every search: test/integration/space-search.spec.ts.

describe("matchesQuery", () => {
  const space = { capacity: 4, equipment: ["beamer", "screen"], active: true, siteKey: "utrecht" };

  it("matches equality, array membership, $gte and $and as the stores do", () => {
    expect(matchesQuery(space, { active: true, siteKey: "utrecht" })).toBe(true);
    expect(matchesQuery(space, { siteKey: "Utrecht" })).toBe(false);
    expect(matchesQuery(space, { $and: [{ equipment: "beamer" }, { equipment: "screen" }] })).toBe(
      true,
    );
    expect(matchesQuery(space, { $and: [{ equipment: "beamer" }, { equipment: "tv" }] })).toBe(
      false,
    );
    expect(matchesQuery(space, { capacity: { $gte: 4 } })).toBe(true);
    expect(matchesQuery(space, { capacity: { $gte: 5 } })).toBe(false);
    expect(matchesQuery({ capacity: "9" }, { capacity: { $gte: 5 } })).toBe(false);
    expect(matchesQuery({}, { active: true })).toBe(false);
  });

  it.each([
    [{ capacity: { $lt: 4 } }],
    [{ capacity: { $gte: 1, $lte: 9 } }],
    [{ $or: [{ active: true }] }],
    [{ "location.site": "Utrecht" }],
    [{ equipment: ["beamer"] }],
    [{ $and: { active: true } }],
  ])("refuses what it cannot evaluate as a store would: %j", query => {
    expect(() => matchesQuery(space, query)).toThrow();
  });
});
