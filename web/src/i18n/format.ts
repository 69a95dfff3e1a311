/**
 * Dates and times in the reader's language and in a given IANA time zone. A space's times are
 * shown in the space's own zone (the API answers in UTC and names the zone per space), so a
 * booking for 09:00 in Amsterdam reads 09:00 wherever the browser is.
 */
import type { Locale } from "./messages";

/** nl-NL and en-GB: both write 24-hour times and day-month order, as users here expect. */
const INTL_LOCALE: Record<Locale, string> = { nl: "nl-NL", en: "en-GB" };

export function intlLocale(locale: Locale): string {
  return INTL_LOCALE[locale];
}

function format(
  when: Date | string,
  locale: Locale,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): string {
  const date = typeof when === "string" ? new Date(when) : when;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...options, timeZone }).format(date);
}

/** "maandag 29 maart 2027" / "Monday, 29 March 2027" */
export function formatDate(when: Date | string, locale: Locale, timeZone: string): string {
  return format(when, locale, timeZone, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

/** "09:30" */
export function formatTime(when: Date | string, locale: Locale, timeZone: string): string {
  return format(when, locale, timeZone, { hour: "2-digit", minute: "2-digit" });
}

/** "maandag 29 maart 2027 om 09:30" / "Monday, 29 March 2027 at 09:30" */
export function formatDateTime(when: Date | string, locale: Locale, timeZone: string): string {
  return format(when, locale, timeZone, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** "maandag 29 maart 2027, 09:30–11:00"; across midnight both ends carry their date. */
export function formatRange(
  start: Date | string,
  end: Date | string,
  locale: Locale,
  timeZone: string,
): string {
  const from = typeof start === "string" ? new Date(start) : start;
  const to = typeof end === "string" ? new Date(end) : end;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).formatRange(from, to);
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone, e.g. for `<input type=date>`. */
export function localDate(when: Date | string, timeZone: string): string {
  const date = typeof when === "string" ? new Date(when) : when;
  // en-CA writes ISO order; only digits and dashes are read from it.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** The zone's short name at that instant ("CET", "CEST", "GMT+1"): tells a reader which clock. */
export function zoneName(when: Date | string, locale: Locale, timeZone: string): string {
  const date = typeof when === "string" ? new Date(when) : when;
  const parts = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone,
    timeZoneName: "short",
  }).formatToParts(date);
  return parts.find(part => part.type === "timeZoneName")?.value ?? timeZone;
}
