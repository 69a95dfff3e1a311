import {
  assertConsistent,
  DEFAULT_OPENING_HOURS,
  DEFAULT_RULES,
} from "../../../../services/spaces/space-record";

const space = (timeZone: string) => ({
  timeZone,
  openingHours: DEFAULT_OPENING_HOURS,
  rules: DEFAULT_RULES,
});

describe("a space's consistency check (spaces/space-record.ts)", () => {
  it("refuses an unknown zone or a fixed offset, naming the field", () => {
    for (const zone of ["Mars/Olympus", "+01:00"]) {
      expect(() => assertConsistent(space(zone))).toThrow(
        expect.objectContaining({ data: [expect.objectContaining({ field: "timeZone" })] }),
      );
    }
    expect(() => assertConsistent(space("Europe/Amsterdam"))).not.toThrow();
  });

  it("lets a space stored with an offset (which Node 22 accepted) be changed otherwise", () => {
    expect(() => assertConsistent(space("+01:00"), "+01:00")).not.toThrow();
    // Set to another offset, or from a place's zone to one, it is refused.
    expect(() => assertConsistent(space("+02:00"), "+01:00")).toThrow();
    expect(() => assertConsistent(space("+01:00"), "Europe/Amsterdam")).toThrow();
  });
});
