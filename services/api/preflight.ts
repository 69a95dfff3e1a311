/**
 * OPTIONS, answered by the gateway itself. moleculer-web would resolve the route by the
 * Access-Control-Request-Method header and, without CORS configured, run that action: with a
 * member's token, `OPTIONS /api/users/me` + `PATCH` renamed the user. Here OPTIONS never reaches
 * a route; a preflight from an allowed origin gets the CORS headers, anything else none.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const METHODS = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"];
export const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Accept-Language",
  "Idempotency-Key",
];

export function answerOptions(
  corsOrigins: readonly string[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const origin = req.headers.origin;
  if (origin && corsOrigins.includes(origin) && req.headers["access-control-request-method"]) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Methods", METHODS.join(", "));
    res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS.join(", "));
    res.setHeader("Access-Control-Max-Age", "600");
  }
  res.setHeader("Vary", "Origin");
  res.setHeader("Allow", METHODS.join(", "));
  res.writeHead(204, { "Content-Length": "0" });
  // A body sent with OPTIONS is read and thrown away, so the connection can be reused.
  req.resume();
  res.end();
}
