import { readWindow } from "../../../lib/time-window";

const AMS = "Europe/Amsterdam";

describe("availability windows", () => {
  it("reads times without an offset as the space's local time", () => {
    const { from, to } = readWindow({ from: "2027-03-28", to: "2027-03-29T00:00" }, AMS, 62);
    expect(from.toISO()).toBe("2027-03-27T23:00:00.000Z");
    expect(to.toISO()).toBe("2027-03-28T22:00:00.000Z");
  });

  it("refuses an end before the start, a window over 62 days and a date that does not exist", () => {
    expect(() => readWindow({ from: "2027-01-02", to: "2027-01-01" }, AMS, 62)).toThrow(
      expect.objectContaining({ type: "INVALID_WINDOW", code: 400 }),
    );
    expect(() => readWindow({ from: "2027-01-01", to: "2027-03-05" }, AMS, 62)).toThrow(
      expect.objectContaining({ type: "WINDOW_TOO_LARGE", code: 400 }),
    );
    expect(() => readWindow({ from: "2027-02-30", to: "2027-03-05" }, AMS, 62)).toThrow(
      expect.objectContaining({ type: "VALIDATION_ERROR" }),
    );
  });
});
