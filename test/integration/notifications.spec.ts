/**
 * Notifications in the app and by e-mail, against a real SMTP server on loopback: the
 * recipient's language, the iCalendar attachment, a manager's changes, reminders sent once and
 * never for a cancelled reservation.
 */
import { DateTime } from "luxon";
import type { ParsedMail } from "mailparser";
import type { Service } from "moleculer";
import { calendarOf, recipient, startSmtp } from "../support/smtp";
import { httpClient, type HttpRequest } from "../support/http-client";
import { ACCOUNT_PASSWORD, signInAdmin, signInAs, type Session } from "../support/accounts";
import { startSingleNode } from "../support/local-system";
import { testConfig, uniqueName } from "../support/test-env";
import { createMailer } from "../../services/notifications/mailer";
import { ALWAYS_OPEN } from "../support/opening-hours";

interface Notification {
  id: string;
  kind: string;
  message: string;
  read: boolean;
}
interface NotificationPage {
  rows: Notification[];
  total: number;
  unread: number;
}

describe("notifications and e-mail, with a real SMTP server", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const smtpOptions = { refuse: 0, delayMs: 0 };
  let system: Awaited<ReturnType<typeof startSingleNode>>;
  let request: HttpRequest;
  let manager: Session;
  let anna: Session; // English
  let bram: Session; // Dutch
  const emails: Record<string, string> = {};
  let spaceId: string;
  const day = DateTime.utc().plus({ days: 3 }).startOf("day");
  const at = (hours: number) => day.plus({ hours }).toISO()!;

  async function mailsTo(who: Session, count: number): Promise<ParsedMail[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mine = smtp.mails.filter(m => recipient(m).includes(emails[who.user.id]));
      if (mine.length >= count || Date.now() > deadline) return mine;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  async function member(locale: "en" | "nl"): Promise<Session> {
    const email = `${uniqueName(locale)}@example.org`;
    const res = await request<Session>("POST", "/api/auth/register", {
      json: { email, password: ACCOUNT_PASSWORD, name: locale === "en" ? "Anna" : "Bram", locale },
    });
    emails[res.body.user.id] = email;
    return res.body;
  }

  const notificationsOf = (who: Session) =>
    request<NotificationPage>("GET", "/api/notifications", { token: who.token });

  beforeAll(async () => {
    smtp = await startSmtp(smtpOptions);
    system = await startSingleNode(
      // Reminders a week ahead, so every booking of the test is due at the next tick.
      testConfig({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, reminderMinutes: 7 * 24 * 60 }),
      // Checks run when a test says so; an unsent e-mail is due at the next one.
      { tickMs: 3_600_000, emailRetryMs: 0 },
    );
    request = httpClient(system.baseUrl);
    const admin = await signInAdmin(request);
    manager = await signInAs(request, "manager", admin);
    anna = await member("en");
    bram = await member("nl");
    const space = await request<{ id: string }>("POST", "/api/spaces", {
      token: manager.token,
      json: {
        name: "Tulp",
        kind: "meeting-room",
        location: { site: "Leiden" },
        capacity: 6,
        openingHours: ALWAYS_OPEN,
      },
    });
    spaceId = space.body.id;
  });

  afterAll(async () => {
    await system?.stop();
    await smtp?.stop();
  });

  let annasReservation: string;
  let bramsReservation: string;

  it("confirms a booking by e-mail in the booker's language, with an .ics invitation", async () => {
    const res = await request<{ id: string }>("POST", "/api/reservations", {
      token: anna.token,
      json: { spaceId, start: at(9), end: at(10), title: "Budget review" },
    });
    annasReservation = res.body.id;
    const [mail] = await mailsTo(anna, 1);
    expect(mail.subject).toMatch(/^Reservation confirmed: Tulp, /);
    expect(mail.text).toContain("Dear Anna,");
    expect(mail.text).toContain("Title: Budget review");
    const ics = calendarOf(mail);
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("METHOD:REQUEST");
    expect(ics).toContain("SUMMARY:Budget review");
    expect(ics).toContain(`UID:${annasReservation}@mindspaces`);
    expect(ics).toContain(`DTSTART:${day.plus({ hours: 9 }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`);

    await request("POST", "/api/reservations", {
      token: bram.token,
      json: { spaceId, start: at(11), end: at(12), title: "Overleg" },
    }).then(r => (bramsReservation = (r.body as { id: string }).id));
    const [dutch] = await mailsTo(bram, 1);
    expect(dutch.subject).toMatch(/^Reservering bevestigd: Tulp, /);
    expect(dutch.text).toContain("Beste Bram,");

    // The mail server took it: the GDPR export says sent, and needs no note on why not.
    // (The mail arrives a moment before its state is recorded.)
    let exported: { email: string; emailNote?: string }[] = [];
    const deadline = Date.now() + 15_000;
    do {
      exported = (
        await request<{ notifications: { notifications: typeof exported } }>(
          "GET",
          "/api/users/me/export",
          { token: bram.token },
        )
      ).body.notifications.notifications;
    } while (exported[0]?.email === "sending" && Date.now() < deadline);
    expect(exported).toEqual([expect.objectContaining({ email: "sent" })]);
    expect(exported[0]).not.toHaveProperty("emailNote");
  });

  it("tells the owner when a manager moves or cancels the booking", async () => {
    await request("PATCH", `/api/reservations/${annasReservation}`, {
      token: manager.token,
      json: { start: at(13), end: at(14) },
    });
    const annas = await mailsTo(anna, 2);
    expect(annas[1].subject).toMatch(/^Reservation changed: Tulp, /);
    expect(annas[1].text).toContain("A manager changed your reservation");
    expect(calendarOf(annas[1])).toContain(
      `DTSTART:${day.plus({ hours: 13 }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
    );

    await request("DELETE", `/api/reservations/${bramsReservation}`, {
      token: manager.token,
      json: { reason: "De ruimte is nodig voor een spoedoverleg." },
    });
    const brams = await mailsTo(bram, 2);
    expect(brams[1].subject).toMatch(/^Reservering geannuleerd: Tulp, /);
    expect(brams[1].text).toContain("Een beheerder heeft uw reservering geannuleerd.");
    expect(brams[1].text).toContain("Reden: De ruimte is nodig voor een spoedoverleg.");
    expect(calendarOf(brams[1])).toContain("METHOD:CANCEL");
  });

  it("lists in-app notifications in the user's language and marks them read", async () => {
    const list = await notificationsOf(anna);
    expect(list.status).toBe(200);
    expect(list.body.unread).toBe(2);
    expect(list.body.rows.map(n => n.kind)).toEqual(["reservation.updated", "reservation.created"]);
    expect(list.body.rows[0].message).toMatch(/^Reservation changed: Tulp, /);
    const dutch = await notificationsOf(bram);
    expect(dutch.body.rows[0].message).toMatch(/^Reservering geannuleerd: Tulp, /);
    expect(dutch.body.rows[0].message).toMatch(
      /Reden: De ruimte is nodig voor een spoedoverleg\.$/,
    );

    const read = await request<Notification>(
      "POST",
      `/api/notifications/${list.body.rows[0].id}/read`,
      { token: anna.token },
    );
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    expect((await notificationsOf(anna)).body.unread).toBe(1);
    const unreadOnly = await request<NotificationPage>("GET", "/api/notifications?unread=true", {
      token: anna.token,
    });
    expect(unreadOnly.body.rows.map(n => n.kind)).toEqual(["reservation.created"]);

    // Someone else's notification answers as if it did not exist.
    const other = await request("POST", `/api/notifications/${list.body.rows[1].id}/read`, {
      token: bram.token,
    });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ type: "NOTIFICATION_NOT_FOUND" });
    expect(
      (await request("GET", "/api/notifications?pageSize=1000", { token: anna.token })).status,
    ).toBe(400);
  });

  it("marks all of one's notifications read at once, and nobody else's", async () => {
    const bramUnread = (await notificationsOf(bram)).body.unread;
    expect(bramUnread).toBeGreaterThan(0);
    expect((await notificationsOf(anna)).body.unread).toBeGreaterThan(0);
    const res = await request<{ marked: number; unread: number }>(
      "POST",
      "/api/notifications/read",
      { token: anna.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.unread).toBe(0);
    expect(res.body.marked).toBeGreaterThan(0);
    expect((await notificationsOf(anna)).body.unread).toBe(0);
    expect((await notificationsOf(bram)).body.unread).toBe(bramUnread);
    const again = await request<{ marked: number }>("POST", "/api/notifications/read", {
      token: anna.token,
    });
    expect(again.body.marked).toBe(0);
  });

  it("answers bad input on the notification routes with a 4xx and its type, never a 500", async () => {
    const cases: [string, string, string | undefined, number, string][] = [
      ["GET", "/api/notifications?unread=maybe", anna.token, 400, "VALIDATION_ERROR"],
      ["GET", "/api/notifications?page=0", anna.token, 400, "VALIDATION_ERROR"],
      ["GET", "/api/notifications?owner=someone", anna.token, 400, "VALIDATION_ERROR"],
      ["GET", "/api/notifications?unread[$ne]=1", anna.token, 400, "OPERATOR_NOT_ALLOWED"],
      ["GET", "/api/notifications", undefined, 401, "UNAUTHENTICATED"],
      ["POST", "/api/notifications/no-such-id/read", anna.token, 404, "NOTIFICATION_NOT_FOUND"],
      ["POST", `/api/notifications/${"x".repeat(65)}/read`, anna.token, 400, "VALIDATION_ERROR"],
      ["POST", "/api/notifications/x/read", undefined, 401, "UNAUTHENTICATED"],
    ];
    for (const [method, path, token, status, type] of cases) {
      const res = await request(method, path, { token });
      expect([path, res.status, res.body]).toMatchObject([path, status, { type }]);
    }
  });

  it("reminds once before the (moved) start, and never for a cancelled reservation", async () => {
    const notifications = system.broker.getLocalService("notifications") as Service & {
      tick(): Promise<void>;
    };
    await notifications.tick();
    await notifications.tick();
    const annas = await mailsTo(anna, 3);
    const reminders = annas.filter(m => m.subject?.startsWith("Reminder: "));
    expect(reminders).toHaveLength(1);
    expect(reminders[0].text).toContain("Your reservation starts soon.");
    // The reminder is for the time the manager moved it to.
    expect(reminders[0].subject).toContain(
      day.plus({ hours: 13 }).setZone("Europe/Amsterdam").toFormat("HH:mm"),
    );
    const brams = await mailsTo(bram, 0);
    expect(brams.filter(m => m.subject?.startsWith("Herinnering"))).toEqual([]);
    expect((await notificationsOf(anna)).body.rows.map(n => n.kind)).toEqual([
      "reservation.reminder",
      "reservation.updated",
      "reservation.created",
    ]);
  });

  it("owes an e-mail the mail server refused, and sends it once at the next check", async () => {
    const before = (await mailsTo(anna, 0)).length;
    const inApp = (await notificationsOf(anna)).body.total;
    smtpOptions.refuse = 1;
    const booked = await request("POST", "/api/reservations", {
      token: anna.token,
      json: { spaceId, start: at(19), end: at(20), title: "Second try" },
    });
    expect(booked.status).toBe(201);
    // The notification is made, its e-mail refused and owed: nothing arrives by itself.
    const deadline = Date.now() + 10_000;
    while (smtpOptions.refuse > 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(smtpOptions.refuse).toBe(0);
    expect((await notificationsOf(anna)).body.total).toBe(inApp + 1);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(await mailsTo(anna, 0)).toHaveLength(before);

    // The next check sends it; the ones after it do not send it again.
    const notifications = system.broker.getLocalService("notifications") as Service & {
      tick(): Promise<void>;
    };
    while ((await mailsTo(anna, 0)).length === before && Date.now() < deadline) {
      await notifications.tick();
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    await notifications.tick();
    await notifications.tick();
    // (The check also sent this booking's reminder, due at once with this suite's settings.)
    const confirmations = (await mailsTo(anna, 0))
      .slice(before)
      .filter(m => m.subject?.startsWith("Reservation confirmed"));
    expect(confirmations).toHaveLength(1);
  });

  it("tells everyone with a booking when their space is switched off", async () => {
    const closing = await request<{ id: string }>("POST", "/api/spaces", {
      token: manager.token,
      json: {
        name: "Iris",
        kind: "meeting-room",
        location: { site: uniqueName("Delft") },
        capacity: 4,
        openingHours: ALWAYS_OPEN,
      },
    });
    const annaBefore = (await mailsTo(anna, 0)).length;
    const bramBefore = (await mailsTo(bram, 0)).length;
    for (const [who, hour] of [
      [anna, 15],
      [bram, 16],
    ] as const) {
      const booked = await request("POST", "/api/reservations", {
        token: who.token,
        json: { spaceId: closing.body.id, start: at(hour), end: at(hour + 1) },
      });
      expect(booked.status).toBe(201);
    }
    const off = await request("DELETE", `/api/spaces/${closing.body.id}?cancelReservations=true`, {
      token: manager.token,
    });
    expect(off.status).toBe(200);

    const annas = (await mailsTo(anna, annaBefore + 2)).slice(annaBefore);
    expect(annas.map(m => m.subject)).toEqual([
      expect.stringMatching(/^Reservation confirmed: Iris, /),
      expect.stringMatching(/^Reservation cancelled: Iris, /),
    ]);
    expect(annas[1].text).toContain("The space is no longer available");
    expect(calendarOf(annas[1])).toContain("METHOD:CANCEL");
    const brams = (await mailsTo(bram, bramBefore + 2)).slice(bramBefore);
    expect(brams[1].subject).toMatch(/^Reservering geannuleerd: Iris, /);
    expect(brams[1].text).toContain("De ruimte is niet meer beschikbaar");
  });

  /** The notifications service's stores, NeDB here, and what their chosen index hands over. */
  interface Store {
    db: { _getRawCandidates(query: object): Record<string, unknown>[] };
    find(params: { query: object }): Promise<Record<string, unknown>[]>;
    insert(record: object): Promise<unknown>;
    updateMany(query: object, update: object): Promise<number>;
  }
  const storesOf = () =>
    system.broker.getLocalService("notifications") as unknown as Service & {
      adapter: Store;
      reminders: Store;
      emailClaims: Store;
      olderRecordsMarked?: boolean;
      tick(): Promise<void>;
    };

  it("sends a new notification's e-mail once, from the instance that made it, without a claim", async () => {
    const service = storesOf();
    const before = (await mailsTo(anna, 0)).length;
    smtpOptions.delayMs = 1_000;
    try {
      const booked = await request<{ id: string }>("POST", "/api/reservations", {
        token: anna.token,
        json: { spaceId, start: at(21), end: at(22), title: "Slow relay" },
      });
      expect(booked.status).toBe(201);
      const made = async () =>
        (
          await service.adapter.find({
            query: { reservationId: booked.body.id, kind: "reservation.created" },
          })
        )[0];
      const deadline = Date.now() + 10_000;
      while (!(await made()) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      // Being sent: the checks (which retry at once in this suite) leave it to its maker.
      expect(await made()).toMatchObject({ email: "pending" });
      await service.tick();
      await service.tick();
      // (The checks also send this booking's reminder, due at once in this suite.)
      const confirmations = async () =>
        (await mailsTo(anna, 0))
          .slice(before)
          .filter(m => m.subject?.startsWith("Reservation confirmed: Tulp"));
      while ((await confirmations()).length === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      await new Promise(resolve => setTimeout(resolve, 1_500));
      expect(await confirmations()).toHaveLength(1);
      const sent = await made();
      expect(sent).toMatchObject({ email: "sent" });
      expect(sent).not.toHaveProperty("emailAt");
      expect(await service.emailClaims.find({ query: { _id: sent._id } })).toEqual([]);
    } finally {
      smtpOptions.delayMs = 0;
    }
  });

  it("looks only at what is still owed: not every e-mail, claim and reminder ever sent", async () => {
    const service = storesOf();
    await service.tick();
    const sent = {
      notifications: await service.adapter.find({ query: { email: "sent" } }),
      claims: await service.emailClaims.find({ query: { sentAt: { $exists: true } } }),
      reminders: await service.reminders.find({ query: { status: "sent" } }),
    };
    // Enough history that reading it would show (only a retried e-mail is claimed).
    expect(sent.notifications.length).toBeGreaterThan(5);
    expect(sent.claims.length).toBeGreaterThan(0);
    expect(sent.reminders.length).toBeGreaterThan(0);
    // What is done carries no due time.
    for (const record of sent.notifications) expect(record).not.toHaveProperty("emailAt");
    for (const record of sent.claims) expect(record).not.toHaveProperty("sending");
    for (const record of sent.reminders) expect(record).not.toHaveProperty("remindAt");

    const reads = [service.adapter, service.reminders, service.emailClaims].map(store =>
      jest.spyOn(store.db, "_getRawCandidates"),
    );
    try {
      await service.tick();
      const handedOver = reads.flatMap(read =>
        read.mock.results.flatMap(result => result.value as Record<string, unknown>[]),
      );
      expect(handedOver).toEqual([]);
    } finally {
      for (const read of reads) read.mockRestore();
    }
  });

  it("sends again an e-mail an older version was sending when its instance died", async () => {
    const service = storesOf();
    const before = (await mailsTo(bram, 0)).length;
    const [notification] = await service.adapter.find({
      query: { userId: bram.user.id, kind: "reservation.created", email: "sent" },
    });
    const longAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    // As an older version left it: claimed, never marked as being sent, never sent; and a
    // notification already sent that still has the due time it kept.
    await service.emailClaims.insert({
      _id: notification._id,
      userId: bram.user.id,
      claimedAt: longAgo,
    });
    await service.adapter.updateMany({ _id: notification._id }, { $set: { email: "sending" } });
    const [done] = await service.adapter.find({
      query: { userId: anna.user.id, email: "sent" },
    });
    await service.adapter.updateMany({ _id: done._id }, { $set: { emailAt: longAgo } });

    // This instance has marked what it found at its first tick; a new one would mark them now.
    service.olderRecordsMarked = false;
    await service.tick();
    await service.tick();
    const again = (await mailsTo(bram, before + 1)).slice(before);
    expect(again.map(m => m.subject)).toEqual([expect.stringMatching(/^Reservering bevestigd: /)]);
    const [resent] = await service.adapter.find({ query: { _id: notification._id } });
    expect(resent).toMatchObject({ email: "sent" });
    const [tidied] = await service.adapter.find({ query: { _id: done._id } });
    expect(tidied).not.toHaveProperty("emailAt");
  });
  it("names the space from the booking's event, without asking spaces for every event", async () => {
    const cees = await member("en");
    const calls = jest.spyOn(system.broker, "call");
    try {
      await request("POST", "/api/reservations", {
        token: cees.token,
        json: { spaceId, start: at(40), end: at(41), title: "Intake" },
      });
      const [mail] = await mailsTo(cees, 1);
      expect(mail.subject).toMatch(/^Reservation confirmed: Tulp, /);
      // The create's own looks at its space run within its request; a consumer's would not.
      const asked = calls.mock.calls.filter(
        ([action, , opts]) =>
          String(action).startsWith("spaces.") &&
          !(opts as { parentCtx?: unknown } | undefined)?.parentCtx,
      );
      expect(asked).toEqual([]);
      expect(calls.mock.calls.some(([action]) => action === "spaces.forBooking")).toBe(true);
    } finally {
      calls.mockRestore();
    }
  });
});

describe("without SMTP_URL", () => {
  it("writes e-mails to the log instead of sending them", async () => {
    const logged: unknown[][] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args) };
    const mailer = createMailer(testConfig({ smtpUrl: null }), logger as never);
    // Nobody receives it, so it must not be recorded as sent.
    await expect(
      mailer.send("someone@example.org", { subject: "Reservation confirmed", text: "Hello" }),
    ).resolves.toBe("logged");
    expect(logged).toEqual([
      [
        "E-mail (not sent: SMTP_URL is not set)",
        expect.objectContaining({ to: "someone@example.org", subject: "Reservation confirmed" }),
      ],
    ]);
  });
});
