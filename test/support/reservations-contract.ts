/**
 * Reservations over HTTP: booking, the rules, conflicts, idempotent retries, rescheduling,
 * cancelling, who may see and change what, availability, the free-during search, and what bad
 * input gets. Run against the embedded store and the Mongo-wire server.
 */
import { DateTime } from "luxon";
import { httpClient, type HttpRequest } from "./http-client";
import type { RunningSystem } from "./http-contract";
import { signInAdmin, signInAs, type Session } from "./accounts";
import { uniqueName } from "./test-env";
import { ALWAYS_OPEN, everyDay } from "./opening-hours";

interface Space {
  id: string;
}
interface Reservation {
  id: string;
  spaceId: string;
  ownerId: string;
  title: string;
  start: string;
  end: string;
  status: string;
}
interface Page<T> {
  rows: T[];
  total: number;
}
interface Availability {
  busy: { start: string; end: string; mine: boolean; title?: string; reservationId?: string }[];
  free: { start: string; end: string }[];
  timeZone: string;
}

export function describeReservationsContract(
  label: string,
  start: () => Promise<Omit<RunningSystem, "secret">>,
) {
  describe(`reservations (${label})`, () => {
    let system: Omit<RunningSystem, "secret">;
    let request: HttpRequest;
    let admin: Session;
    let manager: Session;
    let alice: Session;
    let bob: Session;
    const site = uniqueName("Zwolle");
    // Three days ahead at midnight UTC: inside every horizon, never in the past during a run.
    const day = DateTime.utc().plus({ days: 3 }).startOf("day");
    const at = (hours: number, minutes = 0) =>
      day.plus({ hours, minutes }).toISO({ suppressMilliseconds: false })!;

    async function newSpace(body: Record<string, unknown> = {}): Promise<Space> {
      const res = await request<Space>("POST", "/api/spaces", {
        token: manager.token,
        json: {
          name: uniqueName("Room"),
          kind: "meeting-room",
          location: { site },
          capacity: 4,
          openingHours: ALWAYS_OPEN,
          ...body,
        },
      });
      expect(res.status).toBe(201);
      return res.body;
    }

    const book = (
      who: Session,
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) =>
      request<Reservation>("POST", "/api/reservations", { token: who.token, json: body, headers });

    beforeAll(async () => {
      system = await start();
      request = httpClient(system.baseUrl);
      admin = await signInAdmin(request);
      manager = await signInAs(request, "manager", admin);
      alice = await signInAs(request, "member", admin);
      bob = await signInAs(request, "member", admin);
    });

    afterAll(() => system?.stop());

    it("books a free slot with 201 and refuses an overlapping one with 409, showing only when", async () => {
      const space = await newSpace();
      const first = await book(alice, {
        spaceId: space.id,
        start: at(9),
        end: at(10),
        title: "Alice's private talk",
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        spaceId: space.id,
        ownerId: alice.user.id,
        start: at(9),
        end: at(10),
        status: "confirmed",
      });

      const clash = await book(bob, { spaceId: space.id, start: at(9, 30), end: at(11) });
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({
        type: "RESERVATION_CONFLICT",
        data: { conflicts: [{ start: at(9), end: at(10) }] },
      });
      expect(JSON.stringify(clash.body)).not.toContain("Alice");
      expect(JSON.stringify(clash.body)).not.toContain(alice.user.id);

      // Touching is not overlapping.
      expect((await book(bob, { spaceId: space.id, start: at(10), end: at(11) })).status).toBe(201);
      expect((await book(bob, { spaceId: space.id, start: at(8), end: at(9) })).status).toBe(201);
    });

    it("reads a time without an offset as the space's local time", async () => {
      const space = await newSpace({ timeZone: "Europe/Amsterdam" });
      const localDay = day.setZone("Europe/Amsterdam").toISODate();
      const res = await book(alice, {
        spaceId: space.id,
        start: `${localDay}T12:00`,
        end: `${localDay}T13:00`,
      });
      expect(res.status).toBe(201);
      const startLocal = DateTime.fromISO(res.body.start, { zone: "Europe/Amsterdam" });
      expect(startLocal.toFormat("HH:mm")).toBe("12:00");
      expect(res.body.start.endsWith("Z")).toBe(true);
    });

    describe("refuses a broken booking rule with 422 and the rule's type", () => {
      let space: Space;
      beforeAll(async () => {
        space = await newSpace({
          openingHours: everyDay([{ from: "08:00", to: "18:00" }]),
          rules: { minMinutes: 30, maxMinutes: 120, horizonDays: 10, slotMinutes: 30 },
        });
      });
      const local = (hours: number, minutes = 0, days = 0) =>
        day
          .setZone("Europe/Amsterdam")
          .startOf("day")
          .plus({ days })
          .set({ hour: hours, minute: minutes })
          .toISO()!;

      it.each([
        ["END_NOT_AFTER_START", () => ({ start: local(10), end: local(9) })],
        ["IN_THE_PAST", () => ({ start: local(10, 0, -5), end: local(11, 0, -5) })],
        ["TOO_SHORT", () => ({ start: local(10), end: local(10, 15) })],
        ["TOO_LONG", () => ({ start: local(9), end: local(12) })],
        ["BEYOND_HORIZON", () => ({ start: local(10, 0, 20), end: local(11, 0, 20) })],
        ["OUTSIDE_OPENING_HOURS", () => ({ start: local(17), end: local(19) })],
        ["NOT_ALIGNED", () => ({ start: local(10, 15), end: local(11, 15) })],
      ])("%s", async (type, interval) => {
        const res = await book(alice, { spaceId: space.id, ...interval() });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ type, data: { rule: type } });
      });

      it("SPACE_INACTIVE", async () => {
        const gone = await newSpace();
        expect(
          (await request("DELETE", `/api/spaces/${gone.id}`, { token: manager.token })).status,
        ).toBe(200);
        const res = await book(alice, { spaceId: gone.id, start: at(9), end: at(10) });
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ type: "SPACE_INACTIVE" });
      });
    });

    it("answers a retried create with the same Idempotency-Key with the first result", async () => {
      const space = await newSpace();
      const key = uniqueName("retry");
      const body = { spaceId: space.id, start: at(13), end: at(14), title: "Retry" };
      const first = await book(alice, body, { "idempotency-key": key });
      const again = await book(alice, body, { "idempotency-key": key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get("idempotent-replayed")).toBe("true");

      const listed = await request<Page<Reservation>>(
        "GET",
        `/api/reservations?spaceId=${space.id}`,
        { token: alice.token },
      );
      expect(listed.body.total).toBe(1);

      // The same key for another booking is a client bug: say so instead of guessing.
      const other = await book(
        alice,
        { ...body, start: at(15), end: at(16) },
        {
          "idempotency-key": key,
        },
      );
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({ type: "IDEMPOTENCY_KEY_REUSED" });
      // Keys are per user: Bob's identical key is his own request (and here a conflict).
      const bobs = await book(bob, body, { "idempotency-key": key });
      expect(bobs.status).toBe(409);

      const bad = await book(alice, body, { "idempotency-key": "x".repeat(200) });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ type: "VALIDATION_ERROR" });
    });

    it("reschedules into a free slot and frees the old one; a taken slot leaves it untouched", async () => {
      const space = await newSpace();
      const mine = (await book(alice, { spaceId: space.id, start: at(9), end: at(10) })).body;
      await book(bob, { spaceId: space.id, start: at(12), end: at(13) });

      const moved = await request<Reservation>("PATCH", `/api/reservations/${mine.id}`, {
        token: alice.token,
        json: { start: at(9, 30), end: at(10, 30), title: "Moved" },
      });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ start: at(9, 30), end: at(10, 30), title: "Moved" });
      // 09:00–09:30 was released: someone else can take it at once.
      expect((await book(bob, { spaceId: space.id, start: at(9), end: at(9, 30) })).status).toBe(
        201,
      );

      const blocked = await request("PATCH", `/api/reservations/${mine.id}`, {
        token: alice.token,
        json: { start: at(12, 30), end: at(13, 30) },
      });
      expect(blocked.status).toBe(409);
      expect(blocked.body).toMatchObject({ type: "RESERVATION_CONFLICT" });
      const after = await request<Reservation>("GET", `/api/reservations/${mine.id}`, {
        token: alice.token,
      });
      expect(after.body).toMatchObject({ start: at(9, 30), end: at(10, 30), title: "Moved" });
      // Its own time is still held: a third party cannot slip in.
      expect((await book(bob, { spaceId: space.id, start: at(10), end: at(10, 30) })).status).toBe(
        409,
      );
    });

    it("applies concurrent changes of one reservation one at a time, leaking no time", async () => {
      // On a store that loses concurrent updates of one document (the Mongo-wire server does),
      // interleaved changes once put back an old time whose cells were released: bookable twice.
      // Interleavings vary from run to run: several rounds, so a broken one shows.
      for (let round = 0; round < 8; round++) {
        const space = await newSpace();
        const mine = (await book(alice, { spaceId: space.id, start: at(9), end: at(10) })).body;
        const targets = [11, 12, 13, 14, 15, 16, 17, 18];
        const results = await Promise.all([
          ...targets.map(hour =>
            request("PATCH", `/api/reservations/${mine.id}`, {
              token: alice.token,
              json: { start: at(hour), end: at(hour + 1) },
            }),
          ),
          request("DELETE", `/api/reservations/${mine.id}`, { token: manager.token }),
        ]);
        for (const res of results) {
          if (res.status !== 200) {
            expect(res.status).toBe(409);
            // Waited its turn and found it cancelled, or waited too long for it.
            expect(["RESERVATION_CANCELLED", "CONCURRENT_UPDATE"]).toContain(
              (res.body as { type?: string }).type,
            );
          }
        }
        const final = (
          await request<Reservation>("GET", `/api/reservations/${mine.id}`, { token: alice.token })
        ).body;
        // Every hour it held at some point is free again, except the one it holds now, if any.
        for (const hour of [9, ...targets]) {
          const held = final.status === "confirmed" && final.start === at(hour);
          const res = await book(bob, { spaceId: space.id, start: at(hour), end: at(hour + 1) });
          expect([hour, res.status]).toEqual([hour, held ? 409 : 201]);
        }
      }
    }, 60_000);

    it("cancels, frees the slot at once, and treats a second cancel as done", async () => {
      const space = await newSpace();
      const mine = (await book(alice, { spaceId: space.id, start: at(9), end: at(10) })).body;
      const cancelled = await request<Reservation>("DELETE", `/api/reservations/${mine.id}`, {
        token: alice.token,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe("cancelled");
      expect((await book(bob, { spaceId: space.id, start: at(9), end: at(10) })).status).toBe(201);
      const again = await request<Reservation>("DELETE", `/api/reservations/${mine.id}`, {
        token: alice.token,
      });
      expect(again.status).toBe(200);
      const reschedule = await request("PATCH", `/api/reservations/${mine.id}`, {
        token: alice.token,
        json: { start: at(11), end: at(12) },
      });
      expect(reschedule.status).toBe(409);
      expect(reschedule.body).toMatchObject({ type: "RESERVATION_CANCELLED" });
    });

    it("offers a reservation as an iCalendar file to those who may read it", async () => {
      const space = await newSpace();
      const mine = (
        await book(alice, { spaceId: space.id, start: at(13), end: at(14), title: "Intake" })
      ).body;
      const path = `/api/reservations/${mine.id}/calendar`;
      const ics = await request<string>("GET", path, { token: alice.token });
      expect(ics.status).toBe(200);
      expect(ics.headers.get("content-type")).toContain("text/calendar");
      expect(ics.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.ics"/);
      const stamp = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      expect(ics.body).toContain(`UID:${mine.id}@mindspaces`);
      expect(ics.body).toContain(`DTSTART:${stamp(mine.start)}`);
      expect(ics.body).toContain(`DTEND:${stamp(mine.end)}`);
      expect(ics.body).toContain("SUMMARY:Intake");
      expect(ics.body).toContain("STATUS:CONFIRMED");
      expect((await request("GET", path, { token: manager.token })).status).toBe(200);
      const stranger = await request("GET", path, { token: bob.token });
      expect(stranger.status).toBe(404);
      expect(stranger.body).toMatchObject({ type: "RESERVATION_NOT_FOUND" });

      await request("DELETE", `/api/reservations/${mine.id}`, { token: alice.token });
      const cancelled = await request<string>("GET", path, { token: alice.token });
      expect(cancelled.body).toContain("STATUS:CANCELLED");
      expect(cancelled.body).toContain("METHOD:CANCEL");
    });

    it("keeps a manager's reason for cancelling someone's reservation, for its owner", async () => {
      const space = await newSpace();
      const mine = (await book(alice, { spaceId: space.id, start: at(15), end: at(16) })).body;
      const tooLong = await request("DELETE", `/api/reservations/${mine.id}`, {
        token: manager.token,
        json: { reason: "x".repeat(501) },
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body).toMatchObject({ type: "VALIDATION_ERROR" });
      const cancelled = await request<Reservation>("DELETE", `/api/reservations/${mine.id}`, {
        token: manager.token,
        json: { reason: "  The room is needed for an emergency meeting.  " },
      });
      expect(cancelled.status).toBe(200);
      const seen = await request("GET", `/api/reservations/${mine.id}`, { token: alice.token });
      expect(seen.body).toMatchObject({
        status: "cancelled",
        cancellationNote: "The room is needed for an emergency meeting.",
      });
    });

    describe("authorisation matrix", () => {
      let space: Space;
      let hour = 6;
      beforeAll(async () => {
        space = await newSpace();
      });

      const roles = () =>
        [
          ["member (owner)", alice, true],
          ["another member", bob, false],
          ["manager", manager, true],
          ["admin", admin, true],
        ] as const;

      it.each(["read", "reschedule", "cancel"])("%s", async operation => {
        for (const [, who, allowed] of roles()) {
          hour += 1;
          const own = (await book(alice, { spaceId: space.id, start: at(hour), end: at(hour, 30) }))
            .body;
          const path = `/api/reservations/${own.id}`;
          const res =
            operation === "read"
              ? await request<Reservation>("GET", path, { token: who.token })
              : operation === "reschedule"
                ? await request<Reservation>("PATCH", path, {
                    token: who.token,
                    json: { start: at(hour, 30), end: at(hour + 1) },
                  })
                : await request<Reservation>("DELETE", path, { token: who.token });
          if (allowed) {
            expect(res.status).toBe(200);
            expect(res.body.id).toBe(own.id);
          } else {
            // Another member's reservation answers as if it did not exist.
            expect(res.status).toBe(404);
            expect(res.body).toMatchObject({ type: "RESERVATION_NOT_FOUND" });
          }
        }
        // Nothing the refused member tried changed it.
        const list = await request<Page<Reservation>>(
          "GET",
          `/api/reservations?spaceId=${space.id}&pageSize=100`,
          { token: manager.token },
        );
        expect(list.body.rows.every(r => r.ownerId === alice.user.id)).toBe(true);
      });

      it("lists members' own reservations only; managers see everyone's", async () => {
        const other = await newSpace();
        await book(alice, { spaceId: other.id, start: at(9), end: at(10) });
        await book(bob, { spaceId: other.id, start: at(10), end: at(11) });
        const asBob = await request<Page<Reservation>>(
          "GET",
          `/api/reservations?spaceId=${other.id}`,
          { token: bob.token },
        );
        expect(asBob.body.rows.map(r => r.ownerId)).toEqual([bob.user.id]);
        const asManager = await request<Page<Reservation>>(
          "GET",
          `/api/reservations?spaceId=${other.id}`,
          { token: manager.token },
        );
        expect(asManager.body.rows.map(r => r.ownerId)).toEqual([alice.user.id, bob.user.id]);
        const byOwner = await request<Page<Reservation>>(
          "GET",
          `/api/reservations?spaceId=${other.id}&ownerId=${bob.user.id}&from=${encodeURIComponent(at(9))}&to=${encodeURIComponent(at(12))}`,
          { token: manager.token },
        );
        expect(byOwner.body.rows.map(r => r.ownerId)).toEqual([bob.user.id]);
      });

      it("lists the earliest first, or the latest first with sort=-start", async () => {
        const other = await newSpace();
        for (const hour of [11, 9, 13]) {
          expect(
            (await book(alice, { spaceId: other.id, start: at(hour), end: at(hour + 1) })).status,
          ).toBe(201);
        }
        const starts = async (sort: string) => {
          const listed = await request<Page<Reservation>>(
            "GET",
            `/api/reservations?spaceId=${other.id}${sort}&pageSize=2`,
            { token: alice.token },
          );
          expect(listed.status).toBe(200);
          expect(listed.body.total).toBe(3);
          return listed.body.rows.map(r => r.start);
        };
        expect(await starts("")).toEqual([at(9), at(11)]);
        expect(await starts("&sort=-start")).toEqual([at(13), at(11)]);
      });

      it("keeps members out of space management with 403", async () => {
        const post = await request("POST", "/api/spaces", {
          token: alice.token,
          json: { name: "Mine", kind: "desk", location: { site }, capacity: 1 },
        });
        const patch = await request("PATCH", `/api/spaces/${space.id}`, {
          token: alice.token,
          json: { capacity: 1 },
        });
        const del = await request("DELETE", `/api/spaces/${space.id}`, { token: alice.token });
        expect([post.status, patch.status, del.status]).toEqual([403, 403, 403]);
      });
    });

    it("shows availability: busy without others' details, free slots around them", async () => {
      const space = await newSpace({ openingHours: everyDay([{ from: "08:00", to: "18:00" }]) });
      const localDay = day.setZone("Europe/Amsterdam").startOf("day");
      const wall = (hour: number) => localDay.set({ hour }).toUTC().toISO()!;
      await book(alice, { spaceId: space.id, start: wall(9), end: wall(10), title: "Secret" });
      const mine = (
        await book(bob, { spaceId: space.id, start: wall(14), end: wall(15), title: "Mine" })
      ).body;

      const window = `from=${localDay.toISODate()}&to=${localDay.plus({ days: 1 }).toISODate()}`;
      const asBob = await request<Availability>(
        "GET",
        `/api/spaces/${space.id}/availability?${window}`,
        { token: bob.token },
      );
      expect(asBob.status).toBe(200);
      expect(asBob.body.timeZone).toBe("Europe/Amsterdam");
      expect(asBob.body.busy).toEqual([
        { start: wall(9), end: wall(10), mine: false },
        { start: wall(14), end: wall(15), mine: true, reservationId: mine.id, title: "Mine" },
      ]);
      expect(JSON.stringify(asBob.body)).not.toContain("Secret");
      expect(asBob.body.free).toEqual([
        { start: wall(8), end: wall(9) },
        { start: wall(10), end: wall(14) },
        { start: wall(15), end: wall(18) },
      ]);

      const asManager = await request<Availability>(
        "GET",
        `/api/spaces/${space.id}/availability?${window}`,
        { token: manager.token },
      );
      expect(asManager.body.busy[0]).toMatchObject({ title: "Secret", mine: false });

      // A month view is allowed.
      const month = await request<Availability>(
        "GET",
        `/api/spaces/${space.id}/availability?from=${localDay.toISODate()}&to=${localDay.plus({ days: 31 }).toISODate()}`,
        { token: bob.token },
      );
      expect(month.status).toBe(200);
      expect(month.body.free.length).toBeGreaterThan(20);
    });

    it("ranks free spaces first in a free-during search, then closest fit", async () => {
      const searchSite = uniqueName("Deventer");
      const make = (name: string, capacity: number) =>
        newSpace({ name, capacity, location: { site: searchSite } });
      const small = await make("Small", 2);
      await make("Medium", 6);
      await make("Large", 10);
      await book(bob, { spaceId: small.id, start: at(9), end: at(10) });

      const res = await request<Page<Space & { name: string; free: boolean }>>(
        "GET",
        `/api/spaces?site=${searchSite}&from=${encodeURIComponent(at(9, 30))}&to=${encodeURIComponent(at(10, 30))}`,
        { token: alice.token },
      );
      expect(res.status).toBe(200);
      expect(res.body.rows.map(s => [s.name, s.free])).toEqual([
        ["Medium", true],
        ["Large", true],
        ["Small", false],
      ]);
      // Why not, as the error a booking would get; nothing on a free one.
      expect(res.body.rows.map(s => (s as { unavailable?: string }).unavailable)).toEqual([
        undefined,
        undefined,
        "RESERVATION_CONFLICT",
      ]);
      const yesterday = DateTime.utc().minus({ days: 1 }).startOf("hour");
      const past = await request<Page<Space & { free: boolean; unavailable?: string }>>(
        "GET",
        `/api/spaces?site=${searchSite}&from=${encodeURIComponent(yesterday.toISO()!)}&to=${encodeURIComponent(yesterday.plus({ hours: 1 }).toISO()!)}`,
        { token: alice.token },
      );
      expect(past.body.rows.map(s => [s.free, s.unavailable])).toEqual([
        [false, "IN_THE_PAST"],
        [false, "IN_THE_PAST"],
        [false, "IN_THE_PAST"],
      ]);
      const later = await request<Page<Space & { name: string; free: boolean }>>(
        "GET",
        `/api/spaces?site=${searchSite}&from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(11))}`,
        { token: alice.token },
      );
      expect(later.body.rows.map(s => [s.name, s.free])).toEqual([
        ["Small", true],
        ["Medium", true],
        ["Large", true],
      ]);
      const half = await request("GET", `/api/spaces?from=${encodeURIComponent(at(10))}`, {
        token: alice.token,
      });
      expect(half.status).toBe(400);
    });

    it("refuses to deactivate a space with upcoming reservations unless told to cancel them", async () => {
      const space = await newSpace();
      const booked = (await book(alice, { spaceId: space.id, start: at(9), end: at(10) })).body;
      const refused = await request("DELETE", `/api/spaces/${space.id}`, { token: manager.token });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ type: "SPACE_HAS_RESERVATIONS", data: { upcoming: 1 } });
      expect(
        (
          await request<Reservation>("GET", `/api/reservations/${booked.id}`, {
            token: alice.token,
          })
        ).body.status,
      ).toBe("confirmed");

      const done = await request<{ active: boolean; cancelledReservations: number }>(
        "DELETE",
        `/api/spaces/${space.id}?cancelReservations=true`,
        { token: manager.token },
      );
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ active: false, cancelledReservations: 1 });
      const after = await request<Reservation>("GET", `/api/reservations/${booked.id}`, {
        token: alice.token,
      });
      expect(after.body.status).toBe("cancelled");
    });

    describe("bad input gets a 4xx with the documented type, never a 500", () => {
      let space: Space;
      beforeAll(async () => {
        space = await newSpace();
      });

      it.each([
        [
          "a wrong type",
          () => ({ spaceId: space.id, start: 9, end: at(10) }),
          400,
          "VALIDATION_ERROR",
        ],
        [
          "an invalid date",
          () => ({ spaceId: space.id, start: "2026-13-45T09:00", end: at(10) }),
          400,
          "VALIDATION_ERROR",
        ],
        ["a missing field", () => ({ spaceId: space.id, start: at(9) }), 400, "VALIDATION_ERROR"],
        [
          "an unknown field",
          () => ({ spaceId: space.id, start: at(9), end: at(10), ownerId: "x" }),
          400,
          "VALIDATION_ERROR",
        ],
        [
          "an operator object",
          () => ({ spaceId: { $ne: null }, start: at(9), end: at(10) }),
          400,
          "OPERATOR_NOT_ALLOWED",
        ],
        [
          "an unknown space",
          () => ({ spaceId: "nope", start: at(9), end: at(10) }),
          404,
          "SPACE_NOT_FOUND",
        ],
      ])("create with %s", async (_label, body, status, type) => {
        const res = await book(alice, body());
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ type });
      });

      it("unknown reservation ids on read, reschedule and cancel", async () => {
        for (const id of [
          "nope",
          "000000000000000000000000",
          "5d8c2a2e-0000-4000-8000-000000000000",
        ]) {
          for (const method of ["GET", "PATCH", "DELETE"]) {
            const res = await request(method, `/api/reservations/${id}`, {
              token: alice.token,
              ...(method === "PATCH" ? { json: { title: "x" } } : {}),
            });
            expect(res.status).toBe(404);
            expect(res.body).toMatchObject({ type: "RESERVATION_NOT_FOUND" });
          }
        }
      });

      it("reschedule with wrong types, invalid dates and operators", async () => {
        const mine = (await book(alice, { spaceId: space.id, start: at(20), end: at(21) })).body;
        const patch = (json: unknown) =>
          request(`PATCH`, `/api/reservations/${mine.id}`, { token: alice.token, json });
        expect((await patch({ start: true })).body).toMatchObject({ type: "VALIDATION_ERROR" });
        expect((await patch({ end: "tomorrow" })).status).toBe(400);
        expect((await patch({ start: { $gt: "" } })).body).toMatchObject({
          type: "OPERATOR_NOT_ALLOWED",
        });
        expect((await patch({ status: "confirmed" })).status).toBe(400);
      });

      it.each([
        [
          "from after to",
          () => `from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(9))}`,
          "INVALID_WINDOW",
        ],
        ["a window over 62 days", () => `from=2027-01-01&to=2027-03-15`, "WINDOW_TOO_LARGE"],
        ["an invalid date", () => `from=2027-02-30&to=2027-03-02`, "VALIDATION_ERROR"],
        ["a missing bound", () => `from=2027-02-01`, "VALIDATION_ERROR"],
        ["an operator", () => `from[$gt]=2027&to=2027-03-02`, "OPERATOR_NOT_ALLOWED"],
      ])("availability with %s → 400", async (_label, query, type) => {
        const res = await request("GET", `/api/spaces/${space.id}/availability?${query()}`, {
          token: alice.token,
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ type });
      });

      it("availability of an unknown space → 404, list with bad filters → 400", async () => {
        const res = await request(
          "GET",
          "/api/spaces/nope/availability?from=2027-01-01&to=2027-01-02",
          {
            token: alice.token,
          },
        );
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ type: "SPACE_NOT_FOUND" });
        for (const query of [
          "status=pending",
          "from=yesterday",
          "pageSize=5000",
          "spaceId[$ne]=x",
          "sort=title",
        ]) {
          const list = await request("GET", `/api/reservations?${query}`, { token: alice.token });
          expect(list.status).toBe(400);
        }
      });

      it("internal actions are not reachable through the gateway", async () => {
        for (const path of ["/api/reservations/busySpaces", "/api/reservations.cancelUpcoming"]) {
          const res = await request("POST", path, {
            token: admin.token,
            json: { spaceId: space.id },
          });
          expect(res.status).toBe(404);
        }
      });
    });
  });
}
