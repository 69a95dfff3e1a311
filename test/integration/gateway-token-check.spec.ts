/**
 * The gateway checks tokens itself: once it knows a user, a signed-in request makes no call to
 * `users`, and yet a deactivation, role change, locale change or erasure made on `users` holds
 * from the very next request. Run on one broker and with the gateway and `users` on separate
 * brokers over NATS; and a gateway whose `users` is down answers 503, letting nobody in.
 */
import type {
  ActionHandler,
  ActionSchema,
  Context,
  Middleware,
  Service,
  ServiceBroker,
} from "moleculer";
import { jwtSecret } from "../../lib/config";
import { ErrorType } from "../../lib/errors";
import { translate } from "../../lib/messages";
import { channelsMiddlewares } from "../../lib/channels";
import { createApiService } from "../../services/api.service";
import { createSpacesService } from "../../services/spaces.service";
import { createUsersService } from "../../services/users.service";
import { deriveSessionKey, signSessionToken } from "../../services/users/session-token";
import { httpClient, type HttpRequest } from "../support/http-client";
import { overHttp, type HttpSession } from "../support/http-sessions";
import { gatewayUrl, testBroker } from "../support/local-system";
import { deleteStreams, natsUrl, TEST_ADMIN, testConfig, uniqueName } from "../support/test-env";

const PASSWORD = "Bicycle-bridge-77";

type Session = HttpSession;

/** Counts the `users` actions a broker runs, whoever called them. */
function usersCallCounter() {
  const calls: string[] = [];
  const middleware: Middleware = {
    name: "CountUsersCalls",
    localAction(next: ActionHandler, action: ActionSchema) {
      const name = action.name ?? "";
      if (!name.startsWith("users.")) return next;
      return function (this: Service, ctx: Context) {
        calls.push(name);
        return next.call(this, ctx);
      };
    },
  };
  return { calls, middleware };
}

function natsNode(namespace: string, nodeID: string, extra: Middleware[] = []): ServiceBroker {
  return testBroker({
    namespace,
    nodeID,
    transporter: { type: "NATS", options: { servers: [natsUrl()] } },
    middlewares: [...channelsMiddlewares({ servers: [natsUrl()] }), ...extra],
  });
}

interface TokenCheckSystem {
  baseUrl: string;
  /** The `users` actions run since the system started. */
  usersCalls: string[];
  stop(): Promise<unknown>;
}

function describeTokenCheck(label: string, start: () => Promise<TokenCheckSystem>) {
  describe(`token checks in the gateway (${label})`, () => {
    const on = overHttp(start, { password: PASSWORD, prefix: "tc" });
    let system: TokenCheckSystem;
    let request: HttpRequest;
    let admin: Session;
    const register = (locale?: string) => on.registerMember(locale);
    beforeAll(() => ({ system, request, admin } = on));
    const asAdmin = (method: string, path: string, json?: unknown) =>
      request(method, path, { token: admin.token, json });

    it("makes no call to users for a signed-in request once it knows the user", async () => {
      const member = await register();
      expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(200);
      system.usersCalls.length = 0;
      for (let i = 0; i < 3; i++) {
        const res = await request("GET", "/api/spaces", { token: member.token });
        expect(res.status).toBe(200);
      }
      expect(system.usersCalls).toEqual([]);
    });

    it("refuses a deactivated user's token from the very next request, also after reactivation", async () => {
      const member = await register();
      expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(200);
      expect(
        (await asAdmin("PATCH", `/api/users/${member.user.id}`, { active: false })).status,
      ).toBe(200);
      const refused = await request("GET", "/api/spaces", { token: member.token });
      expect(refused.status).toBe(401);
      expect(
        (await asAdmin("PATCH", `/api/users/${member.user.id}`, { active: true })).status,
      ).toBe(200);
      expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(401);
    });

    it("applies a role change to the very next request, both ways", async () => {
      const member = await register();
      expect((await request("GET", "/api/users", { token: member.token })).status).toBe(403);
      await asAdmin("PATCH", `/api/users/${member.user.id}`, { role: "admin" });
      expect((await request("GET", "/api/users", { token: member.token })).status).toBe(200);
      await asAdmin("PATCH", `/api/users/${member.user.id}`, { role: "member" });
      expect((await request("GET", "/api/users", { token: member.token })).status).toBe(403);
    });

    it("answers in the locale the user just chose", async () => {
      const member = await register("nl");
      const before = await request("GET", "/api/users", { token: member.token });
      expect(before.body).toMatchObject({ message: translate(ErrorType.FORBIDDEN, "nl") });
      const changed = await request("PATCH", "/api/users/me", {
        token: member.token,
        json: { locale: "en" },
      });
      expect(changed.status).toBe(200);
      const after = await request("GET", "/api/users", { token: member.token });
      expect(after.body).toMatchObject({ message: translate(ErrorType.FORBIDDEN, "en") });
    });

    it("refuses an erased user's token from the very next request", async () => {
      const member = await register();
      expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(200);
      expect((await request("DELETE", "/api/users/me", { token: member.token })).status).toBe(200);
      expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(401);
    });
  });
}

describeTokenCheck("one broker", async () => {
  const config = testConfig();
  const counter = usersCallCounter();
  const broker = testBroker({ middlewares: [...channelsMiddlewares(null), counter.middleware] });
  broker.createService(createUsersService(config));
  broker.createService(createSpacesService(config));
  broker.createService(createApiService(config));
  await broker.start();
  return { baseUrl: gatewayUrl(broker), usersCalls: counter.calls, stop: () => broker.stop() };
});

describeTokenCheck("gateway and users on separate brokers over NATS", async () => {
  const namespace = uniqueName("ms-tokencheck");
  const config = testConfig();
  const counter = usersCallCounter();
  const usersNode = natsNode(namespace, "users-1", [counter.middleware]);
  const apiNode = natsNode(namespace, "api-1");
  usersNode.createService(createUsersService(config));
  usersNode.createService(createSpacesService(config));
  apiNode.createService(createApiService(config));
  await Promise.all([usersNode.start(), apiNode.start()]);
  await apiNode.waitForServices(["users", "spaces"], 10_000);
  return {
    baseUrl: gatewayUrl(apiNode),
    usersCalls: counter.calls,
    stop: async () => {
      await Promise.all([apiNode.stop(), usersNode.stop()]);
      await deleteStreams(namespace);
    },
  };
});

describe("a gateway started while users is down", () => {
  const namespace = uniqueName("ms-usersdown");
  const config = testConfig();
  const apiNode = natsNode(namespace, "api-1");
  const spacesNode = natsNode(namespace, "spaces-1");
  const usersNode = natsNode(namespace, "users-1");
  apiNode.createService(createApiService(config));
  spacesNode.createService(createSpacesService(config));
  usersNode.createService(createUsersService(config));

  afterAll(async () => {
    await Promise.all([apiNode.stop(), spacesNode.stop(), usersNode.stop()]);
    await deleteStreams(namespace);
  });

  it("answers 503 to signed-in requests, lets nobody in, and recovers when users comes", async () => {
    await Promise.all([apiNode.start(), spacesNode.start()]);
    await apiNode.waitForServices(["spaces"], 10_000);
    const request = httpClient(gatewayUrl(apiNode));
    // Correctly signed, for an id users has never issued: only users can tell.
    const forged = signSessionToken(
      { sub: "000000000000000000000000", ver: 0 },
      deriveSessionKey(jwtSecret()),
      "1h",
    );
    const down = await request("GET", "/api/spaces", { token: forged });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ type: "SERVICE_UNAVAILABLE", data: { service: "users" } });
    expect(down.headers.get("retry-after")).toBe("5");

    await usersNode.start();
    await apiNode.waitForServices(["users"], 10_000);
    expect((await request("GET", "/api/spaces", { token: forged })).status).toBe(401);
    const login = await request<Session>("POST", "/api/auth/login", { json: TEST_ADMIN });
    expect(login.status).toBe(200);
    const res = await request("GET", "/api/spaces", { token: login.body.token });
    expect(res.status).toBe(200);
  });
});

describe("a gateway that may have missed a broadcast", () => {
  it("forgets what it knew and asks users again when its transporter reconnects or a node leaves", async () => {
    const config = testConfig();
    const broker = testBroker();
    broker.createService(createUsersService(config));
    broker.createService(createSpacesService(config));
    broker.createService(createApiService(config));
    await broker.start();
    try {
      const request = httpClient(gatewayUrl(broker));
      const users = broker.getLocalService("users") as unknown as {
        adapter: { updateById(id: string, update: object): Promise<unknown> };
      };
      for (const [event, payload] of [
        ["$transporter.connected", { wasReconnect: true }],
        ["$node.disconnected", { node: { id: "users-2" }, unexpected: true }],
      ] as const) {
        const login = await request<Session>("POST", "/api/auth/login", { json: TEST_ADMIN });
        const res = await request<Session>("POST", "/api/auth/register", {
          json: { email: `${uniqueName("missed")}@example.org`, password: PASSWORD, name: "M" },
        });
        expect(login.status).toBe(200);
        const member = res.body;
        expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(200);
        // A deactivation whose broadcast never arrived: written behind the service's back.
        await users.adapter.updateById(member.user.id, {
          $set: { active: false, tokenVersion: 1 },
        });
        expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(200);
        await broker.broadcastLocal(event, payload);
        expect((await request("GET", "/api/spaces", { token: member.token })).status).toBe(401);
      }
    } finally {
      await broker.stop();
    }
  });
});
