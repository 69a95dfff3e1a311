/**
 * One error vocabulary for the whole system. Clients branch on `type`, which never changes once
 * published; `code` is the HTTP status; `message` is English here and translated at the gateway
 * (see lib/messages.ts). `data` never carries secrets or other people's personal data.
 */
import { Errors } from "moleculer";

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
  // Booking rules (services/reservations/booking-rules.ts), all 422.
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
