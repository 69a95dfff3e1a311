import {
  clipRanges,
  mergeRanges,
  storedRange,
  subtractRanges,
  totalMs,
} from "../../../lib/time-ranges";

const r = (start: number, end: number) => ({ start, end });

describe("time ranges", () => {
  it("merge overlapping and touching ranges, in order, and leave out empty ones", () => {
    expect(mergeRanges([r(20, 30), r(0, 10), r(10, 15), r(12, 14), r(40, 40), r(29, 35)])).toEqual([
      r(0, 15),
      r(20, 35),
    ]);
  });

  it("clip to a window", () => {
    expect(clipRanges([r(0, 10), r(20, 30), r(40, 50)], 5, 40)).toEqual([r(5, 10), r(20, 30)]);
  });

  it("subtract taken ranges, including ones that span several and touch the edges", () => {
    const open = [r(0, 100), r(200, 300), r(400, 500)];
    expect(subtractRanges(open, [])).toEqual(open);
    expect(
      subtractRanges(open, [r(10, 20), r(20, 30), r(90, 210), r(300, 400), r(450, 460)]),
    ).toEqual([r(0, 10), r(30, 90), r(210, 300), r(400, 450), r(460, 500)]);
    expect(subtractRanges(open, [r(-5, 600)])).toEqual([]);
    // Unsorted, as reservations may come.
    expect(subtractRanges([r(0, 100)], [r(60, 70), r(10, 20)])).toEqual([
      r(0, 10),
      r(20, 60),
      r(70, 100),
    ]);
  });

  it("add up lengths and read stored instants", () => {
    expect(totalMs([r(0, 10), r(20, 25)])).toBe(15);
    expect(
      storedRange({ start: "2027-01-11T09:00:00.000Z", end: "2027-01-11T10:00:00.000Z" }),
    ).toEqual(r(Date.UTC(2027, 0, 11, 9), Date.UTC(2027, 0, 11, 10)));
  });
});
