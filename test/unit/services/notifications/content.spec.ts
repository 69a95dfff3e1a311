import { ReservationEvent } from "../../../../lib/events/reservation-events";
import {
  inAppMessage,
  mailContent,
  type NotificationSubject,
} from "../../../../services/notifications/content";

const subject = (start: string, end: string): NotificationSubject => ({
  kind: ReservationEvent.CREATED,
  reservationId: "r-1",
  spaceName: "Spreekkamer 2",
  timeZone: "Europe/Amsterdam",
  start,
  end,
  title: "Intake",
  sequence: 0,
});

describe("what a notification says about when (services/notifications/content.ts)", () => {
  it("names the day once for a reservation within one local day, in both languages", () => {
    // 09:00–10:30 in Amsterdam, in winter (UTC+1).
    const winter = subject("2026-12-07T08:00:00.000Z", "2026-12-07T09:30:00.000Z");
    expect(inAppMessage(winter, "nl")).toBe(
      "Reservering bevestigd: Spreekkamer 2, maandag 7 december 2026, 09:00–10:30",
    );
    const mail = mailContent(winter, "en", "Anna");
    expect(mail.subject).toBe(
      "Reservation confirmed: Spreekkamer 2, Monday 7 December 2026, 09:00–10:30",
    );
    expect(mail.text).toContain("When: Monday 7 December 2026, 09:00–10:30 (Europe/Amsterdam)");
  });

  it("names both days when it ends on another local day, though the same UTC day", () => {
    // 23:30 Monday to 00:30 Tuesday in Amsterdam is 22:30–23:30 on one UTC day.
    const late = subject("2026-12-07T22:30:00.000Z", "2026-12-07T23:30:00.000Z");
    expect(inAppMessage(late, "en")).toBe(
      "Reservation confirmed: Spreekkamer 2, Monday 7 December 2026, 23:30–Tuesday 8 December 2026, 00:30",
    );
  });

  it("shows local time on the day the clocks go back", () => {
    // 01:30–03:30 local on 25 October 2026: the clock passes 02:00–03:00 twice.
    const fallBack = subject("2026-10-24T23:30:00.000Z", "2026-10-25T02:30:00.000Z");
    expect(inAppMessage(fallBack, "nl")).toBe(
      "Reservering bevestigd: Spreekkamer 2, zondag 25 oktober 2026, 01:30–03:30",
    );
  });

  it("shows local time on the night the clocks go forward, and in a zone off the whole hour", () => {
    // 01:30–03:30 local on 29 March 2026: the clock jumps from 02:00 to 03:00.
    const springForward = subject("2026-03-29T00:30:00.000Z", "2026-03-29T01:30:00.000Z");
    expect(inAppMessage(springForward, "en")).toBe(
      "Reservation confirmed: Spreekkamer 2, Sunday 29 March 2026, 01:30–03:30",
    );
    // Kathmandu is UTC+05:45.
    const kathmandu = { ...subject("2026-12-07T04:15:00.000Z", "2026-12-07T05:00:00.000Z") };
    kathmandu.timeZone = "Asia/Kathmandu";
    expect(inAppMessage(kathmandu, "en")).toBe(
      "Reservation confirmed: Spreekkamer 2, Monday 7 December 2026, 10:00–10:45",
    );
  });
});
