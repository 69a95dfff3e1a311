/**
 * Reads JSON request bodies (body-parser) and turns every way reading can fail into our error
 * vocabulary where it happens. moleculer-web would re-wrap body-parser's errors and lose what they
 * say: a body whose Content-Encoding does not decompress reached clients as a 500.
 */
import bodyParser from "body-parser";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorType, MindSpacesError } from "../../lib/errors";
import { refuseDeepJson } from "./json-depth";

type Next = (err?: unknown) => void;

interface BodyParserError {
  status?: unknown;
  type?: unknown;
}

function asClientError(err: unknown): unknown {
  if (err instanceof MindSpacesError) return err;
  const { status, type } = (typeof err === "object" && err !== null ? err : {}) as BodyParserError;
  switch (type) {
    case "entity.too.large":
      return new MindSpacesError(ErrorType.PAYLOAD_TOO_LARGE);
    case "entity.parse.failed":
      return new MindSpacesError(ErrorType.MALFORMED_JSON);
    case "encoding.unsupported":
    case "charset.unsupported":
      return new MindSpacesError(ErrorType.UNSUPPORTED_MEDIA_TYPE);
  }
  // Anything else of the client's making (a stream that does not decompress, an aborted upload).
  if (typeof status === "number" && status >= 400 && status < 500)
    return new MindSpacesError(ErrorType.MALFORMED_BODY);
  return err;
}

/** A route middleware that reads a JSON body of at most `limit`, nested at most 32 deep. */
export function jsonBodyReader(limit: string) {
  const parse = bodyParser.json({ limit, strict: true, verify: refuseDeepJson });
  return (req: IncomingMessage, res: ServerResponse, next: Next) =>
    parse(req, res, err => next(err === undefined ? undefined : asClientError(err)));
}
