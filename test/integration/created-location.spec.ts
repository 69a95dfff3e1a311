/**
 * Every create answers 201 with the new resource's address in `Location`, an address that reads
 * it back; and the gateway no longer warns about a 201 without one (it did on every create).
 */
import { DateTime } from "luxon";
import { httpClient, type HttpRequest } from "../support/http-client";
import { ACCOUNT_PASSWORD, signInAdmin, signInAs, type Session } from "../support/accounts";
import { CapturingLogger } from "../support/log-capture";
import { startSingleNode } from "../support/local-system";
import { ALWAYS_OPEN } from "../support/opening-hours";
import { testConfig, uniqueName } from "../support/test-env";

describe("Location of created resources", () => {
  const logs = new CapturingLogger();
  let system: Awaited<ReturnType<typeof startSingleNode>>;
  let request: HttpRequest;
  let manager: Session;

  beforeAll(async () => {
    system = await startSingleNode(testConfig(), {}, { logger: logs });
    request = httpClient(system.baseUrl);
    manager = await signInAs(request, "manager", await signInAdmin(request));
  });

  afterAll(() => system?.stop());

  /** The answer's Location, and what reading it back with `token` gives. */
  async function followLocation(location: string | null, token: string) {
    expect(location).not.toBeNull();
    return request<{ id: string }>("GET", location!, { token });
  }

  it("gives a new account's address: the account as its owner reads it", async () => {
    const res = await request<Session>("POST", "/api/auth/register", {
      json: { email: `${uniqueName("loc")}@example.org`, password: ACCOUNT_PASSWORD, name: "Loes" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/users/me");
    const read = await followLocation(res.headers.get("location"), res.body.token);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(res.body.user.id);
  });

  it("gives a new space's and a new reservation's address, also to a retried create", async () => {
    const space = await request<{ id: string }>("POST", "/api/spaces", {
      token: manager.token,
      json: {
        name: "Location room",
        kind: "meeting-room",
        location: { site: uniqueName("Zwolle") },
        capacity: 2,
        openingHours: ALWAYS_OPEN,
      },
    });
    expect(space.status).toBe(201);
    expect(space.headers.get("location")).toBe(`/api/spaces/${space.body.id}`);
    expect((await followLocation(space.headers.get("location"), manager.token)).body.id).toBe(
      space.body.id,
    );

    const day = DateTime.utc().plus({ days: 2 }).startOf("day");
    const idempotencyKey = uniqueName("key");
    const book = () =>
      request<{ id: string }>("POST", "/api/reservations", {
        token: manager.token,
        headers: { "idempotency-key": idempotencyKey },
        json: {
          spaceId: space.body.id,
          start: day.plus({ hours: 9 }).toISO(),
          end: day.plus({ hours: 10 }).toISO(),
        },
      });
    const first = await book();
    expect(first.status).toBe(201);
    expect(first.headers.get("location")).toBe(`/api/reservations/${first.body.id}`);
    expect((await followLocation(first.headers.get("location"), manager.token)).body.id).toBe(
      first.body.id,
    );
    const retried = await book();
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(retried.headers.get("location")).toBe(first.headers.get("location"));
  });

  it("logs no warning for any of these creates", () => {
    expect(logs.at("warn", "error", "fatal")).toEqual([]);
  });
});
