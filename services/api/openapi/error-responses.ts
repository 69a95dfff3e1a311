/**
 * Which error types an operation can answer, and its error responses: one per HTTP status, each
 * the `Error` body with `type` narrowed to the types that status carries.
 */
import { ErrorType, type ErrorTypeName } from "../../../lib/errors";
import { ref, type JsonSchema } from "./json-schema";

/**
 * The status each type is answered with (services raise it with that status; the gateway maps
 * framework errors onto the same, services/api/error-response.ts). A Record, so a new type
 * fails to compile until its status is written here.
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

/** What the gateway adds to an operation, from its route and its action's metadata. */
export interface GatewayChecks {
  /** The route resolves bearer tokens (a bad token is refused even where none is needed). */
  authenticates: boolean;
  /** The action needs a signed-in user. */
  signedIn: boolean;
  /** The action is limited to some roles. */
  roleLimited: boolean;
  /** The route has a rate limit. */
  rateLimited: boolean;
  /** The operation takes a JSON body. */
  takesBody: boolean;
  /** The path has parameters (whose %-escapes may not decode). */
  hasPathParams: boolean;
  /** The action runs in the gateway itself, so no other service can be unavailable. */
  local: boolean;
}

export function gatewayErrorTypes(checks: GatewayChecks): ErrorTypeName[] {
  const types: ErrorTypeName[] = [ErrorType.VALIDATION_ERROR, ErrorType.OPERATOR_NOT_ALLOWED];
  if (checks.takesBody) {
    types.push(
      ErrorType.MALFORMED_JSON,
      ErrorType.MALFORMED_BODY,
      ErrorType.TOO_DEEPLY_NESTED,
      ErrorType.PAYLOAD_TOO_LARGE,
      ErrorType.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  if (checks.hasPathParams) types.push(ErrorType.MALFORMED_URL);
  if (checks.authenticates) {
    types.push(ErrorType.TOKEN_INVALID, ErrorType.TOKEN_EXPIRED, ErrorType.ACCOUNT_DEACTIVATED);
  }
  if (checks.signedIn) types.push(ErrorType.UNAUTHENTICATED);
  if (checks.roleLimited) types.push(ErrorType.FORBIDDEN);
  if (checks.rateLimited) types.push(ErrorType.RATE_LIMITED);
  if (!checks.local) types.push(ErrorType.SERVICE_UNAVAILABLE);
  types.push(ErrorType.INTERNAL_ERROR);
  return types;
}

export interface ErrorResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content: { "application/json": { schema: JsonSchema } };
}

/** One response per status, in status order, each naming the types it may carry. */
export function errorResponses(types: readonly ErrorTypeName[]): Record<string, ErrorResponse> {
  const byStatus = new Map<number, ErrorTypeName[]>();
  for (const type of new Set(types)) {
    const status = ERROR_STATUS[type];
    byStatus.set(status, [...(byStatus.get(status) ?? []), type]);
  }
  const responses: Record<string, ErrorResponse> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const statusTypes = byStatus.get(status)!;
    responses[String(status)] = {
      description: statusTypes.join(", "),
      ...(status === 503
        ? {
            headers: {
              "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
            },
          }
        : {}),
      content: {
        "application/json": {
          schema: {
            allOf: [
              ref("Error"),
              { type: "object", properties: { type: { type: "string", enum: statusTypes } } },
            ],
          },
        },
      },
    };
  }
  return responses;
}
