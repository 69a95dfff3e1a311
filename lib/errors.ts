/**
 * One error vocabulary for the whole system. Clients branch on `type`, which never changes once
 * published; the type decides the HTTP status (`code`, ERROR_STATUS below) and the words
 * (lib/messages.ts: English in `message`, translated at the gateway). `data` never carries
 * secrets or other people's personal data.
 */
import { Errors } from "moleculer";
import { translate } from "./messages";

export const ErrorType = {
  VALIDATION_ERROR: "VALIDATION_ERROR",
  MALFORMED_JSON: "MALFORMED_JSON",
  MALFORMED_BODY: "MALFORMED_BODY",
  MALFORMED_URL: "MALFORMED_URL",
  TOO_DEEPLY_NESTED: "TOO_DEEPLY_NESTED",
  OPERATOR_NOT_ALLOWED: "OPERATOR_NOT_ALLOWED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  TOKEN_INVALID: "TOKEN_INVALID",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  ACCOUNT_DEACTIVATED: "ACCOUNT_DEACTIVATED",
  FORBIDDEN: "FORBIDDEN",
  REGISTRATION_CLOSED: "REGISTRATION_CLOSED",
  NOT_FOUND: "NOT_FOUND",
  USER_NOT_FOUND: "USER_NOT_FOUND",
  SPACE_NOT_FOUND: "SPACE_NOT_FOUND",
  RESERVATION_NOT_FOUND: "RESERVATION_NOT_FOUND",
  NOTIFICATION_NOT_FOUND: "NOTIFICATION_NOT_FOUND",
  RESERVATION_CONFLICT: "RESERVATION_CONFLICT",
  RESERVATION_CANCELLED: "RESERVATION_CANCELLED",
  RESERVATION_ENDED: "RESERVATION_ENDED",
  CONCURRENT_UPDATE: "CONCURRENT_UPDATE",
  SPACE_HAS_RESERVATIONS: "SPACE_HAS_RESERVATIONS",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  REQUEST_IN_PROGRESS: "REQUEST_IN_PROGRESS",
  INVALID_WINDOW: "INVALID_WINDOW",
  WINDOW_TOO_LARGE: "WINDOW_TOO_LARGE",
  // Booking rules (services/reservations/booking-rules.ts, RULE_VIOLATIONS), all 422.
  END_NOT_AFTER_START: "END_NOT_AFTER_START",
  IN_THE_PAST: "IN_THE_PAST",
  TOO_SHORT: "TOO_SHORT",
  TOO_LONG: "TOO_LONG",
  BEYOND_HORIZON: "BEYOND_HORIZON",
  OUTSIDE_OPENING_HOURS: "OUTSIDE_OPENING_HOURS",
  NOT_ALIGNED: "NOT_ALIGNED",
  SPACE_INACTIVE: "SPACE_INACTIVE",
  EMAIL_TAKEN: "EMAIL_TAKEN",
  WEAK_PASSWORD: "WEAK_PASSWORD",
  LAST_ADMIN: "LAST_ADMIN",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  RATE_LIMITED: "RATE_LIMITED",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_ERROR: "INTERNAL_ERROR",
} as const;

export type ErrorTypeName = (typeof ErrorType)[keyof typeof ErrorType];

/**
 * The HTTP status each type is answered with: `fail` raises it with that status, the gateway maps
 * framework errors onto the same (services/api/error-response.ts) and the API document groups
 * error types by it. A Record, so a new type fails to compile until its status is written here.
 */
export const ERROR_STATUS: Record<ErrorTypeName, number> = {
  VALIDATION_ERROR: 400,
  MALFORMED_JSON: 400,
  MALFORMED_BODY: 400,
  MALFORMED_URL: 400,
  TOO_DEEPLY_NESTED: 400,
  OPERATOR_NOT_ALLOWED: 400,
  INVALID_WINDOW: 400,
  WINDOW_TOO_LARGE: 400,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DEACTIVATED: 401,
  FORBIDDEN: 403,
  REGISTRATION_CLOSED: 403,
  NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  SPACE_NOT_FOUND: 404,
  RESERVATION_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
  RESERVATION_CONFLICT: 409,
  RESERVATION_CANCELLED: 409,
  RESERVATION_ENDED: 409,
  CONCURRENT_UPDATE: 409,
  SPACE_HAS_RESERVATIONS: 409,
  REQUEST_IN_PROGRESS: 409,
  EMAIL_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  END_NOT_AFTER_START: 422,
  IN_THE_PAST: 422,
  TOO_SHORT: 422,
  TOO_LONG: 422,
  BEYOND_HORIZON: 422,
  OUTSIDE_OPENING_HOURS: 422,
  NOT_ALIGNED: 422,
  SPACE_INACTIVE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  WEAK_PASSWORD: 422,
  LAST_ADMIN: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** A refusal the client can act on: always 4xx, never retried. */
export class MindSpacesError extends Errors.MoleculerClientError {
  constructor(type: ErrorTypeName, data?: unknown) {
    super(translate(type, "en"), ERROR_STATUS[type], type, data);
    this.name = "MindSpacesError";
  }
}

/**
 * A part this request needs (its store, another service) cannot do its share just now: 503, and
 * worth trying again. Not a refusal: nothing about the request was wrong.
 */
export function failUnavailable(data?: unknown): never {
  throw new Errors.MoleculerServerError(
    translate(ErrorType.SERVICE_UNAVAILABLE, "en"),
    ERROR_STATUS.SERVICE_UNAVAILABLE,
    ErrorType.SERVICE_UNAVAILABLE,
    data,
  );
}

/**
 * Moleculer's types for a call that no node could take, or whose node died holding it: the
 * broker retries an idempotent action on another node (moleculer.config.ts, retryPolicy).
 */
export const NODE_LOST_TYPES: readonly string[] = ["REQUEST_REJECTED", "SERVICE_NOT_AVAILABLE"];

/** Moleculer's and moleculer-web's types for a part that is down, busy or too slow: 503. */
export const UNAVAILABLE_FRAMEWORK_TYPES: readonly string[] = [
  ...NODE_LOST_TYPES,
  "SERVICE_UNAVAILABLE",
  "REQUEST_TIMEOUT",
  // A call whose time ran out while it waited (in a bulkhead's queue behind a hanging service).
  "REQUEST_SKIPPED",
  "QUEUE_FULL",
  "BAD_GATEWAY",
];

/**
 * The MongoDB driver's errors for a database it cannot reach: a call in flight when the server
 * went away, or no server to send it to. The database is down, not our code: 503, as for any
 * part of MindSpaces that is down (seen in the database-outage fault test as a 500).
 */
const STORE_UNREACHABLE_ERRORS: readonly string[] = [
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoTimeoutError",
];

/**
 * The database's own answers that mean it cannot serve now, not that the request was wrong:
 * MongoDB's shutdown, failover and network codes. A query the server rejects (bad value, unknown
 * operator) has its own code and stays a 500: that is our bug.
 */
const STORE_UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * FerretDB answers every failure it does not classify as 1 (InternalError): a backend that went
 * away, but also its own bugs and data PostgreSQL refuses. Only these words say the backend went
 * away: a transaction cut off while FerretDB shut down, or an operation it cancelled as it shut
 * down ("context canceled", or SQLite's "interrupted (9)", which its driver causes only on such a
 * cancel; FerretDB cancels only a shutting-down server's operations or a closed connection's, and
 * a closed connection gets no answer; both first seen on SQLite in the database-outage fault test
 * as a 500), a PostgreSQL that refuses connections, closed one, or is shutting down
 * (SQLSTATE 57P01-57P03). Anything else under code 1 stays a 500, logged with its stack.
 */
const FERRETDB_INTERNAL_ERROR = 1;
const BACKEND_GONE =
  /transaction has already been committed or rolled back|context canceled|interrupted \(9\)|database is closed|failed to connect to|connection refused|conn closed|(SQLSTATE 57P0[123])/;

/** The driver's names for an error the database server answered (3.x and 4.x+). */
const STORE_SERVER_ERRORS = new Set(["MongoError", "MongoServerError", "MongoWriteConcernError"]);

/**
 * True when `err` (the driver's own error, or one that crossed the broker as plain data) says
 * the database is down or cannot serve right now.
 */
export function isStoreUnavailable(err: {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}): boolean {
  if (typeof err.name !== "string") return false;
  if (STORE_UNREACHABLE_ERRORS.includes(err.name)) return true;
  if (!STORE_SERVER_ERRORS.has(err.name) || typeof err.code !== "number") return false;
  if (STORE_UNAVAILABLE_CODES.has(err.code)) return true;
  return (
    err.code === FERRETDB_INTERNAL_ERROR &&
    typeof err.message === "string" &&
    BACKEND_GONE.test(err.message)
  );
}

/** Refuses the request with `type` (its status and words come with it) and optional `data`. */
export function fail(type: ErrorTypeName, data?: unknown): never {
  throw new MindSpacesError(type, data);
}

/** A field the validator let through but that is still not valid, as the validator reports one. */
export interface InvalidField {
  field: string;
  /** The rule it breaks, e.g. "date", "required", "consistency". */
  type: string;
  message: string;
}

/** Refuses the request as the parameter validator would: VALIDATION_ERROR naming the field. */
export function failValidation(field: string, rule: string, message: string): never {
  return fail(ErrorType.VALIDATION_ERROR, [{ field, type: rule, message } satisfies InvalidField]);
}
