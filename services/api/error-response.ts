/**
 * Turns whatever went wrong behind the gateway into the one error shape clients see:
 * `{ name, message, code, type, data }`, with the HTTP status in `code`. Errors cross the broker
 * as plain data (their class may not survive), so this looks at `code` and `type`, not instanceof.
 */
import { ErrorType, type ErrorTypeName } from "../../lib/errors";
import { isKnownErrorType } from "../../lib/messages";

export interface ClientError {
  code: number;
  type: ErrorTypeName;
  data?: unknown;
  /** True when this is our fault: log the original, tell the client nothing about it. */
  internal: boolean;
}

interface ErrorLike {
  code?: unknown;
  status?: unknown;
  type?: unknown;
  data?: unknown;
}

interface ValidationItem {
  field?: unknown;
  type?: unknown;
  message?: unknown;
}

/** Fastest-validator echoes the rejected value (`actual`); it may be a password, so it is dropped. */
function validationDetails(data: unknown): { field: string; rule: string; message: string }[] {
  if (!Array.isArray(data)) return [];
  return (data as ValidationItem[]).map(item => ({
    field: String(item.field ?? ""),
    rule: String(item.type ?? ""),
    message: String(item.message ?? ""),
  }));
}

// Moleculer and moleculer-web's own types, mapped onto our vocabulary.
const FRAMEWORK_TYPES: Record<string, { code: number; type: ErrorTypeName }> = {
  VALIDATION_ERROR: { code: 400, type: ErrorType.VALIDATION_ERROR },
  "entity.parse.failed": { code: 400, type: ErrorType.MALFORMED_JSON },
  // moleculer-web, for a `:param` whose percent-encoding does not decode.
  UNABLE_DECODE_PARAM: { code: 400, type: ErrorType.MALFORMED_URL },
  INVALID_REQUEST_BODY: { code: 400, type: ErrorType.MALFORMED_JSON },
  "entity.too.large": { code: 413, type: ErrorType.PAYLOAD_TOO_LARGE },
  PAYLOAD_TOO_LARGE: { code: 413, type: ErrorType.PAYLOAD_TOO_LARGE },
  "encoding.unsupported": { code: 415, type: ErrorType.UNSUPPORTED_MEDIA_TYPE },
  "charset.unsupported": { code: 415, type: ErrorType.UNSUPPORTED_MEDIA_TYPE },
  NOT_FOUND: { code: 404, type: ErrorType.NOT_FOUND },
  SERVICE_NOT_FOUND: { code: 404, type: ErrorType.NOT_FOUND },
  NO_TOKEN: { code: 401, type: ErrorType.UNAUTHENTICATED },
  INVALID_TOKEN: { code: 401, type: ErrorType.TOKEN_INVALID },
  RATE_LIMIT_EXCEEDED: { code: 429, type: ErrorType.RATE_LIMITED },
  SERVICE_NOT_AVAILABLE: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
  SERVICE_UNAVAILABLE: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
  REQUEST_TIMEOUT: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
  REQUEST_REJECTED: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
  QUEUE_FULL: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
  BAD_GATEWAY: { code: 503, type: ErrorType.SERVICE_UNAVAILABLE },
};

export function toClientError(err: unknown): ClientError {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  const type = typeof e.type === "string" ? e.type : "";
  const code = typeof e.code === "number" ? e.code : typeof e.status === "number" ? e.status : 500;

  const framework = FRAMEWORK_TYPES[type];
  if (framework) {
    const data =
      framework.type === ErrorType.VALIDATION_ERROR ? validationDetails(e.data) : undefined;
    return { ...framework, data, internal: false };
  }
  // moleculer-web raises its rate-limit error without a type.
  if (code === 429) return { code, type: ErrorType.RATE_LIMITED, internal: false };
  if (isKnownErrorType(type) && code >= 400 && code < 500) {
    return { code, type, data: e.data, internal: false };
  }
  return { code: 500, type: ErrorType.INTERNAL_ERROR, internal: true };
}
