/**
 * One reservation as an iCalendar file. E-mailed invitations and the file a person downloads
 * share one UID and one SEQUENCE rule, so a calendar program files both under the same event and
 * takes the newest. Times are written in UTC (`Z`): a single event needs no time-zone rules, and
 * ical-generator would format a zoned JS Date in the server's own local time.
 */
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

export { ICalCalendarMethod };

export interface CalendarEntry {
  reservationId: string;
  spaceName: string;
  start: string;
  end: string;
  title: string;
  cancelled: boolean;
  /** Orders updates of one reservation (iCalendar SEQUENCE); see calendarSequence. */
  sequence: number;
}

/** A reservation's SEQUENCE: its last change, in whole seconds, so a later change counts more. */
export function calendarSequence(updatedAt: string): number {
  return Math.floor(Date.parse(updatedAt) / 1000) % 2 ** 31;
}

export function reservationCalendar(entry: CalendarEntry, method: ICalCalendarMethod): string {
  const calendar = ical({
    prodId: { company: "MindSpaces", product: "MindSpaces", language: "EN" },
    method,
  });
  calendar.createEvent({
    id: `${entry.reservationId}@mindspaces`,
    sequence: entry.sequence,
    start: new Date(entry.start),
    end: new Date(entry.end),
    summary: entry.title || entry.spaceName,
    location: entry.spaceName,
    status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
