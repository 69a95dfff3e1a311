/** A real SMTP server on loopback that keeps what it receives, for tests that check e-mail. */
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { freePort } from "./ferretdb";

export interface TestSmtp {
  port: number;
  url: string;
  mails: ParsedMail[];
  stop(): Promise<void>;
}

/**
 * `delayMs` holds every message that long before accepting it, like a slow mail relay; `refuse`
 * turns that many of the next messages away with a temporary failure. Both may change meanwhile.
 */
export async function startSmtp(
  options: { delayMs?: number; refuse?: number } = {},
): Promise<TestSmtp> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, done) {
      if (options.refuse) {
        options.refuse--;
        stream.resume();
        stream.on("end", () =>
          done(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 })),
        );
        return;
      }
      simpleParser(stream).then(async mail => {
        if (options.delayMs) await new Promise(resolve => setTimeout(resolve, options.delayMs));
        mails.push(mail);
        done();
      }, done);
    },
  });
  // A client that dies mid-message (a consumer killed with SIGKILL) resets its connection; the
  // server reports that as an 'error' event, which without a listener would end the test run.
  server.on("error", err => {
    if ((err as NodeJS.ErrnoException).code !== "ECONNRESET") console.warn("test SMTP:", err);
  });
  const port = await freePort();
  await new Promise<void>(resolve => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

export const recipient = (mail: ParsedMail): string =>
  (Array.isArray(mail.to) ? mail.to.map(a => a.text).join(",") : mail.to?.text) ?? "";

export const calendarOf = (mail: ParsedMail): string =>
  mail.attachments.find(a => a.filename === "reservation.ics")?.content.toString("utf8") ?? "";
