/** Wall-clock times in a space's zone, turned into instants with their offset and back. */
import {
  addMinutes,
  nextQuarterHour,
  offsetMinutes,
  wallClock,
  zonedIso,
} from "../../../web/src/lib/zoned-time";

it("writes a local date and time with the zone's offset, summer and winter", () => {
  expect(zonedIso("2027-03-29", "09:00", "Europe/Amsterdam")).toBe("2027-03-29T09:00:00+02:00");
  expect(zonedIso("2027-01-04", "09:00", "Europe/Amsterdam")).toBe("2027-01-04T09:00:00+01:00");
  expect(zonedIso("2027-01-04", "09:00", "America/New_York")).toBe("2027-01-04T09:00:00-05:00");
  expect(zonedIso("2027-01-04", "09:30", "Asia/Kolkata")).toBe("2027-01-04T09:30:00+05:30");
  // The day the clocks go forward: 09:00 is already summer time.
  expect(zonedIso("2027-03-28", "09:00", "Europe/Amsterdam")).toBe("2027-03-28T09:00:00+02:00");
});

it("reads an instant back as the zone's date and time", () => {
  expect(wallClock("2027-03-29T07:00:00Z", "Europe/Amsterdam")).toEqual({
    date: "2027-03-29",
    time: "09:00",
  });
  expect(wallClock("2027-01-04T23:30:00Z", "Europe/Amsterdam")).toEqual({
    date: "2027-01-05",
    time: "00:30",
  });
  expect(offsetMinutes(new Date("2027-07-01T12:00:00Z"), "Europe/Amsterdam")).toBe(120);
});

it("adds minutes across midnight and finds the next quarter hour", () => {
  expect(addMinutes("2027-01-04", "23:30", 60)).toEqual({ date: "2027-01-05", time: "00:30" });
  const at = new Date("2027-01-04T08:07:00Z"); // 09:07 in Amsterdam
  expect(nextQuarterHour("Europe/Amsterdam", at)).toEqual({
    date: "2027-01-04",
    start: "09:15",
    end: "10:15",
    endDate: "2027-01-04",
  });
  const onTheHour = new Date("2027-01-04T08:00:00Z");
  expect(nextQuarterHour("Europe/Amsterdam", onTheHour).start).toBe("09:15");
});

it("offers tomorrow morning when the next hour would run past midnight", () => {
  const late = new Date("2027-01-04T22:20:00Z"); // 23:20 in Amsterdam
  expect(nextQuarterHour("Europe/Amsterdam", late)).toEqual({
    date: "2027-01-05",
    start: "09:00",
    end: "10:00",
    endDate: "2027-01-05",
  });
});
