/**
 * The OpenAPI 3.1 document of the REST API, generated from what the gateway really does: its
 * routes and their aliases (one operation per alias, nothing else), and each aliased action's
 * definition: `params` for the request, `auth` and `roles` for security, `openapi` for the
 * response and the errors it raises. Pure: the gateway feeds it its routes and its registry.
 *
 * A route the document cannot describe truthfully (its action unknown, not published, without
 * `openapi`, or a path parameter the action does not declare) is a programming error and throws,
 * so the drift test (test/unit/services/openapi-json.spec.ts) fails before it ships.
 */
import type { ActionSchema } from "moleculer";
import { ROLES } from "../../../lib/auth";
import { COMPONENT_SCHEMAS, type SchemaName } from "./components";
import { errorResponses, gatewayErrorTypes, type ErrorResponse } from "./error-responses";
import type { JsonSchema } from "./json-schema";
import { ref } from "./json-schema";
import { convertParams, objectSchema, type ConvertedParams } from "./params-schema";

/** The API contract's version: package.json's, kept in step by a test. */
export const API_VERSION = "0.1.0";

/** A gateway route, as in the api service's `settings.routes`. */
export interface GatewayRoute {
  path?: string;
  aliases?: Readonly<Record<string, unknown>>;
  authentication?: boolean | string;
  rateLimit?: unknown;
}

export type RoutedActions = ReadonlyMap<string, Omit<ActionSchema, "handler">>;

const METHODS = ["get", "post", "patch", "put", "delete"] as const;
type Method = (typeof METHODS)[number];
const BODY_METHODS: readonly Method[] = ["post", "patch", "put"];

export interface Alias {
  method: Method;
  /** The full path as the gateway matches it, e.g. /api/spaces/:id. */
  path: string;
  action: string;
  route: GatewayRoute;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface MediaType {
  schema: JsonSchema;
}

interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters: (Parameter | { $ref: string })[];
  requestBody?: { required: boolean; content: { "application/json": MediaType } };
  responses: Record<string, Response | ErrorResponse>;
  "x-roles"?: string[];
  "x-error-types": string[];
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  security: Record<string, string[]>[];
  tags: { name: string }[];
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; bearerFormat: string }>;
    parameters: Record<string, Parameter>;
  };
}

/** Every alias of every route, with its full path, in the order the gateway declares them. */
export function listAliases(routes: readonly GatewayRoute[]): Alias[] {
  const aliases: Alias[] = [];
  for (const route of routes) {
    for (const [key, target] of Object.entries(route.aliases ?? {})) {
      const [verb, subPath, extra] = key.trim().split(/\s+/);
      const method = verb.toLowerCase() as Method;
      if (!METHODS.includes(method) || subPath === undefined || extra !== undefined) {
        throw new Error(`Alias "${key}": write it as "<METHOD> <path>" to be documented`);
      }
      if (typeof target !== "string") {
        throw new Error(`Alias "${key}": only aliases to an action name are documented`);
      }
      const path = `${(route.path ?? "").replace(/\/$/, "")}/${subPath.replace(/^\//, "")}`;
      aliases.push({ method, path, action: target, route });
    }
  }
  return aliases;
}

/** /api/spaces/:id → /api/spaces/{id}, and the names of the path parameters. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const segments = path.split("/").map(segment => {
    if (/[{}*?()[\]+!]/.test(segment)) {
      throw new Error(`Path "${path}": optional parts and wildcards are not documented`);
    }
    if (!segment.startsWith(":")) return segment;
    params.push(segment.slice(1));
    return `{${segment.slice(1)}}`;
  });
  return { path: segments.join("/"), params };
}

function describeAccess(action: Omit<ActionSchema, "handler">): string {
  if (action.auth === "none") return "No sign-in needed.";
  if (action.roles) return `Roles: ${action.roles.join(", ")}.`;
  return "Any signed-in user.";
}

function requestParts(
  alias: Alias,
  pathParams: string[],
  params: ConvertedParams,
): Pick<Operation, "parameters" | "requestBody"> {
  const parameters: Parameter[] = [];
  const bodyFields: ConvertedParams["fields"] = {};
  for (const name of pathParams) {
    const field = params.fields[name];
    if (!field) throw new Error(`${alias.action}: path parameter '${name}' is not in its params`);
    parameters.push({ name, in: "path", required: true, schema: field.schema });
  }
  const takesBody = BODY_METHODS.includes(alias.method);
  for (const [name, field] of Object.entries(params.fields)) {
    if (pathParams.includes(name)) continue;
    if (takesBody) bodyFields[name] = field;
    else parameters.push({ name, in: "query", required: field.required, schema: field.schema });
  }
  if (Object.keys(bodyFields).length === 0) return { parameters };
  return {
    parameters,
    requestBody: {
      required: Object.values(bodyFields).some(field => field.required),
      content: {
        "application/json": { schema: objectSchema({ fields: bodyFields, strict: params.strict }) },
      },
    },
  };
}

function requiredSchema(schema: SchemaName | undefined): SchemaName {
  if (!schema) throw new Error("an operation answering JSON must name its schema");
  return schema;
}

function successResponses(action: Omit<ActionSchema, "handler">): Record<string, Response> {
  const docs = action.openapi!.response;
  const headers: Response["headers"] = {};
  if (docs.attachment || docs.csv) {
    headers["Content-Disposition"] = {
      description: docs.attachment
        ? "attachment: offered as a download."
        : "attachment, with text/csv only: offered as a download.",
      schema: { type: "string" },
    };
  }
  if (docs.status === 201) {
    // Every create says where the new resource is (lib/created.ts).
    headers.Location = {
      description: "The new resource's address, e.g. /api/reservations/{id}.",
      schema: { type: "string" },
    };
  }
  for (const [name, description] of Object.entries(docs.headers ?? {})) {
    headers[name] = { description, schema: { type: "string" } };
  }
  const content: Record<string, MediaType> = docs.text
    ? { [docs.text.mediaType]: { schema: { type: "string", description: docs.text.description } } }
    : { "application/json": { schema: ref(requiredSchema(docs.schema)) } };
  if (docs.csv) {
    content["text/csv"] = { schema: { type: "string", description: docs.csv } };
  }
  const success: Response = {
    description: docs.description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content,
  };
  const responses: Record<string, Response> = { [String(docs.status ?? 200)]: success };
  for (const [status, when] of Object.entries(docs.alsoWith ?? {})) {
    responses[status] = {
      description: when,
      content: { "application/json": { schema: ref(requiredSchema(docs.schema)) } },
    };
  }
  return responses;
}

function describeOperation(alias: Alias, actions: RoutedActions): Operation {
  const action = actions.get(alias.action);
  if (!action) throw new Error(`${alias.action}: no such action is registered`);
  if (action.visibility !== "published") {
    throw new Error(`${alias.action}: not published, so the gateway refuses to call it`);
  }
  const docs = action.openapi;
  if (!docs) throw new Error(`${alias.action}: routed but has no \`openapi\` documentation`);

  const { params: pathParams } = openApiPath(alias.path);
  const request = requestParts(alias, pathParams, convertParams(action.params, alias.action));
  const signedIn = action.auth !== "none";
  const errorTypes = [
    ...gatewayErrorTypes({
      authenticates: Boolean(alias.route.authentication),
      signedIn,
      roleLimited: Boolean(action.roles),
      rateLimited: Boolean(alias.route.rateLimit),
      takesBody: request.requestBody !== undefined,
      hasPathParams: pathParams.length > 0,
      local: alias.action.startsWith("api."),
    }),
    ...(docs.errors ?? []),
  ];
  const errors = errorResponses(errorTypes);
  const success = successResponses(action);
  const clash = Object.keys(success).find(status => status in errors);
  if (clash) throw new Error(`${alias.action}: status ${clash} is both a success and an error`);

  return {
    operationId: alias.action,
    summary: docs.summary,
    description: [docs.description, describeAccess(action)].filter(Boolean).join("\n\n"),
    tags: [alias.action.split(".")[0]],
    ...(signedIn ? {} : { security: [] }),
    parameters: [
      ...request.parameters,
      ...Object.entries(docs.requestHeaders ?? {}).map(([name, header]) => ({
        name,
        in: "header" as const,
        required: false,
        description: header.description,
        schema: { type: "string" as const, ...(header.pattern ? { pattern: header.pattern } : {}) },
      })),
      { $ref: "#/components/parameters/AcceptLanguage" },
    ],
    ...(request.requestBody ? { requestBody: request.requestBody } : {}),
    responses: { ...success, ...errors },
    ...(signedIn ? { "x-roles": [...(action.roles ?? ROLES)] } : {}),
    "x-error-types": [...new Set(errorTypes)],
  };
}

export function buildOpenApiDocument(
  routes: readonly GatewayRoute[],
  actions: RoutedActions,
): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const tags: string[] = [];
  for (const alias of listAliases(routes)) {
    const operation = describeOperation(alias, actions);
    const { path } = openApiPath(alias.path);
    const item = (paths[path] ??= {});
    if (item[alias.method])
      throw new Error(`${alias.method.toUpperCase()} ${path} is routed twice`);
    item[alias.method] = operation;
    if (!tags.includes(operation.tags[0])) tags.push(operation.tags[0]);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "MindSpaces API",
      version: API_VERSION,
      description:
        "Reserving spaces: accounts, the catalogue of spaces, reservations, notifications and " +
        "reports. Errors always have the `Error` shape; branch on `type`. Times are ISO 8601: " +
        "with an offset they are that instant, without one wall-clock time in the space's zone.",
      license: { name: "MIT", identifier: "MIT" },
    },
    security: [{ bearerAuth: [] }],
    tags: tags.map(name => ({ name })),
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      parameters: {
        AcceptLanguage: {
          name: "Accept-Language",
          in: "header",
          required: false,
          description: "The language of error messages when signed out: nl or en.",
          schema: { type: "string" },
        },
      },
    },
  };
}
