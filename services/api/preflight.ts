/**
 * CORS, done by the gateway itself, for preflights and for ordinary requests alike.
 *
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

/**
 * The CORS header of any other request: the origin itself where it is configured, exactly, and
 * otherwise none, so a browser keeps the answer from a page of another origin. The request is
 * answered as any other. moleculer-web's own CORS refused an unlisted origin with an error that
 * reached the client as a 500 (the web client's own sign-in too: browsers send Origin on a
 * same-origin POST), and it matched origins as substrings (`https://rooms.example.or`).
 */
export function allowOrigin(
  corsOrigins: readonly string[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  if (corsOrigins.length === 0) return;
  res.setHeader("Vary", "Origin");
  const origin = req.headers.origin;
  if (origin && corsOrigins.includes(origin)) res.setHeader("Access-Control-Allow-Origin", origin);
}
