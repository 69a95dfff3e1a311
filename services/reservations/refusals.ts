/** The refusals reservations answer with: one error vocabulary (lib/errors.ts), English here. */
import { ErrorType, MindSpacesError, type ErrorTypeName } from "../../lib/errors";

export function refuse(type: ErrorTypeName, code: number, message: string, data?: unknown) {
  return new MindSpacesError(message, code, type, data);
}

export function ruleBroken(type: ErrorTypeName) {
  return refuse(type, 422, `The reservation breaks a booking rule: ${type}.`, { rule: type });
}

export function concurrentUpdate() {
  return refuse(
    ErrorType.CONCURRENT_UPDATE,
    409,
    "The reservation was changed at the same time by another request.",
  );
}

export function conflict(conflicts: { start: string; end: string }[]) {
  return refuse(
    ErrorType.RESERVATION_CONFLICT,
    409,
    "The space is already booked for (part of) this time.",
    { conflicts },
  );
}
