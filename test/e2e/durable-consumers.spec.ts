/**
 * Durable events as production runs them: every service in its own process, over NATS
 * JetStream, on the Mongo-wire server. The consumers (`notifications`, `reports`) are stopped
 * while reservations change, killed with SIGKILL while they work through a burst, and run twice;
 * each time every notification must exist exactly once and the utilisation report must equal
 * one computed from the reservations themselves, read back through the gateway.
 */
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { MongoClient } from "mongodb";
import { freePort } from "../support/ferretdb";
import { httpClient, type HttpRequest } from "../support/http-client";
import { signInAdmin, signInAs, type Session } from "../support/accounts";
import { startGateway, startNode, waitUntilReady, type NodeProcess } from "../support/node-process";
import { recipient, startSmtp, type TestSmtp } from "../support/smtp";
import {
  deleteStreams,
  dropDatabase,
  mongoUri,
  natsUrl,
  TEST_ADMIN,
  uniqueName,
} from "../support/test-env";
import { ALWAYS_OPEN } from "../support/opening-hours";

interface Reservation {
  id: string;
  spaceId: string;
  ownerId: string;
  start: string;
  end: string;
  status: "confirmed" | "cancelled";
}
interface Notification {
  kind: string;
  reservation: { id: string };
}
interface ReportRow {
  group: string;
  bookedHours: number;
  reservations: number;
  cancellations: number;
}
interface Page<T> {
  rows: T[];
  totalPages: number;
}

/** Long enough that every reservation of the last phase is due for its reminder at once. */
const REMIND_A_WEEK_AHEAD = String(7 * 24 * 60);
/** Longer than the consumers' ack wait (10 s), so redelivery after a crash is waited for. */
const SETTLE_MS = 45_000;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Waits for `done`; a failed look (a restarted service the gateway does not know yet) counts as
 * not yet. On time-out it returns, so the exact assertion that follows shows what differs.
 */
async function settle(done: () => Promise<boolean>, timeoutMs = SETTLE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done().catch(() => false)) return;
    await sleep(200);
  }
}

/** Runs `work` over `items`, `width` at a time: a burst, but not one the test machine chokes on. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

describe("durable events: consumers that are down, crash or run twice lose nothing and do nothing twice", () => {
  const namespace = uniqueName("ms-durable");
  const database = mongoUri(uniqueName("durable").replace(/-/g, "_"));
  const nodes: NodeProcess[] = [];
  const consumers = new Map<string, NodeProcess>();
  // Slowed down in the crash phase, so the kill lands while e-mails are being sent.
  const smtpOptions = { delayMs: 0 };
  let smtp: TestSmtp;
  let mongo: MongoClient;
  let shared: Record<string, string>;
  let request: HttpRequest;
  let admin: Session;
  let manager: Session;
  const spaces: string[] = [];
  const emails = new Map<string, string>();

  /** Every notification each user should have, as `kind|reservationId`, one per event. */
  const expected = new Map<string, string[]>();
  const expectNotification = (owner: Session, kind: string, reservationId: string) =>
    expected.set(owner.user.id, [
      ...(expected.get(owner.user.id) ?? []),
      `${kind}|${reservationId}`,
    ]);

  const day0 = DateTime.utc().plus({ days: 2 }).startOf("day");
  const reportWindow = `from=${encodeURIComponent(day0.toISO()!)}&to=${encodeURIComponent(
    day0.plus({ days: 5 }).toISO()!,
  )}`;
  /** Half-hour slot `k` of region `r`; regions are 26 hours apart, so they never overlap. */
  const slot = (region: number, k: number) => {
    const start = day0.plus({ hours: 26 * region, minutes: 30 * k });
    return { start: start.toISO()!, end: start.plus({ minutes: 30 }).toISO()! };
  };

  function startConsumer(service: "notifications" | "reports", id: string, env = {}) {
    const node = startNode({ ...shared, SERVICES: service, NODE_ID: id, ...env });
    consumers.set(id, node);
    return node;
  }

  async function consumersUp(...ids: string[]) {
    for (const id of ids) {
      const node = consumers.get(id)!;
      await settle(
        async () => node.child.exitCode !== null || node.output().includes(`'${id}' runs`),
      );
      if (!node.output().includes(`'${id}' runs`))
        throw new Error(`${id} did not start:\n${node.output()}`);
    }
  }

  async function stopConsumers(signal: "SIGTERM" | "SIGKILL") {
    const running = [...consumers.values()];
    consumers.clear();
    for (const node of running) if (node.child.exitCode === null) node.child.kill(signal);
    await Promise.all(running.map(node => node.exited));
  }

  async function member(): Promise<Session> {
    const session = await signInAs(request, "member", admin);
    const me = await request<{ email: string }>("GET", "/api/users/me", { token: session.token });
    emails.set(session.user.id, me.body.email);
    return session;
  }

  async function book(owner: Session, spaceId: string, at: { start: string; end: string }) {
    // As a careful client does: a 503 (a node just started or stopped) is tried again with the
    // same Idempotency-Key, so a create that did go through is not made twice. What this suite
    // proves, every event once, must hold for such retries too.
    const key = randomBytes(12).toString("hex");
    let res = await createOnce();
    for (let attempt = 1; res.status === 503 && attempt < 4; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 500 * attempt));
      res = await createOnce();
    }
    function createOnce() {
      return request<Reservation>("POST", "/api/reservations", {
        token: owner.token,
        headers: { "Idempotency-Key": key },
        json: { spaceId, ...at, title: "Overleg" },
      });
    }
    if (res.status !== 201) throw new Error(`booking failed: ${JSON.stringify(res.body)}`);
    expectNotification(owner, "reservation.created", res.body.id);
    return res.body;
  }

  async function reschedule(owner: Session, id: string, at: { start: string; end: string }) {
    const res = await request("PATCH", `/api/reservations/${id}`, { token: owner.token, json: at });
    if (res.status !== 200) throw new Error(`reschedule failed: ${JSON.stringify(res.body)}`);
    expectNotification(owner, "reservation.updated", id);
  }

  async function cancel(owner: Session, by: Session, id: string) {
    const res = await request("DELETE", `/api/reservations/${id}`, { token: by.token });
    if (res.status !== 200) throw new Error(`cancel failed: ${JSON.stringify(res.body)}`);
    expectNotification(owner, "reservation.cancelled", id);
  }

  async function all<T>(path: string, token: string): Promise<T[]> {
    const rows: T[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await request<Page<T>>("GET", `${path}${sep}pageSize=100&page=${page}`, {
        token,
      });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      rows.push(...res.body.rows);
      if (page >= res.body.totalPages) return rows;
    }
  }

  const notificationsOf = async (who: Session) =>
    (await all<Notification>("/api/notifications", who.token))
      .map(n => `${n.kind}|${n.reservation.id}`)
      .sort();

  /** Waits until every user has as many notifications as expected, then compares them exactly. */
  async function expectEveryNotificationOnce(users: Session[]) {
    await settle(async () => {
      for (const who of users) {
        const have = await notificationsOf(who);
        if (have.length < (expected.get(who.user.id) ?? []).length) return false;
      }
      return true;
    });
    for (const who of users) {
      expect(await notificationsOf(who)).toEqual([...(expected.get(who.user.id) ?? [])].sort());
    }
  }

  /** The report as computed from the reservations the `reservations` service holds. */
  async function reportFromReservations(): Promise<Record<string, Omit<ReportRow, "group">>> {
    const expectedRows: Record<string, Omit<ReportRow, "group">> = {};
    for (const spaceId of spaces) {
      const row = { bookedHours: 0, reservations: 0, cancellations: 0 };
      for (const r of await all<Reservation>(
        `/api/reservations?spaceId=${spaceId}`,
        manager.token,
      )) {
        if (r.status === "cancelled") row.cancellations++;
        else {
          row.reservations++;
          row.bookedHours += DateTime.fromISO(r.end).diff(DateTime.fromISO(r.start), "hours").hours;
        }
      }
      expectedRows[spaceId] = row;
    }
    return expectedRows;
  }

  async function reportFromEvents(): Promise<Record<string, Omit<ReportRow, "group">>> {
    const res = await request<{ rows: ReportRow[] }>(
      "GET",
      `/api/reports/utilization?${reportWindow}&groupBy=space`,
      { token: manager.token },
    );
    return Object.fromEntries(
      res.body.rows
        .filter(row => spaces.includes(row.group))
        .map(({ group, bookedHours, reservations, cancellations }) => [
          group,
          { bookedHours, reservations, cancellations },
        ]),
    );
  }

  async function expectReportToMatchReservations() {
    const truth = await reportFromReservations();
    await settle(async () => JSON.stringify(await reportFromEvents()) === JSON.stringify(truth));
    expect(await reportFromEvents()).toEqual(truth);
  }

  const mailsTo = (users: Session[]) => {
    const addresses = users.map(u => emails.get(u.user.id)!);
    return smtp.mails.filter(m => addresses.some(a => recipient(m).includes(a)));
  };

  beforeAll(async () => {
    smtp = await startSmtp(smtpOptions);
    mongo = await MongoClient.connect(database, { useUnifiedTopology: true });
    const port = await freePort();
    shared = {
      TRANSPORTER: natsUrl(),
      NAMESPACE: namespace,
      JWT_SECRET: randomBytes(48).toString("base64url"),
      MONGO_URI: database,
      SMTP_URL: smtp.url,
      LOG_LEVEL: "info",
    };
    nodes.push(
      startNode({
        ...shared,
        SERVICES: "users,spaces,reservations",
        NODE_ID: "core-1",
        ADMIN_EMAIL: TEST_ADMIN.email,
        ADMIN_PASSWORD: TEST_ADMIN.password,
      }),
      startGateway(shared, port),
    );
    startConsumer("notifications", "notifications-1");
    startConsumer("reports", "reports-1");
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl, [...nodes, ...consumers.values()], 60_000);
    request = httpClient(baseUrl);
    admin = await signInAdmin(request);
    manager = await signInAs(request, "manager", admin);
    for (const site of ["Utrecht", "Zwolle"]) {
      const res = await request<{ id: string }>("POST", "/api/spaces", {
        token: manager.token,
        json: {
          name: uniqueName("Spreekkamer"),
          kind: "meeting-room",
          location: { site },
          capacity: 6,
          openingHours: ALWAYS_OPEN,
        },
      });
      spaces.push(res.body.id);
    }
  }, 120_000);

  afterAll(async () => {
    await stopConsumers("SIGTERM");
    await Promise.all(nodes.map(node => node.stop()));
    await mongo?.close();
    await smtp?.stop();
    await dropDatabase(database);
    await deleteStreams(namespace);
  });

  const phaseA: { owner: Session; reservation: Reservation }[] = [];
  let membersAB: Session[];

  it("a consumer that was down catches up: 100 reservations created, rescheduled and cancelled while it was away", async () => {
    membersAB = [await member(), await member(), await member(), await member()];
    await stopConsumers("SIGTERM");

    const indexes = Array.from({ length: 100 }, (_, i) => i);
    await inParallel(indexes, 10, async i => {
      const owner = membersAB[i % 4];
      const reservation = await book(owner, spaces[i % 2], slot(0, Math.floor(i / 2)));
      phaseA[i] = { owner, reservation };
    });
    await inParallel(indexes, 10, async i => {
      const { owner, reservation } = phaseA[i];
      if (i % 10 < 3) await reschedule(owner, reservation.id, slot(1, Math.floor(i / 2)));
      if (i % 10 === 3) await cancel(owner, owner, reservation.id);
      if (i % 10 === 4) await cancel(owner, manager, reservation.id);
    });
    // Nothing can have been handled yet: nobody was there to handle it.
    expect(await mongo.db().collection("notifications").countDocuments()).toBe(0);

    startConsumer("notifications", "notifications-2");
    startConsumer("reports", "reports-2");
    await consumersUp("notifications-2", "reports-2");

    await expectEveryNotificationOnce(membersAB);
    await expectReportToMatchReservations();
    // One e-mail for each of the 150 notifications, none twice.
    await settle(async () => mailsTo(membersAB).length >= 150);
    expect(mailsTo(membersAB)).toHaveLength(150);
  }, 180_000);

  it("a consumer killed with SIGKILL in the middle of a burst loses nothing and duplicates nothing", async () => {
    await stopConsumers("SIGTERM");
    const burst = Array.from({ length: 60 }, (_, i) => i);
    await inParallel(burst, 10, async i => {
      await book(membersAB[i % 4], spaces[i % 2], slot(2, Math.floor(i / 2)));
    });
    // Twenty of the first phase's, half by their owners and half by the manager.
    const stillBooked = [...phaseA.keys()].filter(i => i % 10 === 5 || i % 10 === 6);
    await inParallel(stillBooked, 10, async i => {
      const { owner, reservation } = phaseA[i];
      await cancel(owner, i % 10 === 5 ? owner : manager, reservation.id);
    });

    const notifications = mongo.db().collection("notifications");
    const before = await notifications.countDocuments();
    const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
    smtpOptions.delayMs = 200;
    startConsumer("notifications", "notifications-3");
    startConsumer("reports", "reports-3");
    await settle(async () => (await notifications.countDocuments()) >= before + 5);
    await stopConsumers("SIGKILL");
    const atKill = await notifications.countDocuments();
    // The kill really landed mid-burst: some of it was done, not all.
    expect(atKill).toBeGreaterThan(before);
    expect(atKill).toBeLessThan(total);

    smtpOptions.delayMs = 0;
    startConsumer("notifications", "notifications-4");
    startConsumer("reports", "reports-4");
    await consumersUp("notifications-4", "reports-4");
    await expectEveryNotificationOnce(membersAB);
    await expectReportToMatchReservations();
  }, 180_000);

  it("two instances of each consumer: every notification, e-mail and reminder exactly once, also after a restart", async () => {
    await stopConsumers("SIGTERM");
    const made = (id: string) => consumers.get(id)!.output().split("Notification made").length - 1;
    const remindEarly = {
      REMINDER_MINUTES: REMIND_A_WEEK_AHEAD,
      REMINDER_CHECK_SECONDS: "1",
      // Each instance logs the notifications it made, to show that both did some of the work.
      LOG_LEVEL: "debug",
    };
    startConsumer("notifications", "notifications-5a", remindEarly);
    startConsumer("notifications", "notifications-5b", remindEarly);
    startConsumer("reports", "reports-5a");
    startConsumer("reports", "reports-5b");
    await consumersUp("notifications-5a", "notifications-5b", "reports-5a", "reports-5b");

    const membersC = [await member(), await member(), await member(), await member()];
    const created: { owner: Session; id: string }[] = [];
    await inParallel(
      Array.from({ length: 40 }, (_, i) => i),
      10,
      async i => {
        const owner = membersC[i % 4];
        const { id } = await book(owner, spaces[i % 2], slot(3, Math.floor(i / 2)));
        created.push({ owner, id });
      },
    );
    // Each starts within the week, so each is due for its reminder at once.
    for (const { owner, id } of created) expectNotification(owner, "reservation.reminder", id);

    await expectEveryNotificationOnce(membersC);
    await settle(async () => mailsTo(membersC).length >= 80);
    // Several more rounds of both instances looking for due reminders change nothing.
    await sleep(3_000);
    await expectEveryNotificationOnce(membersC);
    // One e-mail per notification: the subject names the reservation's slot, so a repeat shows.
    const mails = mailsTo(membersC).map(m => `${recipient(m)} ${m.subject}`);
    expect(mails).toHaveLength(80);
    expect(new Set(mails).size).toBe(80);
    expect(mails.filter(subject => subject.includes("Herinnering:"))).toHaveLength(40);
    // The two instances shared the work, and between them made each notification once.
    expect(made("notifications-5a")).toBeGreaterThan(0);
    expect(made("notifications-5b")).toBeGreaterThan(0);
    expect(made("notifications-5a") + made("notifications-5b")).toBe(80);

    // Restarted, with every reminder still due by its settings, it sends none of them again.
    await stopConsumers("SIGTERM");
    startConsumer("notifications", "notifications-6", remindEarly);
    startConsumer("reports", "reports-6");
    await consumersUp("notifications-6", "reports-6");
    await sleep(3_000);
    expect(made("notifications-6")).toBe(0);
    expect(mailsTo(membersC)).toHaveLength(80);
    await expectEveryNotificationOnce(membersC);
    await expectReportToMatchReservations();
  }, 180_000);
});
