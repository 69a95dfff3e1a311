import { readFileSync } from "node:fs";
import path from "node:path";
import type { ActionSchema } from "moleculer";
import {
  API_VERSION,
  buildOpenApiDocument,
  openApiPath,
  type GatewayRoute,
  type RoutedActions,
} from "../../../../../services/api/openapi/document";

const idParam = { type: "string", min: 1, max: 64 };

const actions = (entries: Record<string, Omit<ActionSchema, "handler">>): RoutedActions =>
  new Map(Object.entries(entries));

const shelf: Record<string, Omit<ActionSchema, "handler">> = {
  "books.get": {
    visibility: "published",
    params: { id: idParam, $$strict: true },
    openapi: {
      summary: "One book",
      response: { schema: "Space", description: "The book." },
      errors: ["SPACE_NOT_FOUND"],
    },
  },
  "books.search": {
    visibility: "published",
    params: {
      site: { type: "string", optional: true },
      page: { type: "number", integer: true, default: 1, convert: true },
      $$strict: true,
    },
    openapi: { summary: "Find books", response: { schema: "SpacePage", description: "A page." } },
  },
  "books.create": {
    visibility: "published",
    roles: ["manager", "admin"],
    params: {
      name: { type: "string", min: 1 },
      note: { type: "string", optional: true },
      $$strict: true,
    },
    openapi: {
      summary: "Add a book",
      response: { status: 201, schema: "Space", description: "The new book." },
      requestHeaders: { "Idempotency-Key": { description: "Retry safely.", pattern: "^\\S+$" } },
    },
  },
  "books.report": {
    visibility: "published",
    roles: ["admin"],
    params: { $$strict: true },
    openapi: {
      summary: "Report",
      response: { schema: "Utilization", description: "Figures.", csv: "One row per book." },
    },
  },
  "books.enter": {
    visibility: "published",
    auth: "none",
    params: { email: { type: "email" }, $$strict: true },
    openapi: {
      summary: "Sign in",
      response: { schema: "Session", description: "Signed in." },
      errors: ["INVALID_CREDENTIALS"],
    },
  },
  "api.health": {
    visibility: "published",
    auth: "none",
    params: { $$strict: true },
    openapi: {
      summary: "Health",
      response: { schema: "Health", description: "Up.", alsoWith: { 503: "Down." } },
    },
  },
};

const routes: GatewayRoute[] = [
  { path: "/api/docs", aliases: {} },
  {
    path: "/api/auth",
    authentication: false,
    rateLimit: { limit: 10 },
    aliases: { "POST enter": "books.enter" },
  },
  {
    path: "/api",
    authentication: true,
    aliases: {
      "GET health": "api.health",
      "GET books": "books.search",
      "POST books": "books.create",
      "GET books/report": "books.report",
      "GET books/:id": "books.get",
    },
  },
];

const document = buildOpenApiDocument(routes, actions(shelf));
const operation = (method: "get" | "post", at: string) => document.paths[at][method]!;

describe("the API document", () => {
  it("has one operation per alias, at its full path, and nothing else", () => {
    expect(
      Object.entries(document.paths).flatMap(([at, item]) =>
        Object.entries(item).map(([method, op]) => `${method} ${at} ${op.operationId}`),
      ),
    ).toEqual([
      "post /api/auth/enter books.enter",
      "get /api/health api.health",
      "get /api/books books.search",
      "post /api/books books.create",
      "get /api/books/report books.report",
      "get /api/books/{id} books.get",
    ]);
    expect(document.tags).toEqual([{ name: "books" }, { name: "api" }]);
  });

  it("turns path parameters into {name} and takes their schema from params", () => {
    expect(operation("get", "/api/books/{id}").parameters[0]).toEqual({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string", minLength: 1, maxLength: 64 },
    });
    expect(openApiPath("/api/spaces/:id/availability")).toEqual({
      path: "/api/spaces/{id}/availability",
      params: ["id"],
    });
    expect(() => openApiPath("/api/spaces{/:floor}")).toThrow("optional parts");
  });

  it("reads GET parameters from the query and POST parameters from a JSON body", () => {
    expect(operation("get", "/api/books").parameters).toEqual([
      { name: "site", in: "query", required: false, schema: { type: "string" } },
      { name: "page", in: "query", required: false, schema: { type: "integer", default: 1 } },
      { $ref: "#/components/parameters/AcceptLanguage" },
    ]);
    expect(operation("get", "/api/books").requestBody).toBeUndefined();
    expect(operation("post", "/api/books").requestBody).toEqual({
      required: true,
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: { name: { type: "string", minLength: 1 }, note: { type: "string" } },
            required: ["name"],
            additionalProperties: false,
          },
        },
      },
    });
    expect(operation("post", "/api/books").parameters).toContainEqual({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description: "Retry safely.",
      schema: { type: "string", pattern: "^\\S+$" },
    });
  });

  it("needs the bearer token unless the action says auth: none, and names the roles", () => {
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    expect(operation("post", "/api/auth/enter").security).toEqual([]);
    expect(operation("post", "/api/auth/enter")["x-roles"]).toBeUndefined();
    expect(operation("post", "/api/auth/enter").description).toContain("No sign-in needed.");
    const create = operation("post", "/api/books");
    expect(create.security).toBeUndefined();
    expect(create["x-roles"]).toEqual(["manager", "admin"]);
    expect(create.description).toContain("Roles: manager, admin.");
    expect(operation("get", "/api/books")["x-roles"]).toEqual(["admin", "manager", "member"]);
    expect(operation("get", "/api/books").description).toContain("Any signed-in user.");
  });

  it("lists the errors each operation can answer, from the gateway and the action", () => {
    const errorTypes = (method: "get" | "post", at: string) =>
      operation(method, at)["x-error-types"];
    expect(errorTypes("get", "/api/books/{id}")).toEqual([
      "VALIDATION_ERROR",
      "OPERATOR_NOT_ALLOWED",
      "MALFORMED_URL",
      "TOKEN_INVALID",
      "TOKEN_EXPIRED",
      "ACCOUNT_DEACTIVATED",
      "UNAUTHENTICATED",
      "SERVICE_UNAVAILABLE",
      "INTERNAL_ERROR",
      "SPACE_NOT_FOUND",
    ]);
    expect(errorTypes("post", "/api/books")).toEqual(
      expect.arrayContaining(["MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "FORBIDDEN"]),
    );
    // The auth route does not read tokens, but it is rate limited.
    expect(errorTypes("post", "/api/auth/enter")).toEqual(
      expect.arrayContaining(["RATE_LIMITED", "INVALID_CREDENTIALS"]),
    );
    expect(errorTypes("post", "/api/auth/enter")).not.toContain("TOKEN_INVALID");
    expect(errorTypes("post", "/api/auth/enter")).not.toContain("UNAUTHENTICATED");
    // The gateway's own actions run where it does: no other service can be missing.
    expect(errorTypes("get", "/api/health")).not.toContain("SERVICE_UNAVAILABLE");
  });

  it("answers errors per status with the Error body, its type narrowed to that status's", () => {
    const responses = operation("get", "/api/books/{id}").responses;
    expect(Object.keys(responses)).toEqual(["200", "400", "401", "404", "500", "503"]);
    expect(responses["404"]).toEqual({
      description: "SPACE_NOT_FOUND",
      content: {
        "application/json": {
          schema: {
            allOf: [
              { $ref: "#/components/schemas/Error" },
              {
                type: "object",
                properties: { type: { type: "string", enum: ["SPACE_NOT_FOUND"] } },
              },
            ],
          },
        },
      },
    });
    expect(responses["503"]).toMatchObject({ headers: { "Retry-After": expect.anything() } });
  });

  it("describes the success: status, schema, CSV and other statuses with the same body", () => {
    expect(operation("post", "/api/books").responses["201"]).toEqual({
      description: "The new book.",
      headers: { Location: { description: expect.any(String), schema: { type: "string" } } },
      content: { "application/json": { schema: { $ref: "#/components/schemas/Space" } } },
    });
    const report = operation("get", "/api/books/report").responses["200"];
    expect(report).toMatchObject({
      headers: { "Content-Disposition": expect.anything() },
      content: {
        "application/json": { schema: { $ref: "#/components/schemas/Utilization" } },
        "text/csv": { schema: { type: "string", description: "One row per book." } },
      },
    });
    expect(operation("get", "/api/health").responses["503"]).toEqual({
      description: "Down.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Health" } } },
    });
  });

  it("carries the hand-written components and the API version of package.json", () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Error", "Reservation", "Space", "User", "Page", "Availability"]),
    );
    const pkg = JSON.parse(
      readFileSync(path.join(__dirname, "../../../../../package.json"), "utf8"),
    );
    expect(document.info.version).toBe(pkg.version);
    expect(API_VERSION).toBe(pkg.version);
  });
});

describe("a route the document cannot describe truthfully", () => {
  const build = (aliases: Record<string, unknown>, known = shelf) =>
    buildOpenApiDocument([{ path: "/api", authentication: true, aliases }], actions(known));

  it("fails when its action has no documentation, so a new route cannot ship without it", () => {
    const undocumented = { ...shelf, "books.lend": { visibility: "published" as const } };
    expect(() => build({ "POST books/:id/lend": "books.lend" }, undocumented)).toThrow(
      "books.lend: routed but has no `openapi` documentation",
    );
  });

  it("fails when its action is unknown or not published", () => {
    expect(() => build({ "GET books/x": "books.nothing" })).toThrow("no such action");
    const internal = {
      ...shelf,
      "books.count": { ...shelf["books.search"], visibility: "public" as const },
    };
    expect(() => build({ "GET books/count": "books.count" }, internal)).toThrow("not published");
  });

  it("fails on a path parameter the action does not take, or one path routed twice", () => {
    expect(() => build({ "GET shelves/:shelf/books": "books.search" })).toThrow(
      "path parameter 'shelf' is not in its params",
    );
    expect(() => build({ "GET books": "books.search", "GET  books": "books.search" })).toThrow(
      "GET /api/books is routed twice",
    );
  });

  it("fails on aliases it cannot read", () => {
    expect(() => build({ books: "books.search" })).toThrow('write it as "<METHOD> <path>"');
    expect(() => build({ "GET books": () => undefined })).toThrow("only aliases to an action name");
  });
});
