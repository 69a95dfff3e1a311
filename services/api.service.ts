/**
 * api: the gateway, and the only listener on a network port. Routes are explicit aliases; no
 * action is reachable over HTTP unless it is listed here AND declares `visibility: "published"`.
 * Authentication (bearer JWT, checked here with `users`' public key against the gateway's copy of
 * each user's auth state, services/api/session-check.ts) and role authorisation happen here, in
 * one place, from the `auth` and `roles` metadata each action declares.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { ActionSchema, Context, Service, ServiceSchema } from "moleculer";
import ApiGateway, { type ApiSettingsSchema } from "moleculer-web";
import { loadConfig, type AppConfig, type Locale } from "../lib/config";
import type { AuthMeta, AuthUser } from "../lib/auth";
import { ErrorType, fail, failValidation } from "../lib/errors";
import { localeFromAcceptLanguage, translate } from "../lib/messages";
import { createDocsRoute } from "./api/docs/route";
import { toClientError } from "./api/error-response";
import { openapiAction } from "./api/openapi/openapi-action";
import { findNull, findOperatorKey } from "./api/operator-guard";
import { withSecurityHeaders } from "./api/security-headers";
import { createGatewayServer } from "./api/http-server";
import { clientAddress } from "./api/client-address";
import { jsonBodyReader } from "./api/json-body";
import { dropUnsafeRequestIds } from "./api/request-id";
import { allowOrigin, answerOptions } from "./api/preflight";
import { createWebClient } from "./api/web-client";
import { healthActions } from "./api/health";
import { missingService, registryView, unavailable } from "./api/unavailable";
import { createSessionKeyRing, runsUsers, type NodeInfo } from "./api/session-keys";
import { createAuthStates } from "./api/auth-states";
import { createVerifiedTokens } from "./api/verified-tokens";
import { resolveCaller, type SessionCheckDeps } from "./api/session-check";
import type { SessionPublicKey } from "../lib/session-token";
import {
  UserAuthEvent,
  type UserAuthChange,
  type UserAuthState,
} from "../lib/events/user-auth-events";

interface GatewayRequest extends IncomingMessage {
  body?: unknown;
  $action?: ActionSchema;
  $params?: Record<string, unknown>;
  $alias?: { action?: string };
  $ctx?: Context<unknown, AuthMeta>;
  socket: IncomingMessage["socket"];
}

type GatewayMeta = AuthMeta & { idempotencyKey?: string | string[]; accept?: string };

type GatewayThis = Service & {
  authenticate(
    ctx: Context<unknown, AuthMeta>,
    route: unknown,
    req: GatewayRequest,
  ): Promise<AuthUser | null>;
  authorize(ctx: Context<unknown, AuthMeta>, route: unknown, req: GatewayRequest): void;
} & SessionCheckHolder;

/** The gateway's token check state, built once in `created`. */
type SessionCheckHolder = Service & { sessionCheck: SessionCheckDeps };

/** Longer than any token `users` issues; refused here, before it travels to another node. */
const MAX_TOKEN_LENGTH = 4096;

function beforeCall(ctx: Context<unknown, GatewayMeta>, _route: unknown, req: GatewayRequest) {
  // The body is checked apart from the merged parameters: merging a body's `__proto__` key makes
  // it their prototype, where its keys would be invisible.
  const key = findOperatorKey(req.body) ?? findOperatorKey(req.$params);
  if (key) {
    fail(ErrorType.OPERATOR_NOT_ALLOWED, { field: key });
  }
  // After the operator check, which also bounds how deep this one goes.
  const nullField = findNull(req.body);
  if (nullField !== null) {
    failValidation(
      nullField,
      "notNull",
      `The '${nullField}' field may not be null: leave it out instead.`,
    );
  }
  // Header, not body: a retry must send the same body, and the key is about the request.
  const idempotencyKey = req.headers["idempotency-key"];
  if (idempotencyKey !== undefined) ctx.meta.idempotencyKey = idempotencyKey;
  // Content negotiation (reports in CSV) is the action's to decide.
  if (typeof req.headers.accept === "string") ctx.meta.accept = req.headers.accept;
}

/**
 * Seconds until a rate limit lets the client in again: until the window moleculer-web's limiter
 * reports (`X-Rate-Limit-Reset`, epoch ms), else a short wait.
 */
function retryAfterLimit(res: ServerResponse): number {
  const reset = Number(res.getHeader("X-Rate-Limit-Reset"));
  if (!Number.isFinite(reset) || reset <= 0) return 5;
  return Math.min(60, Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
}

function callerLocale(req: GatewayRequest, config: AppConfig): Locale {
  return (
    req.$ctx?.meta.user?.locale ??
    localeFromAcceptLanguage(req.headers["accept-language"]) ??
    config.defaultLocale
  );
}

export function createApiService(config: AppConfig): ServiceSchema<ApiSettingsSchema> {
  const routeDefaults = {
    mappingPolicy: "restrict" as const,
    autoAliases: false,
    bodyParsers: false,
    use: [jsonBodyReader(config.bodyLimit)],
    onBeforeCall: beforeCall,
    // Below debug the request lines are not written; skip formatting them for every request too.
    logging: ["debug", "trace"].includes(config.logLevel),
  };

  const authAliases: Record<string, string> = {
    "POST register": "users.register",
    "POST login": "users.login",
  };
  const restAliases: Record<string, string> = {
    "GET health": "api.health",
    "GET ready": "api.ready",
    "GET openapi.json": "api.openapi",
    "GET users/me": "users.me",
    "PATCH users/me": "users.updateMe",
    "GET users/me/export": "users.exportMe",
    "DELETE users/me": "users.eraseMe",
    "POST users/me/password": "users.changePassword",
    "POST users/me/sign-out": "users.endSessions",
    "GET users": "users.list",
    "GET users/names": "users.names",
    "PATCH users/:id": "users.update",
    "DELETE users/:id": "users.erase",
    "GET spaces": "spaces.search",
    "GET spaces/facets": "spaces.facets",
    "POST spaces": "spaces.create",
    "GET spaces/:id": "spaces.get",
    "PATCH spaces/:id": "spaces.update",
    "DELETE spaces/:id": "spaces.deactivate",
    "GET spaces/:id/availability": "reservations.availability",
    "GET reservations": "reservations.list",
    "POST reservations": "reservations.create",
    "GET reservations/:id": "reservations.get",
    "GET reservations/:id/calendar": "reservations.calendar",
    "PATCH reservations/:id": "reservations.reschedule",
    "DELETE reservations/:id": "reservations.cancel",
    "GET reports/utilization": "reports.utilization",
    "GET notifications": "notifications.list",
    "POST notifications/read": "notifications.markAllRead",
    "POST notifications/:id/read": "notifications.markRead",
  };

  const webClient = createWebClient();

  const routes = [
    createDocsRoute(),
    {
      ...routeDefaults,
      name: "auth",
      path: "/api/auth",
      authentication: false,
      authorization: false,
      rateLimit: {
        window: 60_000,
        limit: config.authRateLimitPerMinute,
        headers: true,
        key: (req: IncomingMessage) => clientAddress(req, config.trustProxy),
      },
      aliases: authAliases,
    },
    {
      ...routeDefaults,
      name: "rest",
      path: "/api",
      authentication: true,
      authorization: true,
      aliases: restAliases,
    },
  ];

  // Readiness: whether each service the aliases lead to has a live instance.
  const routedServices = [
    ...new Set(
      Object.values({ ...authAliases, ...restAliases }).map(action => action.split(".")[0]),
    ),
  ].filter(name => name !== "api");

  return {
    name: "api",
    mixins: [ApiGateway as unknown as Partial<ServiceSchema>],

    settings: {
      port: config.port,
      ip: config.host,
      requestTimeout: config.httpRequestTimeoutMs,
      // One line per request and response only with LOG_LEVEL=debug: at info they were three
      // lines a request, a cost on every call and noise that hid the lines that matter.
      logRequest: "debug",
      logResponse: "debug",
      // Never log request params or response bodies: they carry passwords and personal data.
      logRequestParams: null,
      logResponseData: null,
      // No `cors`: the gateway answers CORS itself (services/api/preflight.ts says why).

      routes,

      onError(this: Service, req: GatewayRequest, res: ServerResponse, err: unknown) {
        const missing = missingService(err, req.$alias?.action, registryView(this.broker));
        const described = missing ? unavailable(missing) : toClientError(err);
        if (described.internal) {
          this.logger.error("Request failed", { method: req.method, url: req.url }, err);
        } else if (described.storeDown) {
          // Only the driver's words: the error carries no request data.
          const reason = (err as { message?: unknown }).message;
          this.logger.warn("Database unavailable", { method: req.method, url: req.url }, reason);
        }
        const body = {
          name: described.internal ? "InternalError" : "MindSpacesError",
          message: translate(described.type, callerLocale(req, config)),
          code: described.code,
          type: described.type,
          data: described.data ?? null,
        };
        if (described.code === 503) res.setHeader("Retry-After", "5");
        if (described.code === 429) res.setHeader("Retry-After", String(retryAfterLimit(res)));
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.writeHead(described.code);
        res.end(JSON.stringify(body));
      },
    },

    actions: {
      // moleculer-web's own entry action holds every HTTP request while its body is read. The
      // bulkhead belongs on the services the gateway calls; here, 20 unfinished uploads would
      // fill it and make every other request wait.
      rest: { bulkhead: { enabled: false } },

      // GET /api/health (liveness) and GET /api/ready (readiness): services/api/health.ts.
      ...healthActions(routedServices),

      openapi: openapiAction,
    },

    methods: {
      // Replaces moleculer-web's, which creates a server with Node's lenient timeouts.
      createServer(this: Service & { server?: unknown; httpHandler: RequestListener }) {
        this.server = createGatewayServer(config, this.httpHandler);
      },

      /**
       * Wraps moleculer-web's entry point: every response, even a 404, gets the headers; unsafe
       * request ids are dropped; OPTIONS is answered here and never reaches a route, because
       * moleculer-web would run the action named by Access-Control-Request-Method.
       */
      httpHandler(
        this: Service,
        req: IncomingMessage,
        res: ServerResponse,
        next?: (err?: unknown) => void,
      ) {
        const handle = (ApiGateway as unknown as ServiceSchema).methods!.httpHandler;
        withSecurityHeaders(req, res, () => {
          dropUnsafeRequestIds(req);
          if (req.method === "OPTIONS") return answerOptions(config.corsOrigins, req, res);
          allowOrigin(config.corsOrigins, req, res);
          if (!webClient.serve(req, res, this.broker)) handle.call(this, req, res, next);
        });
      },

      async authenticate(
        this: GatewayThis,
        _ctx: Context<unknown, AuthMeta>,
        _route: unknown,
        req: GatewayRequest,
      ) {
        const header = req.headers.authorization;
        if (!header) return null;
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match || match[1].length > MAX_TOKEN_LENGTH) fail(ErrorType.TOKEN_INVALID);
        return resolveCaller(match[1], this.sessionCheck);
      },

      authorize(
        this: GatewayThis,
        ctx: Context<unknown, AuthMeta>,
        _route: unknown,
        req: GatewayRequest,
      ) {
        const action = req.$action;
        if (!action || action.auth === "none") return;
        const user = ctx.meta.user;
        if (!user) fail(ErrorType.UNAUTHENTICATED);
        if (action.roles && !action.roles.includes(user.role)) fail(ErrorType.FORBIDDEN);
      },
    },

    events: {
      [UserAuthEvent.CHANGED]: {
        handler(this: SessionCheckHolder, ctx: Context<UserAuthChange>) {
          this.sessionCheck.states.apply(ctx.params);
        },
      },
      // Each of these may mean a missed `user.authChanged`: this node was cut off, or a node
      // (perhaps a `users` that changed someone meanwhile) left or came back. Ask again.
      "$transporter.connected"(this: SessionCheckHolder) {
        this.sessionCheck.states.clear();
      },
      // A `users` joining may sign with a rotated secret: fetch the keys again. Only then: other
      // nodes come and go all the time (scaling, restarts), and the keys cannot change with them.
      "$node.connected"(this: SessionCheckHolder, ctx: Context<{ node?: NodeInfo }>) {
        this.sessionCheck.states.clear();
        if (runsUsers(ctx.params.node)) this.sessionCheck.keys.clear();
      },
      "$node.disconnected"(this: SessionCheckHolder) {
        this.sessionCheck.states.clear();
      },
    },

    created(this: Service & Partial<SessionCheckHolder>) {
      // `users` unreachable makes these calls fail with SERVICE_NOT_FOUND/NOT_AVAILABLE, which
      // onError answers with 503: nobody is let in on a guess.
      this.sessionCheck = {
        keys: createSessionKeyRing({
          fetchKeys: () => this.broker.call<{ keys: SessionPublicKey[] }>("users.sessionKeys"),
        }),
        states: createAuthStates({
          fetchState: id =>
            this.broker.call<UserAuthState | null, { id: string }>("users.authState", { id }),
        }),
        verified: createVerifiedTokens(),
      };
    },
  };
}

export default createApiService(loadConfig());
