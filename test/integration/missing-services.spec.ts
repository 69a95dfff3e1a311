/**
 * A route whose service has no live instance answers 503 SERVICE_UNAVAILABLE with Retry-After
 * and names the missing service (`data.service`), whether the gateway finds no instance for the
 * route's action, the token check finds no `users`, or a service behind the gateway finds none of
 * a service it calls. Real gateways on NATS, each in a namespace of its own, so no other node of
 * this or another run is seen.
 */
import type { ServiceBroker } from "moleculer";
import { createApiService } from "../../services/api.service";
import { createSpacesService } from "../../services/spaces.service";
import { createUsersService } from "../../services/users.service";
import { signInAdmin } from "../support/accounts";
import { httpClient, type HttpRequest } from "../support/http-client";
import { gatewayUrl, natsBroker } from "../support/local-system";
import { deleteStreams, testConfig, uniqueName } from "../support/test-env";

interface Started {
  request: HttpRequest;
  stop(): Promise<void>;
}

/** A gateway node and, optionally, one node with `services`, in a fresh namespace. */
async function startCluster(
  services: ((broker: ServiceBroker) => void) | null,
  waitFor: string[] = [],
): Promise<Started> {
  const namespace = uniqueName("ms-missing");
  const config = testConfig();
  const gateway = natsBroker(namespace, "api-1");
  gateway.createService(createApiService(config));
  const brokers = [gateway];
  if (services) {
    const other = natsBroker(namespace, "services-1");
    services(other);
    brokers.push(other);
  }
  await Promise.all(brokers.map(broker => broker.start()));
  if (waitFor.length) await gateway.waitForServices(waitFor, 10_000);
  return {
    request: httpClient(gatewayUrl(gateway)),
    stop: async () => {
      await Promise.all(brokers.map(broker => broker.stop()));
      await deleteStreams(namespace);
    },
  };
}

function expectUnavailable(
  res: { status: number; headers: Headers; body: Record<string, unknown> },
  service: string,
) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(res.body).toMatchObject({
    name: "MindSpacesError",
    code: 503,
    type: "SERVICE_UNAVAILABLE",
    data: { service },
  });
}

describe("a gateway with no other node", () => {
  let system: Started;

  beforeAll(async () => {
    system = await startCluster(null);
  });
  afterAll(() => system?.stop());

  it.each([
    ["GET", "/api/reservations", "reservations"],
    ["POST", "/api/reservations", "reservations"],
    ["GET", "/api/spaces", "spaces"],
    ["GET", "/api/spaces/abc/availability", "reservations"],
    ["GET", "/api/users/me", "users"],
    ["GET", "/api/reports/utilization", "reports"],
    ["POST", "/api/notifications/read", "notifications"],
    ["POST", "/api/auth/login", "users"],
  ])("answers %s %s with 503 naming %s", async (method, path, service) => {
    const res = await system.request(method, path, {
      json: method === "POST" ? {} : undefined,
      // A token cannot be checked either, but the missing service of the route is named first.
      token: path.startsWith("/api/auth") ? undefined : "some.bearer.token",
    });
    expectUnavailable(res, service);
  });

  it("says so in the caller's language", async () => {
    const nl = await system.request("GET", "/api/spaces", { headers: { "accept-language": "nl" } });
    expect(nl.body.message).toBe(
      "Dit deel van MindSpaces is tijdelijk niet beschikbaar. Probeer het zo opnieuw.",
    );
    const en = await system.request("GET", "/api/spaces", { headers: { "accept-language": "en" } });
    expect(en.body.message).toBe(
      "This part of MindSpaces is temporarily unavailable. Please try again in a moment.",
    );
  });

  it("still answers 404 for a path that is no route", async () => {
    const nowhere = await system.request("GET", "/api/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.body).toMatchObject({ type: "NOT_FOUND" });
  });

  it("is alive (GET /api/health 200) but not ready (GET /api/ready 503)", async () => {
    const health = await system.request("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok", ready: false });
    const ready = await system.request("GET", "/api/ready");
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: "ok", ready: false });
  });
});

describe("a gateway whose services are there but users is not", () => {
  it("answers a signed-in request 503 naming users, the token check's service", async () => {
    const config = testConfig();
    const system = await startCluster(
      broker => broker.createService(createSpacesService(config)),
      ["spaces"],
    );
    try {
      expect((await system.request("GET", "/api/ready")).status).toBe(503);
      const anonymous = await system.request("GET", "/api/spaces");
      expect(anonymous.status).toBe(401);
      const signedIn = await system.request("GET", "/api/spaces", { token: "some.bearer.token" });
      expectUnavailable(signedIn, "users");
    } finally {
      await system.stop();
    }
  });
});

describe("a service whose dependency is missing", () => {
  it("answers 503 naming the service the other one called (spaces → reservations)", async () => {
    const config = testConfig();
    const system = await startCluster(
      broker => {
        broker.createService(createUsersService(config));
        broker.createService(createSpacesService(config));
      },
      ["users", "spaces"],
    );
    try {
      const admin = await signInAdmin(system.request);
      const ready = await system.request("GET", "/api/ready", { token: admin.token });
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: "ok",
        ready: false,
        services: { users: true, spaces: true, reservations: false, reports: false },
      });
      const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      const plain = await system.request("GET", "/api/spaces", { token: admin.token });
      expect(plain.status).toBe(200);
      // "Free during" asks reservations.busySpaces, which has no instance.
      const freeDuring = await system.request(
        "GET",
        `/api/spaces?from=${day}T10:00:00Z&to=${day}T11:00:00Z`,
        { token: admin.token },
      );
      expectUnavailable(freeDuring, "reservations");
    } finally {
      await system.stop();
    }
  });
});
