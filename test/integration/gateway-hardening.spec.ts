/**
 * The gateway as an outsider attacks it (issue 8): unfinished uploads, bodies nested deep enough
 * to break serialisation, undecodable URLs and bodies, OPTIONS with a body, oversized tokens and
 * request ids, prototype keys, and what anonymous callers may learn. Each attack runs through the
 * real gateway; the breaker and depth attacks also on a split deployment over NATS, where the
 * parameters are serialised on their way to another node.
 */
import { gzipSync } from "node:zlib";
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import { createApiService } from "../../services/api.service";
import { createUsersService } from "../../services/users.service";
import { createSpacesService } from "../../services/spaces.service";
import { createReservationsService } from "../../services/reservations.service";
import { createReportsService } from "../../services/reports.service";
import { createNotificationsService } from "../../services/notifications.service";
import type { AppConfig } from "../../lib/config";
import { httpClient, type HttpRequest } from "../support/http-client";
import { signInAdmin, signInAs, type Session } from "../support/accounts";
import { gatewayUrl, natsBroker, startSingleNode } from "../support/local-system";
import { closeAll, rawRequest, stallConnections } from "../support/raw-http";
import { deleteStreams, testConfig, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";
import { ALWAYS_OPEN } from "../support/opening-hours";

interface System {
  baseUrl: string;
  stop(): Promise<unknown>;
}

const portOf = (baseUrl: string) => Number(new URL(baseUrl).port);
/** "Answers quickly": an attack that starves the gateway makes these requests hang instead. */
const QUICKLY = { signal: () => AbortSignal.timeout(3_000) };

/** A JSON value nested `depth` levels deep: small in bytes, deep enough to break a serialiser. */
const deeplyNested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

async function startSplit(config: AppConfig): Promise<System & { api: ServiceBroker }> {
  const namespace = uniqueName("ms-hardening");
  const servicesNode = natsBroker(namespace, "services-1");
  const api = natsBroker(namespace, "api-1");
  servicesNode.createService(createUsersService(config));
  servicesNode.createService(createSpacesService(config));
  servicesNode.createService(createReservationsService(config));
  servicesNode.createService(createReportsService(config));
  servicesNode.createService(createNotificationsService(config));
  api.createService(createApiService(config));
  await Promise.all([servicesNode.start(), api.start()]);
  await api.waitForServices(["users", "spaces", "reservations"], 10_000);
  return {
    api,
    baseUrl: gatewayUrl(api),
    stop: async () => {
      await Promise.all([api.stop(), servicesNode.stop()]);
      await deleteStreams(namespace);
    },
  };
}

async function createSpace(request: HttpRequest, admin: Session): Promise<string> {
  const res = await request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name: uniqueName("Room"),
      kind: "meeting-room",
      location: { site: "Utrecht" },
      capacity: 4,
      openingHours: ALWAYS_OPEN,
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

function slot(daysAhead: number, hour: number) {
  const start = DateTime.utc().plus({ days: daysAhead }).startOf("day").plus({ hours: hour });
  return { start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()! };
}

describe("gateway: unfinished uploads cannot starve others", () => {
  it("answers health, sign-in and a signed-in request while 120 uploads from 12 addresses stall", async () => {
    const system = await startSingleNode(testConfig());
    const request = httpClient(system.baseUrl);
    const admin = await signInAdmin(request);
    const stalled = [];
    try {
      for (let i = 2; i < 14; i++)
        stalled.push(...(await stallConnections(portOf(system.baseUrl), 10, `127.0.0.${i}`)));
      expect(stalled.filter(c => c.closed())).toHaveLength(0);

      const health = await fetch(`${system.baseUrl}/api/health`, { signal: QUICKLY.signal() });
      expect(health.status).toBe(200);
      const me = await fetch(`${system.baseUrl}/api/users/me`, {
        headers: { authorization: `Bearer ${admin.token}` },
        signal: QUICKLY.signal(),
      });
      expect(me.status).toBe(200);
      const login = await fetch(`${system.baseUrl}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@mindspaces.test", password: "Tulip-garden-2026!" }),
        signal: QUICKLY.signal(),
      });
      expect(login.status).toBe(200);
    } finally {
      closeAll(stalled);
      await system.stop();
    }
  });

  it("keeps at most the configured number of connections from one address", async () => {
    const system = await startSingleNode(testConfig({ maxConnectionsPerClient: 10 }));
    const attack = await stallConnections(portOf(system.baseUrl), 40, "127.0.0.20");
    try {
      await waitFor(() => attack.filter(c => c.closed()).length === 30, "30 refused", 5_000);
      expect(attack.filter(c => !c.closed())).toHaveLength(10);
      const health = await fetch(`${system.baseUrl}/api/health`, { signal: QUICKLY.signal() });
      expect(health.status).toBe(200);
    } finally {
      closeAll(attack);
      await system.stop();
    }
  });

  it("answers 408 and closes a request whose body does not arrive in time", async () => {
    const system = await startSingleNode(testConfig({ httpRequestTimeoutMs: 1_000 }));
    const [slow] = await stallConnections(portOf(system.baseUrl), 1, "127.0.0.30");
    try {
      await waitFor(() => slow.closed(), "the slow upload to be closed", 8_000);
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      closeAll([slow]);
      await system.stop();
    }
  });
});

describe.each([
  ["one process", () => startSingleNode(testConfig())],
  ["split over NATS", () => startSplit(testConfig())],
])("gateway: deep bodies and client errors (%s)", (_label, start: () => Promise<System>) => {
  let system: System;
  let request: HttpRequest;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    system = await start();
    request = httpClient(system.baseUrl);
    admin = await signInAdmin(request);
    member = await signInAs(request, "member", admin);
  });
  afterAll(() => system?.stop());

  it("refuses a body nested deeper than the limit with 400, before anything else", async () => {
    const res = await request("POST", "/api/auth/login", { rawBody: deeplyNested(15_000) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "TOO_DEEPLY_NESTED", data: { maxDepth: 32 } });
    // Depth 32 is still accepted as JSON (and refused by the action's own validation).
    const ok = await request("POST", "/api/auth/login", { rawBody: deeplyNested(31) });
    expect(ok.status).toBe(400);
    expect(ok.body).toMatchObject({ type: "VALIDATION_ERROR" });
  });

  it("never lets deep bodies open the breaker: sign-in and booking keep working for others", async () => {
    for (let i = 0; i < 25; i++) {
      const login = await request("POST", "/api/auth/login", { rawBody: deeplyNested(15_000) });
      expect(login.status).toBe(400);
      const booking = await request("POST", "/api/reservations", {
        token: member.token,
        rawBody: deeplyNested(15_000),
      });
      expect(booking.status).toBe(400);
    }
    const other = await signInAdmin(request);
    expect(other.token).toEqual(expect.any(String));
    const spaceId = await createSpace(request, admin);
    const booked = await request("POST", "/api/reservations", {
      token: member.token,
      json: { spaceId, ...slot(3, 9) },
    });
    expect(booked.status).toBe(201);
  });

  it("never lets refused requests open the breaker", async () => {
    for (let i = 0; i < 30; i++) {
      const wrong = await request("POST", "/api/auth/login", {
        json: { email: "nobody@example.org", password: "Not-the-password-1" },
      });
      expect(wrong.status).toBe(401);
    }
    expect((await signInAdmin(request)).token).toEqual(expect.any(String));
  });
});

describe("gateway: hostile input gets a 4xx, never a 500", () => {
  let system: System;
  let request: HttpRequest;
  let port: number;
  let admin: Session;
  let member: Session;
  let reservationId: string;
  let spaceId: string;

  beforeAll(async () => {
    system = await startSingleNode(testConfig());
    request = httpClient(system.baseUrl);
    port = portOf(system.baseUrl);
    admin = await signInAdmin(request);
    member = await signInAs(request, "member", admin);
    spaceId = await createSpace(request, admin);
    const booked = await request<{ id: string }>("POST", "/api/reservations", {
      token: member.token,
      json: { spaceId, ...slot(2, 10) },
    });
    expect(booked.status).toBe(201);
    reservationId = booked.body.id;
  });
  afterAll(() => system?.stop());

  it.each([
    ["PATCH", "/api/users/me", "member", { name: null }, "name"],
    ["PATCH", "/api/users/me", "member", { name: "Ann", locale: null }, "locale"],
    ["PATCH", "/api/spaces/:space", "admin", { equipment: null }, "equipment"],
    ["PATCH", "/api/spaces/:space", "admin", { equipment: ["beamer", null] }, "equipment.1"],
    ["PATCH", "/api/spaces/:space", "admin", { location: { site: null } }, "location.site"],
    ["PATCH", "/api/spaces/:space", "admin", { rules: null }, "rules"],
    ["PATCH", "/api/spaces/:space", "admin", { openingHours: null }, "openingHours"],
    ["POST", "/api/reservations", "member", { spaceId: ":space", title: null }, "title"],
  ])("refuses null in %s %s as %s: %j", async (method, path, who, body, field) => {
    const json = JSON.parse(JSON.stringify(body).replace(":space", spaceId));
    const res = await request(method, path.replace(":space", spaceId), {
      token: (who === "admin" ? admin : member).token,
      json: { ...json, ...(method === "POST" ? slot(3, 10) : {}) },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: "VALIDATION_ERROR",
      data: [{ field, rule: "notNull" }],
    });
    // Nothing was stored: the profile, the space and the searches that read it are as they were.
    const me = await request<{ name: string }>("GET", "/api/users/me", { token: member.token });
    expect(typeof me.body.name).toBe("string");
    const space = await request<{ equipment: unknown; location: { site: unknown } }>(
      "GET",
      `/api/spaces/${spaceId}`,
      { token: member.token },
    );
    expect(Array.isArray(space.body.equipment)).toBe(true);
    expect(typeof space.body.location.site).toBe("string");
    expect((await request("GET", "/api/spaces/facets", { token: member.token })).status).toBe(200);
  });

  it.each([
    ["PATCH", "/api/users/me", "member", { name: "Ann\n\nYour account expires today" }, "name"],
    ["POST", "/api/reservations", "member", { title: "Meet\r\nEND:VEVENT" }, "title"],
    ["PATCH", "/api/spaces/:space", "admin", { name: "Room\tA" }, "name"],
    [
      "PATCH",
      "/api/spaces/:space",
      "admin",
      { location: { site: "Utrecht\u0085" } },
      "location.site",
    ],
    ["PATCH", "/api/spaces/:space", "admin", { description: "Ground floor\u0000" }, "description"],
  ])("refuses control characters in %s %s as %s: %j", async (method, path, who, body, field) => {
    const res = await request(method, path.replace(":space", spaceId), {
      token: (who === "admin" ? admin : member).token,
      json: { ...body, ...(method === "POST" ? { spaceId, ...slot(3, 11) } : {}) },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: "VALIDATION_ERROR",
      data: [{ field, rule: "stringPattern" }],
    });
  });

  it("keeps the line breaks of a description and of a manager's reason", async () => {
    const described = await request<{ description: string }>("PATCH", `/api/spaces/${spaceId}`, {
      token: admin.token,
      json: { description: "Ground floor.\nKey at the desk.\tAsk for Ann." },
    });
    expect(described.status).toBe(200);
    expect(described.body.description).toBe("Ground floor.\nKey at the desk.\tAsk for Ann.");
    const booked = await request<{ id: string }>("POST", "/api/reservations", {
      token: member.token,
      json: { spaceId, ...slot(4, 10), title: "Team meeting" },
    });
    expect(booked.status).toBe(201);
    const cancelled = await request("DELETE", `/api/reservations/${booked.body.id}`, {
      token: admin.token,
      json: { reason: "Needed for an inspection.\nPlease book another room." },
    });
    expect(cancelled.status).toBe(200);
  });

  it.each([
    ["GET", "/api/spaces/%zz"],
    ["PATCH", "/api/spaces/%E0%A4%A"],
    ["DELETE", "/api/spaces/%zz"],
    ["GET", "/api/spaces/%zz/availability?from=2027-01-01&to=2027-01-02"],
    ["GET", "/api/reservations/%E0%A4%A"],
    ["PATCH", "/api/reservations/%zz"],
    ["DELETE", "/api/reservations/%zz"],
    ["PATCH", "/api/users/%zz"],
    ["DELETE", "/api/users/%E0%A4%A"],
    ["POST", "/api/notifications/%zz/read"],
  ])("answers 400 MALFORMED_URL to %s %s", async (method, path) => {
    const res = await rawRequest(port, {
      method,
      path,
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
      body: method === "PATCH" ? "{}" : undefined,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "MALFORMED_URL" });
  });

  it.each(["gzip", "deflate", "br"])(
    "answers 400 MALFORMED_BODY to a %s body that does not decompress",
    async encoding => {
      for (const path of ["/api/auth/login", "/api/reservations"]) {
        const res = await rawRequest(port, {
          method: "POST",
          path,
          headers: {
            authorization: `Bearer ${member.token}`,
            "content-type": "application/json",
            "content-encoding": encoding,
          },
          body: Buffer.from("this is not compressed at all"),
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ type: "MALFORMED_BODY" });
      }
    },
  );

  it("still reads a body that is correctly gzipped", async () => {
    const res = await rawRequest(port, {
      method: "POST",
      path: "/api/auth/login",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ email: "admin@mindspaces.test", password: "wrong-one-1A" })),
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: "INVALID_CREDENTIALS" });
  });

  it("never runs an action for OPTIONS, even with a token and a body", async () => {
    const rename = await rawRequest(port, {
      method: "OPTIONS",
      path: "/api/users/me",
      headers: {
        authorization: `Bearer ${member.token}`,
        "access-control-request-method": "PATCH",
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: "Renamed by OPTIONS" }),
    });
    expect(rename.status).toBe(204);
    const cancel = await rawRequest(port, {
      method: "OPTIONS",
      path: `/api/reservations/${reservationId}`,
      headers: {
        authorization: `Bearer ${member.token}`,
        "access-control-request-method": "DELETE",
      },
    });
    expect(cancel.status).toBe(204);

    const me = await request("GET", "/api/users/me", { token: member.token });
    expect(me.body.name).not.toBe("Renamed by OPTIONS");
    const reservation = await request("GET", `/api/reservations/${reservationId}`, {
      token: member.token,
    });
    expect(reservation.body.status).toBe("confirmed");
  });

  it("answers 401 TOKEN_INVALID to a bearer token over 4,096 characters", async () => {
    const res = await request("GET", "/api/users/me", { token: "a".repeat(5_000) });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ type: "TOKEN_INVALID", data: null });
  });

  it("tells anonymous callers only whether it is up and ready; admins see the details", async () => {
    const anonymous = await request("GET", "/api/health");
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: "ok", ready: true });
    const asMember = await request("GET", "/api/health", { token: member.token });
    expect(asMember.body).toEqual({ status: "ok", ready: true });
    const asAdmin = await request("GET", "/api/health", { token: admin.token });
    expect(asAdmin.body).toMatchObject({
      status: "ok",
      ready: true,
      node: expect.any(String),
      uptimeSeconds: expect.any(Number),
      services: { users: true, spaces: true, reservations: true },
    });
  });

  it("tells the same of readiness: anonymous callers status and ready, admins the details", async () => {
    const anonymous = await request("GET", "/api/ready");
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: "ok", ready: true });
    const asMember = await request("GET", "/api/ready", { token: member.token });
    expect(asMember.body).toEqual({ status: "ok", ready: true });
    const asAdmin = await request("GET", "/api/ready", { token: admin.token });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).toMatchObject({
      ready: true,
      node: expect.any(String),
      services: {
        users: true,
        spaces: true,
        reservations: true,
        notifications: true,
        reports: true,
      },
    });
  });

  it.each([
    ['{"__proto__": {"role": "admin"}}', "__proto__"],
    ['{"constructor": {"prototype": {"role": "admin"}}}', "constructor"],
    ['{"location": {"__proto__": {"site": "x"}}}', "location.__proto__"],
  ])("refuses the prototype key in %s", async (extra, field) => {
    const body = JSON.stringify({
      email: `${uniqueName("proto")}@example.org`,
      password: "Bicycle-bridge-77",
      name: "Proto",
    }).replace(/}$/, `, ${extra.slice(1, -1)}}`);
    const res = await request("POST", "/api/auth/register", { rawBody: body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "OPERATOR_NOT_ALLOWED", data: { field } });
  });

  it("echoes a well-formed X-Request-ID and replaces any other with its own", async () => {
    const good = await request("GET", "/api/health", { headers: { "x-request-id": "req-42.a_b" } });
    expect(good.headers.get("x-request-id")).toBe("req-42.a_b");
    for (const bad of ["x".repeat(500), "<script>alert(1)</script>", "a b"]) {
      const res = await request("GET", "/api/health", {
        headers: { "x-request-id": bad, "x-correlation-id": bad },
      });
      const echoed = res.headers.get("x-request-id") ?? "";
      expect(echoed).not.toBe(bad);
      expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    }
  });
});

describe("gateway: registration and existing addresses", () => {
  // A deliberate choice, documented in docs/ARCHITECTURE.md: registration tells that an address
  // has an account, so a person who forgot they had one is sent to sign in; strangers can probe
  // only at the per-address sign-in rate, and organisations that provision accounts switch
  // self-registration off, which then answers the same for every address.
  it("answers EMAIL_TAKEN in any letter case, within the auth rate limit", async () => {
    const system = await startSingleNode(testConfig({ authRateLimitPerMinute: 4 }));
    try {
      const request = httpClient(system.baseUrl);
      const email = `${uniqueName("taken")}@example.org`;
      const json = (address: string) => ({
        json: { email: address, password: "Bicycle-bridge-77", name: "Taken" },
      });
      expect((await request("POST", "/api/auth/register", json(email))).status).toBe(201);
      const again = await request("POST", "/api/auth/register", json(email.toUpperCase()));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ type: "EMAIL_TAKEN" });
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await request("POST", "/api/auth/register", json(email))).status);
      expect(statuses).toEqual([409, 409, 429]);
    } finally {
      await system.stop();
    }
  });

  it("answers the same for known and unknown addresses when self-registration is off", async () => {
    const system = await startSingleNode(testConfig({ selfRegistration: false }));
    try {
      const request = httpClient(system.baseUrl);
      const known = await request("POST", "/api/auth/register", {
        json: { email: "admin@mindspaces.test", password: "Bicycle-bridge-77", name: "X" },
      });
      const unknown = await request("POST", "/api/auth/register", {
        json: { email: "nobody@example.org", password: "Bicycle-bridge-77", name: "X" },
      });
      expect(known.status).toBe(403);
      expect(unknown.status).toBe(403);
      expect(known.body).toEqual(unknown.body);
    } finally {
      await system.stop();
    }
  });
});
