import { readWindow } from "../../../lib/time-window";
import { parseInstant } from "../../../lib/time";

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

  it("allows exactly the longest window, across a daylight-saving change, and not a minute more", () => {
    // 62 days of 24 hours in UTC, though one local day of them has 23 hours.
    expect(() =>
      readWindow({ from: "2027-03-01T00:00Z", to: "2027-05-02T00:00Z" }, AMS, 62),
    ).not.toThrow();
    expect(() =>
      readWindow({ from: "2027-03-01T00:00Z", to: "2027-05-02T00:01Z" }, AMS, 62),
    ).toThrow(expect.objectContaining({ type: "WINDOW_TOO_LARGE" }));
  });

  it("reads the same text in another zone as another instant, however often it was read", () => {
    for (let i = 0; i < 3; i++) {
      expect(parseInstant("2027-07-01T09:00", "from", AMS).toISO()).toBe(
        "2027-07-01T07:00:00.000Z",
      );
      expect(parseInstant("2027-07-01T09:00", "from", "America/New_York").toISO()).toBe(
        "2027-07-01T13:00:00.000Z",
      );
      expect(() => parseInstant("2027-07-01T25:00", "from", AMS)).toThrow(
        expect.objectContaining({ type: "VALIDATION_ERROR" }),
      );
    }
  });
});
