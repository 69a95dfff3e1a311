/**
 * One error vocabulary for the whole system. Clients branch on `type`, which never changes once
 * published; `code` is the HTTP status; `message` is English here and translated at the gateway
 * (see lib/messages.ts). `data` never carries secrets or other people's personal data.
 */
import { Errors } from "moleculer";

export const ErrorType = {
  VALIDATION_ERROR: "VALIDATION_ERROR",
  MALFORMED_JSON: "MALFORMED_JSON",
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

/** A refusal the client can act on: always 4xx, never retried. */
export class MindSpacesError extends Errors.MoleculerClientError {
  constructor(message: string, code: number, type: ErrorTypeName, data?: unknown) {
    super(message, code, type, data);
    this.name = "MindSpacesError";
  }
}

export const unauthenticated = (type: ErrorTypeName = ErrorType.UNAUTHENTICATED) =>
  new MindSpacesError("Sign in to continue.", 401, type);

export const forbidden = () =>
  new MindSpacesError("You are not allowed to do this.", 403, ErrorType.FORBIDDEN);

export const notFound = (type: ErrorTypeName = ErrorType.NOT_FOUND) =>
  new MindSpacesError("Not found.", 404, type);
