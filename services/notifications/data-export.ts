/**
 * A person's notifications as their GDPR export shows them: in their own language, with what
 * became of each e-mail, and in words why one that never reached them did not.
 */
import type { Locale } from "../../lib/config";
import type { EmailState } from "../../lib/public-contracts";
import { toPublicNotification, type NotificationRecord } from "./in-app";

/** States that need saying why nobody received the e-mail. */
const emailNotes: Partial<Record<EmailState, Record<Locale, string>>> = {
  logged: {
    en: "Not sent: no mail server was configured, so the e-mail was only written to the server's log.",
    nl: "Niet verstuurd: er was geen mailserver ingesteld, dus de e-mail is alleen in het logboek van de server geschreven.",
  },
  none: {
    en: "Not sent: there was no address to send it to.",
    nl: "Niet verstuurd: er was geen adres om hem naartoe te sturen.",
  },
};

export function exportedNotification(record: NotificationRecord, locale: Locale) {
  const note = emailNotes[record.email]?.[locale];
  return {
    ...toPublicNotification(record, locale),
    email: record.email,
    ...(note ? { emailNote: note } : {}),
  };
}
