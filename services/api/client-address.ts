/**
 * The address a request comes from, for the sign-in rate limit. Behind a trusted reverse proxy
 * (TRUST_PROXY=true) it is the LAST entry of X-Forwarded-For: the one that proxy appended for
 * the peer it saw. Earlier entries are whatever the client sent, so taking the first would let
 * anyone dodge the limit by sending a new X-Forwarded-For with every attempt.
 */
import type { IncomingMessage } from "node:http";

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const hops = typeof forwarded === "string" ? forwarded.split(",") : [];
  const last = hops.length > 0 ? hops[hops.length - 1].trim() : "";
  return last || req.socket.remoteAddress || "unknown";
}
