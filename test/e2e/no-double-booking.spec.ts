/**
 * The no-overlap guarantee as production runs it: two `reservations` processes behind one
 * gateway process, over NATS, on the Mongo-wire server, hit with concurrent requests through
 * HTTP. Several rounds; every reservation is read back at the end.
 */
import { randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import { freePort } from "../support/ferretdb";
import { httpClient, type HttpRequest } from "../support/http-client";
import { signInAdmin, signInAs, type Session } from "../support/accounts";
import { startGateway, startNode, waitUntilReady, type NodeProcess } from "../support/node-process";
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
  start: string;
  end: string;
  status: string;
}

const ROUNDS = 3;
const CONCURRENT = 50;

describe("no double booking with two reservations processes over NATS on the Mongo-wire server", () => {
  const nodes: Record<string, NodeProcess> = {};
  const namespace = uniqueName("ms-guarantee");
  const database = mongoUri(uniqueName("guarantee").replace(/-/g, "_"));
  let request: HttpRequest;
  let manager: Session;
  const members: Session[] = [];
  const spaces: string[] = [];
  // Two days ahead, so no interval of the run is in the past or beyond the horizon.
  const day = DateTime.utc().plus({ days: 2 }).startOf("day");
  const at = (minutes: number) => day.plus({ minutes }).toISO()!;

  beforeAll(async () => {
    const port = await freePort();
    const shared = {
      TRANSPORTER: natsUrl(),
      NAMESPACE: namespace,
      JWT_SECRET: randomBytes(48).toString("base64url"),
      MONGO_URI: database,
      LOG_LEVEL: "info",
    };
    nodes.catalogue = startNode({
      ...shared,
      SERVICES: "users,spaces,notifications,reports",
      NODE_ID: "catalogue-1",
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
    });
    // At debug, each reservations node logs the creates it made: the test reads them to see both
    // nodes took part.
    const reservations = { ...shared, SERVICES: "reservations", LOG_LEVEL: "debug" };
    nodes.reservations1 = startNode({ ...reservations, NODE_ID: "res-1" });
    nodes.reservations2 = startNode({ ...reservations, NODE_ID: "res-2" });
    nodes.api = startGateway(shared, port);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl, Object.values(nodes));
    request = httpClient(baseUrl);
    const admin = await signInAdmin(request);
    manager = await signInAs(request, "manager", admin);
    for (let i = 0; i < 5; i++) members.push(await signInAs(request, "member", admin));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(nodes).map(node => node.stop()));
    await dropDatabase(database);
    await deleteStreams(namespace);
  });

  async function newSpace(): Promise<string> {
    const res = await request<{ id: string }>("POST", "/api/spaces", {
      token: manager.token,
      json: {
        name: uniqueName("Contested"),
        kind: "meeting-room",
        location: { site: "Amersfoort" },
        capacity: 8,
        openingHours: ALWAYS_OPEN,
      },
    });
    expect(res.status).toBe(201);
    spaces.push(res.body.id);
    return res.body.id;
  }

  const book = (i: number, spaceId: string, start: string, end: string) =>
    request<Reservation>("POST", "/api/reservations", {
      token: members[i % members.length].token,
      json: { spaceId, start, end, title: `attempt ${i}` },
    });

  async function confirmedOf(spaceId: string): Promise<Reservation[]> {
    const rows: Reservation[] = [];
    for (let page = 1; ; page++) {
      const res = await request<{ rows: Reservation[]; totalPages: number }>(
        "GET",
        `/api/reservations?spaceId=${spaceId}&status=confirmed&pageSize=100&page=${page}`,
        { token: manager.token },
      );
      expect(res.status).toBe(200);
      rows.push(...res.body.rows);
      if (page >= res.body.totalPages) return rows;
    }
  }

  function expectNoOverlap(reservations: Reservation[]) {
    const sorted = [...reservations].sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i].start >= sorted[i - 1].end).toBe(true);
    }
  }

  for (let round = 1; round <= ROUNDS; round++) {
    describe(`round ${round}`, () => {
      it(`${CONCURRENT} concurrent creates of one slot: one 201, the rest 409`, async () => {
        const spaceId = await newSpace();
        const results = await Promise.all(
          Array.from({ length: CONCURRENT }, (_, i) => book(i, spaceId, at(600), at(660))),
        );
        const statuses = results.map(r => r.status).sort();
        expect(statuses.filter(s => s === 201)).toHaveLength(1);
        expect(statuses.filter(s => s === 409)).toHaveLength(CONCURRENT - 1);
        const confirmed = await confirmedOf(spaceId);
        expect(confirmed.map(r => r.id)).toEqual([results.find(r => r.status === 201)!.body.id]);
      });

      it(`${CONCURRENT} concurrent creates of partly overlapping intervals: no overlap confirmed`, async () => {
        const spaceId = await newSpace();
        // Starts spread over four hours, lengths 15 minutes to two hours, on the 15-minute grid.
        const intervals = Array.from({ length: CONCURRENT }, () => {
          const start = 480 + 15 * Math.floor(Math.random() * 16);
          return [start, start + 15 * (1 + Math.floor(Math.random() * 8))];
        });
        const results = await Promise.all(
          intervals.map(([s, e], i) => book(i, spaceId, at(s), at(e))),
        );
        for (const r of results) expect([201, 409]).toContain(r.status);
        const created = results.filter(r => r.status === 201).map(r => r.body.id);
        expect(created.length).toBeGreaterThanOrEqual(1);
        const confirmed = await confirmedOf(spaceId);
        expect(confirmed.map(r => r.id).sort()).toEqual([...created].sort());
        expectNoOverlap(confirmed);
      });

      it("concurrent reschedules into one free slot: one wins, the others keep their times", async () => {
        const spaceId = await newSpace();
        const originals: Reservation[] = [];
        for (let i = 0; i < 10; i++) {
          const res = await book(i, spaceId, at(60 * i), at(60 * i + 30));
          expect(res.status).toBe(201);
          originals.push(res.body);
        }
        const target = { start: at(720), end: at(780) };
        const results = await Promise.all(
          originals.map((r, i) =>
            request<Reservation>("PATCH", `/api/reservations/${r.id}`, {
              token: members[i % members.length].token,
              json: target,
            }),
          ),
        );
        const statuses = results.map(r => r.status);
        expect(statuses.filter(s => s === 200)).toHaveLength(1);
        expect(statuses.filter(s => s === 409)).toHaveLength(originals.length - 1);

        const winner = originals[statuses.indexOf(200)];
        for (const original of originals) {
          const read = await request<Reservation>("GET", `/api/reservations/${original.id}`, {
            token: manager.token,
          });
          const expected = original.id === winner.id ? target : original;
          expect(read.body).toMatchObject({
            start: expected.start,
            end: expected.end,
            status: "confirmed",
          });
        }
        // The winner's old slot is free again; the target is not.
        expect((await book(0, spaceId, winner.start, winner.end)).status).toBe(201);
        expect((await book(1, spaceId, target.start, target.end)).status).toBe(409);
        expectNoOverlap(await confirmedOf(spaceId));
      });
    });
  }

  it("spread the work over both reservations processes, and the final state holds", async () => {
    for (const name of ["reservations1", "reservations2"]) {
      expect(nodes[name].output()).toMatch(/Reservation created/);
    }
    for (const spaceId of spaces) expectNoOverlap(await confirmedOf(spaceId));
  });
});
