/**
 * What a notification says, in the recipient's language: a short in-app message, and an e-mail
 * (subject and text) with an iCalendar attachment for bookings made or changed. Times are shown
 * in the space's own time zone, since that is where the meeting happens.
 */
import { BoundedMemo } from "../../lib/bounded-memo";
import { ICalCalendarMethod, reservationCalendar } from "../../lib/calendar";
import { DateTime, FixedOffsetZone } from "luxon";
import type { Locale } from "../../lib/config";
import { ReservationEvent } from "../../lib/events/reservation-events";
import { offsetAt } from "../../lib/zone-offsets";

export { NOTIFICATION_KINDS, type NotificationKind } from "../../lib/public-contracts";
import type { NotificationKind } from "../../lib/public-contracts";

export interface NotificationSubject {
  kind: NotificationKind;
  reservationId: string;
  spaceName: string;
  timeZone: string;
  start: string;
  end: string;
  title: string;
  /** For cancellations: why (`cancelled`, `space-deactivated`). */
  reason?: string;
  /** A manager's words on why they cancelled it. */
  note?: string;
  /** Whether someone other than the owner (a manager) made the change. */
  byOther?: boolean;
  /** Orders calendar updates of one reservation (iCalendar SEQUENCE). */
  sequence: number;
}

/**
 * A stored instant in the space's zone, at the offset it has there then (lib/zone-offsets.ts):
 * luxon's named zone asks `Intl` for the offset on every conversion, and that was most of a
 * notification's text (a tenth of an embedded create). The text shows no zone name, so a fixed
 * offset reads the same.
 */
function inZone(stored: string, timeZone: string, locale: Locale): DateTime {
  const ms = Date.parse(stored);
  return DateTime.fromMillis(ms, {
    zone: FixedOffsetZone.instance(offsetAt(timeZone, ms)),
    locale,
  });
}

/**
 * A local date in words ("maandag 7 december 2026"), by language and date: the names of the
 * weekday and the month come from `Intl`, which was most of what is left of the text's cost, and
 * the dates notified about are few.
 */
const dayTexts = new BoundedMemo<string>(5_000);

function dayText(local: DateTime, locale: Locale): string {
  return dayTexts.get(`${locale}|${local.toISODate()}`, () => local.toFormat("cccc d LLLL yyyy"));
}

function when(subject: NotificationSubject, locale: Locale): string {
  const start = inZone(subject.start, subject.timeZone, locale);
  const end = inZone(subject.end, subject.timeZone, locale);
  // Both are in the space's zone; `hasSame` would convert again, a tenth of a create's time.
  const sameDay = start.toISODate() === end.toISODate();
  const from = `${dayText(start, locale)}, ${start.toFormat("HH:mm")}`;
  const to = sameDay ? end.toFormat("HH:mm") : `${dayText(end, locale)}, ${end.toFormat("HH:mm")}`;
  return `${from}–${to}`;
}

const headlines: Record<NotificationKind, Record<Locale, string>> = {
  [ReservationEvent.CREATED]: { en: "Reservation confirmed", nl: "Reservering bevestigd" },
  [ReservationEvent.UPDATED]: { en: "Reservation changed", nl: "Reservering gewijzigd" },
  [ReservationEvent.CANCELLED]: { en: "Reservation cancelled", nl: "Reservering geannuleerd" },
  "reservation.reminder": { en: "Reminder", nl: "Herinnering" },
};

function explanation(subject: NotificationSubject, locale: Locale): string {
  const nl = locale === "nl";
  switch (subject.kind) {
    case ReservationEvent.CREATED:
      return nl ? "Uw reservering staat vast." : "Your reservation is confirmed.";
    case ReservationEvent.UPDATED:
      return subject.byOther
        ? nl
          ? "Een beheerder heeft uw reservering gewijzigd. Dit is de nieuwe tijd."
          : "A manager changed your reservation. This is the new time."
        : nl
          ? "Uw reservering is gewijzigd. Dit is de nieuwe tijd."
          : "Your reservation has been changed. This is the new time.";
    case ReservationEvent.CANCELLED:
      if (subject.reason === "space-deactivated") {
        return nl
          ? "De ruimte is niet meer beschikbaar, daarom is uw reservering geannuleerd. Kies zo nodig een andere ruimte."
          : "The space is no longer available, so your reservation was cancelled. Please choose another space if you still need one.";
      }
      return subject.byOther
        ? nl
          ? "Een beheerder heeft uw reservering geannuleerd."
          : "A manager cancelled your reservation."
        : nl
          ? "Uw reservering is geannuleerd."
          : "Your reservation has been cancelled.";
    case "reservation.reminder":
      return nl ? "Uw reservering begint binnenkort." : "Your reservation starts soon.";
  }
}

/** The one-line message shown in the app. */
export function inAppMessage(subject: NotificationSubject, locale: Locale): string {
  const base = `${headlines[subject.kind][locale]}: ${subject.spaceName}, ${when(subject, locale)}`;
  return subject.note ? `${base}. ${noteLine(subject.note, locale)}` : base;
}

function noteLine(note: string, locale: Locale): string {
  return `${locale === "nl" ? "Reden" : "Reason"}: ${note}`;
}

export interface MailContent {
  subject: string;
  text: string;
  calendar?: { filename: string; content: string; method: string };
}

export function mailContent(
  subject: NotificationSubject,
  locale: Locale,
  recipientName: string,
): MailContent {
  const nl = locale === "nl";
  const period = when(subject, locale);
  const lines = [
    nl ? `Beste ${recipientName},` : `Dear ${recipientName},`,
    "",
    explanation(subject, locale),
    ...(subject.note ? [noteLine(subject.note, locale)] : []),
    "",
    `${nl ? "Ruimte" : "Space"}: ${subject.spaceName}`,
    `${nl ? "Wanneer" : "When"}: ${period} (${subject.timeZone})`,
    ...(subject.title ? [`${nl ? "Onderwerp" : "Title"}: ${subject.title}`] : []),
    "",
    "MindSpaces",
  ];
  const calendarMethod =
    subject.kind === ReservationEvent.CANCELLED
      ? ICalCalendarMethod.CANCEL
      : subject.kind === "reservation.reminder"
        ? null
        : ICalCalendarMethod.REQUEST;
  return {
    subject: `${headlines[subject.kind][locale]}: ${subject.spaceName}, ${period}`,
    text: lines.join("\n"),
    ...(calendarMethod ? { calendar: calendarFor(subject, calendarMethod) } : {}),
  };
}

/** An iCalendar invitation (or cancellation) that calendar programs file under one UID. */
function calendarFor(subject: NotificationSubject, method: ICalCalendarMethod) {
  const content = reservationCalendar(
    {
      reservationId: subject.reservationId,
      spaceName: subject.spaceName,
      start: subject.start,
      end: subject.end,
      title: subject.title,
      cancelled: method === ICalCalendarMethod.CANCEL,
      sequence: subject.sequence,
    },
    method,
  );
  return { filename: "reservation.ics", content, method };
}
