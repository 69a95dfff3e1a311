/**
 * The hand-written response schemas are true: a tour of every operation through the real
 * gateway, where each answer's status must be one the document lists for that operation and
 * its body must match the documented schema.
 */
import { DateTime } from "luxon";
import { ACCOUNT_PASSWORD, signInAdmin, signInAs, type Session } from "../support/accounts";
import { httpClient, type HttpRequest } from "../support/http-client";
import { startSingleNode } from "../support/local-system";
import { conformanceChecker, type DocumentShape } from "../support/openapi-conformance";
import { ALWAYS_OPEN } from "../support/opening-hours";
import { testConfig, uniqueName } from "../support/test-env";

let system: Awaited<ReturnType<typeof startSingleNode>>;
let request: HttpRequest;
let checker: ReturnType<typeof conformanceChecker>;

beforeAll(async () => {
  system = await startSingleNode(testConfig());
  request = httpClient(system.baseUrl);
  const document = await request<DocumentShape>("GET", "/api/openapi.json");
  checker = conformanceChecker(document.body);
  checker.expectDocumented("GET", "/api/openapi.json", document);
});

afterAll(() => system.stop());

/** Sends a request and checks the answer against the document's operation for `template`. */
async function call(
  method: string,
  template: string,
  path: string,
  options: Parameters<HttpRequest>[2] = {},
) {
  const res = await request<Record<string, unknown>>(method, path, options);
  checker.expectDocumented(method, template, res);
  return res;
}

describe("every operation answers as documented", () => {
  let admin: Session;
  let member: Session;
  let spaceId: string;
  let reservationId: string;
  const day = DateTime.utc().plus({ days: 3 }).startOf("day");
  const at = (hour: number) => day.set({ hour }).toISO()!;

  beforeAll(async () => {
    admin = await signInAdmin(request);
    member = await signInAs(request, "member", admin);
  });

  it("health, sign-up and sign-in", async () => {
    expect((await call("GET", "/api/health", "/api/health")).status).toBe(200);
    expect((await call("GET", "/api/ready", "/api/ready")).status).toBe(200);
    const email = `${uniqueName("doc")}@example.org`;
    const json = { email, password: "Canal-house-2026", name: "Doc" };
    expect((await call("POST", "/api/auth/register", "/api/auth/register", { json })).status).toBe(
      201,
    );
    expect((await call("POST", "/api/auth/register", "/api/auth/register", { json })).status).toBe(
      409,
    );
    expect(
      (
        await call("POST", "/api/auth/login", "/api/auth/login", {
          json: { email, password: "wrong" },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await call("POST", "/api/auth/login", "/api/auth/login", {
          json: { email, password: json.password },
        })
      ).status,
    ).toBe(200);
  });

  it("the user's own account", async () => {
    const token = member.token;
    expect((await call("GET", "/api/users/me", "/api/users/me", { token })).status).toBe(200);
    expect((await call("GET", "/api/users/me", "/api/users/me")).status).toBe(401);
    const changed = await call("PATCH", "/api/users/me", "/api/users/me", {
      token,
      json: { locale: "en" },
    });
    expect(changed.status).toBe(200);
    const invalid = await call("PATCH", "/api/users/me", "/api/users/me", {
      token,
      json: { locale: "fr" },
    });
    expect(invalid.status).toBe(400);
  });

  it("the user's password and sessions", async () => {
    const account = await signInAs(request, "member", admin);
    const password = (currentPassword: string, newPassword: string) =>
      call("POST", "/api/users/me/password", "/api/users/me/password", {
        token: account.token,
        json: { currentPassword, newPassword },
      });
    expect((await password("Not-my-password-1", "Harbour-lights-88")).status).toBe(400);
    expect((await password(ACCOUNT_PASSWORD, "password123")).status).toBe(422);
    const changed = await password(ACCOUNT_PASSWORD, "Harbour-lights-88");
    expect(changed.status).toBe(200);
    const token = String(changed.body.token);
    const signOut = (with_: string) =>
      call("POST", "/api/users/me/sign-out", "/api/users/me/sign-out", { token: with_ });
    expect((await signOut(token)).status).toBe(200);
    expect((await signOut(token)).status).toBe(401);
  });

  it("spaces", async () => {
    const created = await call("POST", "/api/spaces", "/api/spaces", {
      token: admin.token,
      json: {
        name: uniqueName("Doc room"),
        kind: "meeting-room",
        location: { site: "Docs", floor: "1" },
        capacity: 6,
        equipment: ["beamer"],
        timeZone: "UTC",
        openingHours: ALWAYS_OPEN,
      },
    });
    expect(created.status).toBe(201);
    spaceId = String(created.body.id);
    const forMember = await call("POST", "/api/spaces", "/api/spaces", {
      token: member.token,
      json: {},
    });
    expect(forMember.status).toBe(403);
    const search = `/api/spaces?site=Docs&from=${encodeURIComponent(at(9))}&to=${encodeURIComponent(at(10))}`;
    expect((await call("GET", "/api/spaces", search, { token: member.token })).status).toBe(200);
    expect((await call("GET", "/api/spaces", "/api/spaces", { token: member.token })).status).toBe(
      200,
    );
    const facets = await call("GET", "/api/spaces/facets", "/api/spaces/facets", {
      token: member.token,
    });
    expect(facets.body).toMatchObject({ sites: expect.arrayContaining(["Docs"]) });
    const one = `/api/spaces/${spaceId}`;
    expect((await call("GET", "/api/spaces/{id}", one, { token: member.token })).status).toBe(200);
    expect(
      (await call("GET", "/api/spaces/{id}", "/api/spaces/nope", { token: member.token })).status,
    ).toBe(404);
    const patched = await call("PATCH", "/api/spaces/{id}", one, {
      token: admin.token,
      json: { description: "With a view" },
    });
    expect(patched.status).toBe(200);
  });

  it("reservations and availability", async () => {
    const json = { spaceId, start: at(9), end: at(10), title: "Planning" };
    const headers = { "idempotency-key": uniqueName("key") };
    const created = await call("POST", "/api/reservations", "/api/reservations", {
      token: member.token,
      json,
      headers,
    });
    expect(created.status).toBe(201);
    reservationId = String(created.body.id);
    const replayed = await call("POST", "/api/reservations", "/api/reservations", {
      token: member.token,
      json,
      headers,
    });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    const taken = await call("POST", "/api/reservations", "/api/reservations", {
      token: admin.token,
      json,
    });
    expect(taken.status).toBe(409);
    const misaligned = await call("POST", "/api/reservations", "/api/reservations", {
      token: member.token,
      json: { ...json, start: day.set({ hour: 11, minute: 7 }).toISO() },
    });
    expect(misaligned.status).toBe(422);

    const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(23))}`;
    const availability = `/api/spaces/${spaceId}/availability?${window}`;
    expect(
      (await call("GET", "/api/spaces/{id}/availability", availability, { token: member.token }))
        .status,
    ).toBe(200);
    expect(
      (await call("GET", "/api/reservations", "/api/reservations", { token: member.token })).status,
    ).toBe(200);
    const one = `/api/reservations/${reservationId}`;
    expect((await call("GET", "/api/reservations/{id}", one, { token: member.token })).status).toBe(
      200,
    );
    const ics = await call("GET", "/api/reservations/{id}/calendar", `${one}/calendar`, {
      token: member.token,
    });
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    const moved = await call("PATCH", "/api/reservations/{id}", one, {
      token: member.token,
      json: { start: at(10), end: at(11) },
    });
    expect(moved.status).toBe(200);
    const cancelled = await call("DELETE", "/api/reservations/{id}", one, { token: member.token });
    expect(cancelled.body).toMatchObject({ status: "cancelled" });
  });

  it("notifications", async () => {
    const token = member.token;
    expect((await call("GET", "/api/notifications", "/api/notifications", { token })).status).toBe(
      200,
    );
    const unknown = await call(
      "POST",
      "/api/notifications/{id}/read",
      "/api/notifications/nope/read",
      {
        token,
      },
    );
    expect(unknown.status).toBe(404);
    expect(
      (await call("POST", "/api/notifications/read", "/api/notifications/read", { token })).status,
    ).toBe(200);
  });

  it("reports, as JSON and as CSV", async () => {
    const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(23))}`;
    const path = `/api/reports/utilization?${window}&groupBy=location`;
    const json = await call("GET", "/api/reports/utilization", path, { token: admin.token });
    expect(json.status).toBe(200);
    const csv = await call("GET", "/api/reports/utilization", path, {
      token: admin.token,
      headers: { accept: "text/csv" },
    });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const forMember = await call("GET", "/api/reports/utilization", path, { token: member.token });
    expect(forMember.status).toBe(403);
  });

  it("deactivating a space", async () => {
    const res = await call("DELETE", "/api/spaces/{id}", `/api/spaces/${spaceId}`, {
      token: admin.token,
    });
    expect(res.body).toMatchObject({ active: false, cancelledReservations: 0 });
  });

  it("administering users, export and erasure", async () => {
    const list = await call("GET", "/api/users", "/api/users?role=member", { token: admin.token });
    expect(list.status).toBe(200);
    const other = await signInAs(request, "member", admin);
    const names = await call("GET", "/api/users/names", `/api/users/names?ids=${other.user.id}`, {
      token: admin.token,
    });
    expect(names.body).toEqual([{ id: other.user.id, name: expect.any(String) }]);
    const path = `/api/users/${other.user.id}`;
    expect(
      (
        await call("PATCH", "/api/users/{id}", path, {
          token: admin.token,
          json: { role: "manager" },
        })
      ).status,
    ).toBe(200);
    expect((await call("DELETE", "/api/users/{id}", path, { token: admin.token })).status).toBe(
      200,
    );
    const exported = await call("GET", "/api/users/me/export", "/api/users/me/export", {
      token: member.token,
    });
    expect(exported.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(
      (await call("DELETE", "/api/users/me", "/api/users/me", { token: member.token })).status,
    ).toBe(200);
  });

  it("left no operation untried", () => {
    expect(checker.unexercised()).toEqual([]);
  });
});
