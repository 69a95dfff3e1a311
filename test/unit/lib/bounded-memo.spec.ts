import { BoundedMemo } from "../../../lib/bounded-memo";

describe("BoundedMemo (lib/bounded-memo.ts)", () => {
  it("makes a value once per key, and again only after it was emptied for being full", () => {
    const memo = new BoundedMemo<number>(2);
    const make = jest.fn((n: number) => n * 10);
    expect(memo.get("a", () => make(1))).toBe(10);
    expect(memo.get("a", () => make(99))).toBe(10);
    expect(memo.get("b", () => make(2))).toBe(20);
    expect(make).toHaveBeenCalledTimes(2);
    // Full at two: the third key empties it, so "a" is made again.
    expect(memo.get("c", () => make(3))).toBe(30);
    expect(memo.get("c", () => make(99))).toBe(30);
    expect(memo.get("a", () => make(4))).toBe(40);
    expect(make).toHaveBeenCalledTimes(4);
  });

  it("remembers nothing when making the value throws", () => {
    const memo = new BoundedMemo<string>(10);
    expect(() =>
      memo.get("bad", () => {
        throw new Error("not a date");
      }),
    ).toThrow("not a date");
    expect(memo.get("bad", () => "made now")).toBe("made now");
  });
});
