/**
 * Turns whatever went wrong behind the gateway into the one error shape clients see:
 * `{ name, message, code, type, data }`, with the HTTP status in `code`. Errors cross the broker
 * as plain data (their class may not survive), so this looks at `code` and `type`, not instanceof.
 */
import {
  ERROR_STATUS,
  ErrorType,
  UNAVAILABLE_FRAMEWORK_TYPES,
  isStoreUnavailable,
  type ErrorTypeName,
} from "../../lib/errors";
import { isKnownErrorType } from "../../lib/messages";

export interface ClientError {
  code: number;
  type: ErrorTypeName;
  data?: unknown;
  /** True when this is our fault: log the original, tell the client nothing about it. */
  internal: boolean;
  /** True when the database is down: the client gets 503, operators a warning with the cause. */
  storeDown?: boolean;
}

interface ErrorLike {
  name?: unknown;
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

const SERVICE_UNAVAILABLE = ErrorType.SERVICE_UNAVAILABLE;

// Moleculer's and moleculer-web's own types, mapped onto ours (whose type decides the status).
const FRAMEWORK_TYPES: Record<string, ErrorTypeName> = {
  VALIDATION_ERROR: ErrorType.VALIDATION_ERROR,
  "entity.parse.failed": ErrorType.MALFORMED_JSON,
  // moleculer-web, for a `:param` whose percent-encoding does not decode.
  UNABLE_DECODE_PARAM: ErrorType.MALFORMED_URL,
  INVALID_REQUEST_BODY: ErrorType.MALFORMED_JSON,
  "entity.too.large": ErrorType.PAYLOAD_TOO_LARGE,
  PAYLOAD_TOO_LARGE: ErrorType.PAYLOAD_TOO_LARGE,
  "encoding.unsupported": ErrorType.UNSUPPORTED_MEDIA_TYPE,
  "charset.unsupported": ErrorType.UNSUPPORTED_MEDIA_TYPE,
  NOT_FOUND: ErrorType.NOT_FOUND,
  SERVICE_NOT_FOUND: ErrorType.NOT_FOUND,
  NO_TOKEN: ErrorType.UNAUTHENTICATED,
  INVALID_TOKEN: ErrorType.TOKEN_INVALID,
  RATE_LIMIT_EXCEEDED: ErrorType.RATE_LIMITED,
  ...Object.fromEntries(UNAVAILABLE_FRAMEWORK_TYPES.map(type => [type, SERVICE_UNAVAILABLE])),
};

export function toClientError(err: unknown): ClientError {
  const e = (typeof err === "object" && err !== null ? err : {}) as ErrorLike;
  if (isStoreUnavailable(e))
    return { ...clientError(ErrorType.SERVICE_UNAVAILABLE), storeDown: true };
  const type = typeof e.type === "string" ? e.type : "";
  const code = typeof e.code === "number" ? e.code : typeof e.status === "number" ? e.status : 500;

  const framework = FRAMEWORK_TYPES[type];
  if (framework) {
    const data = framework === ErrorType.VALIDATION_ERROR ? validationDetails(e.data) : undefined;
    return { code: ERROR_STATUS[framework], type: framework, data, internal: false };
  }
  // moleculer-web raises its rate-limit error without a type.
  if (code === 429) return clientError(ErrorType.RATE_LIMITED);
  if (isKnownErrorType(type) && code >= 400 && code < 500) return clientError(type, e.data);
  return { code: ERROR_STATUS.INTERNAL_ERROR, type: ErrorType.INTERNAL_ERROR, internal: true };
}

function clientError(type: ErrorTypeName, data?: unknown): ClientError {
  return { code: ERROR_STATUS[type], type, data, internal: false };
}
