/**
 * GDPR export and erasure across services: the export gathers the user's data from every
 * service that holds some; after erasure no service returns the person's name, e-mail or titles,
 * their upcoming bookings are cancelled, and the statistics keep every reservation's space and time.
 */
import { DateTime } from "luxon";
import { httpClient, type HttpRequest } from "../support/http-client";
import { ACCOUNT_PASSWORD, signInAdmin, signInAs, type Session } from "../support/accounts";
import { startSingleNode } from "../support/local-system";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { ALWAYS_OPEN } from "../support/opening-hours";

interface Reservation {
  id: string;
  ownerId: string;
  title: string;
  status: string;
}
interface ReportRow {
  space?: string;
  bookedHours: number;
  reservations: number;
  cancellations: number;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("gdpr").replace(/-/g, "_"))],
])("GDPR (%s)", (_label, database) => {
  let system: Awaited<ReturnType<typeof startSingleNode>>;
  let uri: string | null;
  let request: HttpRequest;
  let admin: Session;
  let manager: Session;
  let eva: Session;
  let finn: Session;
  const evaEmail = `${uniqueName("eva")}@example.org`;
  const evaName = "Eva Jansen-Uniek";
  const secretTitle = "Eva's confidential appraisal";
  let spaceId: string;
  const day = DateTime.utc().plus({ days: 5 }).startOf("day");
  const at = (hours: number) => day.plus({ hours }).toISO()!;
  const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(24))}`;
  const pastTitle = "Eva's intake last week";
  const pastDay = DateTime.utc().minus({ days: 5 }).startOf("day");
  const pastWindow = `from=${encodeURIComponent(pastDay.toISO()!)}&to=${encodeURIComponent(
    pastDay.plus({ days: 1 }).toISO()!,
  )}`;

  const report = (span = window) =>
    request<{ rows: ReportRow[] }>("GET", `/api/reports/utilization?${span}`, {
      token: manager.token,
    }).then(res => res.body.rows.find(row => row.space === "GDPR room")!);
  const reservationsOfSpace = () =>
    request<{ rows: Reservation[] }>("GET", `/api/reservations?spaceId=${spaceId}`, {
      token: manager.token,
    }).then(res => res.body.rows);

  beforeAll(async () => {
    uri = database();
    system = await startSingleNode(testConfig({ mongoUri: uri }));
    request = httpClient(system.baseUrl);
    admin = await signInAdmin(request);
    manager = await signInAs(request, "manager", admin);
    finn = await signInAs(request, "member", admin);
    eva = (
      await request<Session>("POST", "/api/auth/register", {
        json: { email: evaEmail, password: ACCOUNT_PASSWORD, name: evaName, locale: "nl" },
      })
    ).body;
    spaceId = (
      await request<{ id: string }>("POST", "/api/spaces", {
        token: manager.token,
        json: {
          name: "GDPR room",
          kind: "meeting-room",
          location: { site: uniqueName("Assen") },
          capacity: 4,
          openingHours: ALWAYS_OPEN,
        },
      })
    ).body.id;
    const book = (who: Session, from: number, to: number, title: string) =>
      request("POST", "/api/reservations", {
        token: who.token,
        json: { spaceId, start: at(from), end: at(to), title },
      });
    // One of Eva's reservations lies in the past: booked while the reservations service's clock
    // said it was ten days earlier, as if she had booked it then.
    const reservations = system.broker.getLocalService("reservations") as unknown as {
      now(): DateTime;
    };
    const clock = jest
      .spyOn(reservations, "now")
      .mockReturnValue(DateTime.utc().minus({ days: 10 }));
    try {
      const res = await request("POST", "/api/reservations", {
        token: eva.token,
        json: {
          spaceId,
          start: pastDay.plus({ hours: 9 }).toISO(),
          end: pastDay.plus({ hours: 11 }).toISO(),
          title: pastTitle,
        },
      });
      expect(res.status).toBe(201);
    } finally {
      clock.mockRestore();
    }
    await book(eva, 9, 10, secretTitle);
    await book(eva, 11, 13, "Gesprek met Eva");
    await book(finn, 14, 15, "Finn's stand-up");
  });

  afterAll(async () => {
    await system?.stop();
    if (uri) await dropDatabase(uri);
  });

  it("exports everything held about the user, from every service that holds some", async () => {
    await eventually(
      () => request<{ total: number }>("GET", "/api/notifications", { token: eva.token }),
      res => res.body.total === 3,
    );
    const res = await request<{
      account: { email: string; name: string };
      reservations: Reservation[];
      notifications: { notifications: unknown[] };
    }>("GET", "/api/users/me/export", { token: eva.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    expect(res.body.account).toMatchObject({ email: evaEmail, name: evaName });
    expect(res.body.reservations.map(r => r.title)).toEqual([
      pastTitle,
      secretTitle,
      "Gesprek met Eva",
    ]);
    expect(res.body.notifications.notifications).toHaveLength(3);
    expect(JSON.stringify(res.body)).not.toContain("Finn's stand-up");
  });

  it("shows the notifications in the user's language, and e-mails never sent as not sent", async () => {
    interface Exported {
      message: string;
      email: string;
      emailNote?: string;
    }
    // No SMTP_URL in this system: each e-mail is only written to the log.
    const exported = await eventually(
      () =>
        request<{ notifications: { notifications: Exported[] } }>("GET", "/api/users/me/export", {
          token: eva.token,
        }).then(res => res.body.notifications.notifications),
      list => list.every(n => n.email !== "pending" && n.email !== "sending"),
    );
    const inApp = await request<{ rows: { message: string }[] }>("GET", "/api/notifications", {
      token: eva.token,
    });
    // Eva reads Dutch: the export says what the app says.
    expect(exported.map(n => n.message).sort()).toEqual(inApp.body.rows.map(n => n.message).sort());
    expect(exported.map(n => n.message)).toEqual(
      exported.map(() => expect.stringMatching(/^Reservering bevestigd: GDPR room, /)),
    );
    expect(exported.map(n => [n.email, n.emailNote])).toEqual(
      exported.map(() => [
        "logged",
        expect.stringMatching(/^Niet verstuurd: er was geen mailserver/),
      ]),
    );
  });

  it("erases the user everywhere; the statistics keep every reservation's space and time", async () => {
    const before = await eventually(
      () => report(),
      row => row?.reservations === 3,
    );
    const pastBefore = await eventually(
      () => report(pastWindow),
      row => row?.reservations === 1,
    );
    expect(pastBefore).toMatchObject({ reservations: 1, cancellations: 0, bookedHours: 2 });
    expect(before).toMatchObject({ reservations: 3, cancellations: 0, bookedHours: 4 });

    const erased = await request("DELETE", "/api/users/me", { token: eva.token });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, userId: eva.user.id });

    // The account is gone: the token is dead, the password no longer works.
    expect((await request("GET", "/api/users/me", { token: eva.token })).status).toBe(401);
    const login = await request("POST", "/api/auth/login", {
      json: { email: evaEmail, password: ACCOUNT_PASSWORD },
    });
    expect(login.status).toBe(401);

    // Her upcoming reservations are cancelled and anonymised; Finn's is untouched.
    const rows = await eventually(reservationsOfSpace, list =>
      list.every(r => r.ownerId !== eva.user.id),
    );
    expect(rows.map(r => [r.ownerId, r.title, r.status])).toEqual([
      ["erased", "", "confirmed"],
      ["erased", "", "cancelled"],
      ["erased", "", "cancelled"],
      [finn.user.id, "Finn's stand-up", "confirmed"],
    ]);

    // No service returns her name, e-mail or titles any more.
    const everywhere = JSON.stringify([
      rows,
      (await request("GET", `/api/users?pageSize=100`, { token: admin.token })).body,
      (
        await request("GET", `/api/spaces/${spaceId}/availability?${window}`, {
          token: manager.token,
        })
      ).body,
      await system.broker.call("reservations.exportFor", { userId: eva.user.id }),
      await eventually(
        () => system.broker.call("notifications.exportFor", { userId: eva.user.id }),
        (held: unknown) => JSON.stringify(held) === '{"notifications":[],"reminders":[]}',
      ),
      await system.broker.call("users.contact", { id: eva.user.id }),
    ]);
    const personalData = [
      evaName,
      evaEmail,
      pastTitle,
      secretTitle,
      "Gesprek met Eva",
      eva.user.id,
    ];
    for (const personal of personalData) {
      expect(everywhere).not.toContain(personal);
    }

    // Every reservation still counts where and when it was; her upcoming ones as the
    // cancellations they became, which frees their time for others.

    const after = await eventually(
      () => report(),
      row => row?.cancellations === 2,
    );
    expect(after).toMatchObject({ reservations: 1, cancellations: 2, bookedHours: 1 });
    expect(after.reservations + after.cancellations).toBe(before.reservations);
    // What happened stays as it was: the past's figures are exactly the same.
    expect(await report(pastWindow)).toEqual(pastBefore);

    // The e-mail address is free again for a new account, which starts empty.
    const again = await request<Session>("POST", "/api/auth/register", {
      json: { email: evaEmail, password: ACCOUNT_PASSWORD, name: "Eva again" },
    });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(eva.user.id);
    const fresh = await request<{ reservations: unknown[] }>("GET", "/api/users/me/export", {
      token: again.body.token,
    });
    expect(fresh.body.reservations).toEqual([]);
  });

  it("forgets an erased manager as the one who cancelled others' reservations", async () => {
    const departing = await signInAs(request, "manager", admin);
    const booked = await request<Reservation>("POST", "/api/reservations", {
      token: finn.token,
      json: { spaceId, start: at(16), end: at(17), title: "Finn's review" },
    });
    await request("DELETE", `/api/reservations/${booked.body.id}`, { token: departing.token });
    const stored = () =>
      (
        system.broker.getLocalService("reservations") as unknown as {
          adapter: { findById(id: string): Promise<Record<string, unknown>> };
        }
      ).adapter.findById(booked.body.id);
    expect(await stored()).toMatchObject({ cancelledBy: departing.user.id });
    // Their export says they cancelled it, but not whose it was or what it was for.
    const exported = await request<{ reservationsCancelledForOthers: Record<string, unknown>[] }>(
      "GET",
      "/api/users/me/export",
      { token: departing.token },
    );
    expect(exported.body.reservationsCancelledForOthers).toEqual([
      expect.objectContaining({ id: booked.body.id, start: at(16), end: at(17) }),
    ]);
    expect(JSON.stringify(exported.body)).not.toContain("Finn's review");
    expect(JSON.stringify(exported.body)).not.toContain(finn.user.id);

    expect(
      (await request("DELETE", `/api/users/${departing.user.id}`, { token: admin.token })).status,
    ).toBe(200);
    const after = await eventually(stored, record => record.cancelledBy !== departing.user.id);
    expect(after).toMatchObject({
      cancelledBy: "erased",
      ownerId: finn.user.id,
      title: "Finn's review",
    });
  });

  it("answers bad input on the GDPR routes with a 4xx and its type, never a 500", async () => {
    const cases: [string, string, string | undefined, number, string][] = [
      ["GET", "/api/users/me/export", undefined, 401, "UNAUTHENTICATED"],
      ["GET", "/api/users/me/export?format=xml", finn.token, 400, "VALIDATION_ERROR"],
      ["DELETE", "/api/users/me", undefined, 401, "UNAUTHENTICATED"],
      ["DELETE", "/api/users/no-such-user", admin.token, 404, "USER_NOT_FOUND"],
      ["DELETE", "/api/users/507f1f77bcf86cd799439011", admin.token, 404, "USER_NOT_FOUND"],
      ["DELETE", `/api/users/${"x".repeat(200)}`, admin.token, 400, "VALIDATION_ERROR"],
      // A value is only ever a value: an id that looks like an operator is just not found.
      ["DELETE", "/api/users/%24where", admin.token, 404, "USER_NOT_FOUND"],
    ];
    for (const [method, path, token, status, type] of cases) {
      const res = await request(method, path, { token });
      expect([path, res.status, res.body]).toMatchObject([path, status, { type }]);
    }
  });

  it("lets an admin erase a user, but not the last admin, and nobody else", async () => {
    const victim = await signInAs(request, "member", admin);
    expect(
      (await request("DELETE", `/api/users/${victim.user.id}`, { token: finn.token })).status,
    ).toBe(403);
    const res = await request("DELETE", `/api/users/${victim.user.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect((await request("GET", "/api/users/me", { token: victim.token })).status).toBe(401);
    const twice = await request("DELETE", `/api/users/${victim.user.id}`, { token: admin.token });
    expect(twice.status).toBe(404);
    expect(twice.body).toMatchObject({ type: "USER_NOT_FOUND" });

    const lastAdmin = await request("DELETE", "/api/users/me", { token: admin.token });
    expect(lastAdmin.status).toBe(422);
    expect(lastAdmin.body).toMatchObject({ type: "LAST_ADMIN" });
  });
});
