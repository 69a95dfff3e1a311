/** Read models keep the newest state by `updatedAt`, so successive changes must order strictly. */
import { nextUpdatedAt } from "../../../lib/store";

describe("nextUpdatedAt", () => {
  afterEach(() => jest.restoreAllMocks());

  it("is now when the previous change is older", () => {
    jest.spyOn(Date, "now").mockReturnValue(Date.parse("2026-03-29T01:30:00.000Z"));
    expect(nextUpdatedAt("2026-03-29T01:00:00.000Z")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("is a millisecond later when the previous change was in the same millisecond", () => {
    jest.spyOn(Date, "now").mockReturnValue(Date.parse("2026-03-29T01:30:00.000Z"));
    expect(nextUpdatedAt("2026-03-29T01:30:00.000Z")).toBe("2026-03-29T01:30:00.001Z");
  });

  it("stays after a previous change stamped by a clock that ran ahead", () => {
    jest.spyOn(Date, "now").mockReturnValue(Date.parse("2026-03-29T01:30:00.000Z"));
    expect(nextUpdatedAt("2026-03-29T01:30:02.500Z")).toBe("2026-03-29T01:30:02.501Z");
  });
});
