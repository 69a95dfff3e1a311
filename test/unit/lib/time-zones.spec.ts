import { isValidTimeZone } from "../../../lib/time-zones";

describe("the time zone check (lib/time-zones.ts)", () => {
  afterEach(() => jest.restoreAllMocks());

  it("accepts IANA zones and refuses anything else", () => {
    expect(isValidTimeZone("Europe/Amsterdam")).toBe(true);
    expect(isValidTimeZone("America/Curacao")).toBe(true);
    expect(isValidTimeZone("Europe/Gouda")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    // A fixed offset keeps no summer time: a space in Amsterdam given "+01:00" would be an hour
    // off from March to October. Node 22 accepts offsets as zones; they are refused.
    for (const offset of ["+01:00", "-05:30", "+01", "-0530", "Etc/GMT-1", "etc/gmt+10"]) {
      expect({ offset, valid: isValidTimeZone(offset) }).toEqual({ offset, valid: false });
    }
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Etc/GMT")).toBe(true);
  });

  it("builds ICU's formatter once per valid zone, not once per space written", () => {
    // Each one costs tens of KB of native allocations, which fragmented the allocator's heap
    // when 2,000 spaces were created (BENCHMARKS.md, "Memory of the users+spaces node").
    expect(isValidTimeZone("Asia/Tokyo")).toBe(true);
    const formatters = jest.spyOn(Intl, "DateTimeFormat");
    for (let i = 0; i < 100; i++) expect(isValidTimeZone("Asia/Tokyo")).toBe(true);
    expect(formatters).not.toHaveBeenCalled();
    // A name refused is asked again each time: nothing is kept for what anyone may send.
    expect(isValidTimeZone("Asia/Gouda")).toBe(false);
    expect(isValidTimeZone("Asia/Gouda")).toBe(false);
    expect(formatters).toHaveBeenCalledTimes(2);
  });
});
