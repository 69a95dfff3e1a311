/** The `from`–`to` window of availability and "free during" questions, read and bounded once. */
import type { DateTime } from "luxon";
import { ErrorType, MindSpacesError } from "../../lib/errors";
import { parseInstant } from "./reservation-record";

/** The longest window one request may cover: a month view plus a week either side. */
export const MAX_WINDOW_DAYS = 62;

export function readWindow(
  params: { from: string; to: string },
  zone: string,
): { from: DateTime; to: DateTime } {
  const from = parseInstant(params.from, "from", zone);
  const to = parseInstant(params.to, "to", zone);
  if (to <= from) {
    throw new MindSpacesError("'to' must be after 'from'.", 400, ErrorType.INVALID_WINDOW);
  }
  if (to.diff(from, "days").days > MAX_WINDOW_DAYS) {
    throw new MindSpacesError(
      `A window may span at most ${MAX_WINDOW_DAYS} days.`,
      400,
      ErrorType.WINDOW_TOO_LARGE,
      { maxDays: MAX_WINDOW_DAYS },
    );
  }
  return { from, to };
}
