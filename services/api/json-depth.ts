/**
 * A JSON body's nesting depth, measured on the raw bytes before it is parsed. A body of 90 KB can
 * nest 15,000 levels deep: the parser copes, but serialising the parameters for another node
 * overflows the stack, and that failure used to count against the called service. Refusing it
 * here keeps such bodies away from everything behind the gateway.
 */
import { ErrorType, MindSpacesError } from "../../lib/errors";
import { MAX_DEPTH } from "./operator-guard";

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** True when brackets outside strings nest deeper than `max`. */
export function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

/**
 * body-parser's `verify` hook: runs on the raw (already decompressed) body before parsing. The
 * `status` is what body-parser keeps as the HTTP status of a thrown error.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (nestsDeeperThan(body, MAX_DEPTH)) {
    const error = new MindSpacesError(ErrorType.TOO_DEEPLY_NESTED, { maxDepth: MAX_DEPTH });
    throw Object.assign(error, { status: error.code });
  }
}
