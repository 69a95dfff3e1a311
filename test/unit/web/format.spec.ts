/** Dates and times in the reader's language and the space's time zone, across the DST nights. */
import {
  formatDate,
  formatDateTime,
  formatRange,
  formatTime,
  localDate,
  zoneName,
} from "../../../web/src/i18n/format";

// 2027-03-28 is the spring-forward Sunday in Europe: 02:00 CET becomes 03:00 CEST.
const BEFORE_SPRING = "2027-03-28T00:30:00Z"; // 01:30 in Amsterdam
const AFTER_SPRING = "2027-03-28T01:30:00Z"; // 03:30 in Amsterdam

it("writes dates and times in Dutch and English", () => {
  const when = "2027-03-29T08:30:00Z"; // 10:30 in Amsterdam (CEST)
  expect(formatDate(when, "nl", "Europe/Amsterdam")).toBe("maandag 29 maart 2027");
  expect(formatDate(when, "en", "Europe/Amsterdam")).toBe("Monday, 29 March 2027");
  expect(formatTime(when, "nl", "Europe/Amsterdam")).toBe("10:30");
  expect(formatTime(when, "en", "Europe/Amsterdam")).toBe("10:30");
  expect(formatDateTime(when, "nl", "Europe/Amsterdam")).toBe("maandag 29 maart 2027 om 10:30");
  expect(formatDateTime(when, "en", "Europe/Amsterdam")).toBe("Monday, 29 March 2027 at 10:30");
});

it("shows times in the space's zone, not the browser's", () => {
  const when = "2027-01-15T12:00:00Z";
  expect(formatTime(when, "nl", "Europe/Amsterdam")).toBe("13:00");
  expect(formatTime(when, "nl", "Europe/London")).toBe("12:00");
  expect(formatTime(when, "en", "America/New_York")).toBe("07:00");
  expect(localDate("2027-01-15T23:30:00Z", "Europe/Amsterdam")).toBe("2027-01-16");
  expect(localDate("2027-01-15T23:30:00Z", "America/New_York")).toBe("2027-01-15");
});

it("follows the clock change and names the zone in force", () => {
  expect(formatTime(BEFORE_SPRING, "nl", "Europe/Amsterdam")).toBe("01:30");
  expect(formatTime(AFTER_SPRING, "nl", "Europe/Amsterdam")).toBe("03:30");
  expect(zoneName(BEFORE_SPRING, "en", "Europe/Amsterdam")).toBe("CET");
  expect(zoneName(AFTER_SPRING, "en", "Europe/Amsterdam")).toBe("CEST");
});

it("writes a range on one day with the date once", () => {
  const range = formatRange(
    "2027-03-29T07:30:00Z",
    "2027-03-29T09:00:00Z",
    "nl",
    "Europe/Amsterdam",
  );
  expect(range).toContain("29 maart 2027");
  expect(range).toMatch(/09:30\s*[–-]\s*11:00/);
  expect(range.match(/2027/g)).toHaveLength(1);
});
