/**
 * Security headers on every response, including 404s that match no route. The gateway serves
 * JSON only, so the content security policy allows nothing to load or frame it.
 */
import helmet from "helmet";
import type { IncomingMessage, ServerResponse } from "node:http";

const applyHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: "same-origin" },
  referrerPolicy: { policy: "no-referrer" },
  xFrameOptions: { action: "deny" },
  strictTransportSecurity: { maxAge: 15552000, includeSubDomains: true },
});

export function withSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  res.setHeader("Cache-Control", "no-store");
  applyHelmet(req, res, () => next());
}
