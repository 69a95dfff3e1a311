/**
 * Security headers on every response, including 404s that match no route. The API answers JSON
 * only, so under `/api` the content security policy allows nothing to load or frame it. The web
 * client (every other path) may load its own scripts, styles, images and fonts and call its own
 * origin, and nothing else: no inline script or style, no other host.
 */
import helmet from "helmet";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isApiPath } from "./web-client";

const sharedOptions = {
  crossOriginResourcePolicy: { policy: "same-origin" as const },
  referrerPolicy: { policy: "no-referrer" as const },
  xFrameOptions: { action: "deny" as const },
  strictTransportSecurity: { maxAge: 15552000, includeSubDomains: true },
};

const apiHelmet = helmet({
  ...sharedOptions,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
});

export const WEB_CLIENT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'";

const clientHelmet = helmet({
  ...sharedOptions,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
  },
});

export function withSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  // The web client overrides this for its own files; everything else is never cached.
  res.setHeader("Cache-Control", "no-store");
  const pathname = (req.url ?? "/").split("?")[0];
  const applyHelmet = isApiPath(pathname) ? apiHelmet : clientHelmet;
  applyHelmet(req, res, () => next());
}
