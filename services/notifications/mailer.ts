/**
 * Outgoing e-mail through nodemailer when SMTP_URL is set; otherwise each e-mail is written to
 * the log instead of sent, so a try-out shows what would go out, and `send` says so (`logged`):
 * an e-mail nobody received must not be recorded as sent. SMTP_URL may hold credentials and is
 * never logged.
 */
import nodemailer from "nodemailer";
import type { Logger } from "moleculer";
import type { AppConfig } from "../../lib/config";
import type { MailContent } from "./content";

/** `sent`: the mail server accepted it; `logged`: no mail server, only written to the log. */
export type MailOutcome = "sent" | "logged";

export interface Mailer {
  send(to: string, content: MailContent): Promise<MailOutcome>;
  close(): void;
}

/**
 * How long a send waits for the mail server, at each step. nodemailer's own waits (two minutes
 * to connect, ten for a silent connection) would outlast the time a sender is trusted with an
 * e-mail (`SENDING_TIMEOUT_MS`, email-delivery.ts), after which another instance sends it too; a
 * query in SMTP_URL (`?socketTimeout=…`) still overrides them.
 */
export const SMTP_WAITS = {
  connectionTimeout: 15_000,
  greetingTimeout: 15_000,
  socketTimeout: 30_000,
};

export function createMailer(config: AppConfig, logger: Logger): Mailer {
  if (!config.smtpUrl) {
    return {
      async send(to, content) {
        logger.info("E-mail (not sent: SMTP_URL is not set)", {
          to,
          subject: content.subject,
          text: content.text,
          calendar: content.calendar?.content,
        });
        return "logged";
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport({ ...SMTP_WAITS, url: config.smtpUrl });
  return {
    async send(to, content) {
      await transport.sendMail({
        from: config.mailFrom,
        to,
        subject: content.subject,
        text: content.text,
        attachments: content.calendar
          ? [
              {
                filename: content.calendar.filename,
                content: content.calendar.content,
                contentType: `text/calendar; charset=utf-8; method=${content.calendar.method}`,
              },
            ]
          : [],
      });
      return "sent";
    },
    close() {
      transport.close();
    },
  };
}
