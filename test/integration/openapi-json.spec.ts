/**
 * GET /api/openapi.json through the real gateway, all services in one process: the document is
 * valid OpenAPI 3.1 and has exactly one operation per gateway alias (the drift test: a route
 * added without its documentation fails here).
 */
import { ServiceBroker } from "moleculer";
import { createApiService } from "../../services/api.service";
import { httpClient, type HttpRequest } from "../support/http-client";
import { gatewayUrl, startSingleNode, testBroker } from "../support/local-system";
import { validateOpenApi } from "../support/openapi-validator";
import { testConfig } from "../support/test-env";

interface DocumentOperation {
  operationId: string;
  security?: unknown[];
  "x-roles"?: string[];
  responses: Record<string, unknown>;
}
interface Document {
  paths: Record<string, Record<string, DocumentOperation>>;
}
interface GatewayAlias {
  actionName: string;
  fullPath: string;
  methods: string;
}

let system: Awaited<ReturnType<typeof startSingleNode>>;
let request: HttpRequest;

beforeAll(async () => {
  system = await startSingleNode(testConfig());
  request = httpClient(system.baseUrl);
});

afterAll(() => system.stop());

describe("GET /api/openapi.json", () => {
  it("answers a valid OpenAPI 3.1 document, without signing in", async () => {
    const res = await request<Document & { openapi: string }>("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    const check = await validateOpenApi(res.body);
    expect(check.errors).toBeUndefined();
    expect(check.valid).toBe(true);
  });

  it("has exactly one operation for each of the gateway's aliases, and no other", async () => {
    const aliases = await system.broker.call<GatewayAlias[]>("api.listAliases");
    const routed = aliases.map(
      alias =>
        `${alias.methods.toLowerCase()} ${alias.fullPath.replace(/:(\w+)/g, "{$1}")} ${alias.actionName}`,
    );
    const document = (await request<Document>("GET", "/api/openapi.json")).body;
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => `${method} ${path} ${op.operationId}`),
    );
    expect(routed.length).toBeGreaterThan(20);
    expect(new Set(routed).size).toBe(routed.length);
    expect(documented.sort()).toEqual(routed.sort());
  });

  it("is built from action definitions that reach other nodes unchanged", async () => {
    // In a cluster the gateway sees remote actions as JSON, so a RegExp or a function in
    // `params` would be lost there and the document would differ by deployment.
    const routed = new Set(
      (await system.broker.call<GatewayAlias[]>("api.listAliases")).map(a => a.actionName),
    );
    const definitions = system.broker.registry
      .getActionList({})
      .filter(item => routed.has(item.name))
      .map(({ name, action }) => ({
        name,
        params: action?.params,
        auth: action?.auth,
        roles: action?.roles,
        openapi: action?.openapi,
      }));
    expect(definitions).toHaveLength(routed.size);
    expect(JSON.parse(JSON.stringify(definitions))).toEqual(definitions);
  });

  it("says who may call each operation, as the gateway checks it", async () => {
    const { paths } = (await request<Document>("GET", "/api/openapi.json")).body;
    expect(paths["/api/auth/login"].post.security).toEqual([]);
    expect(paths["/api/health"].get.security).toEqual([]);
    expect(paths["/api/users"].get["x-roles"]).toEqual(["admin"]);
    expect(paths["/api/spaces"].post["x-roles"]).toEqual(["manager", "admin"]);
    expect(paths["/api/reservations"].post.security).toBeUndefined();
    expect(Object.keys(paths["/api/reservations"].post.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "404", "409", "422", "503"]),
    );
  });

  it("refuses parameters it does not take (400)", async () => {
    const res = await request("GET", "/api/openapi.json?format=yaml");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "VALIDATION_ERROR" });
  });
});

describe("GET /api/openapi.json before every service has joined", () => {
  it("answers 503, since the routes of a missing service cannot be described", async () => {
    const broker: ServiceBroker = testBroker();
    broker.createService(createApiService(testConfig()));
    await broker.start();
    try {
      const res = await httpClient(gatewayUrl(broker))("GET", "/api/openapi.json");
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: "SERVICE_UNAVAILABLE" });
      expect(res.headers.get("retry-after")).toBe("5");
    } finally {
      await broker.stop();
    }
  });
});
