/**
 * Making a reservation from any page: one Idempotency-Key per space and time, kept until the
 * booking succeeded, so a double click or a retry after a network error never books twice.
 */
import { t } from "../i18n/locale.svelte";
import type { MessageKey } from "../i18n/messages";
import { api, ApiError } from "./api";
import { submitKey, type SubmitKey } from "./idempotency";
import type { Reservation } from "./spaces";

const keys = new Map<string, SubmitKey>();

export async function book(
  spaceId: string,
  start: string,
  end: string,
  title = "",
): Promise<Reservation> {
  const id = `${spaceId}|${start}|${end}|${title}`;
  let key = keys.get(id);
  if (!key) {
    key = submitKey();
    keys.set(id, key);
  }
  const body: Record<string, string> = { spaceId, start, end };
  if (title.trim()) body.title = title.trim();
  const reservation = await api.post<Reservation>("/api/reservations", body, {
    idempotencyKey: key.value,
  });
  keys.delete(id);
  return reservation;
}

const ADVICE: Record<string, MessageKey> = {
  RESERVATION_CONFLICT: "advice.RESERVATION_CONFLICT",
  TOO_LONG: "advice.TOO_LONG",
  TOO_SHORT: "advice.TOO_SHORT",
  OUTSIDE_OPENING_HOURS: "advice.OUTSIDE_OPENING_HOURS",
  BEYOND_HORIZON: "advice.BEYOND_HORIZON",
  NOT_ALIGNED: "advice.NOT_ALIGNED",
  END_NOT_AFTER_START: "advice.END_NOT_AFTER_START",
  SPACE_INACTIVE: "advice.SPACE_INACTIVE",
};

/** The gateway's plain (translated) reason, and what to do about it. */
export function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return t("booking.refused", { reason: t("errors.unexpected") });
  // Some gateway messages already say what to do (IN_THE_PAST); others get a next step here.
  const advice = ADVICE[error.type];
  const reason = advice ? `${error.message} ${t(advice)}` : error.message;
  return t("booking.refused", { reason });
}
