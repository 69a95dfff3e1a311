/**
 * Which error types an operation can answer, and its error responses: one per HTTP status, each
 * the `Error` body with `type` narrowed to the types that status carries.
 */
import { ERROR_STATUS, ErrorType, type ErrorTypeName } from "../../../lib/errors";
import { ref, type JsonSchema } from "./json-schema";

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
