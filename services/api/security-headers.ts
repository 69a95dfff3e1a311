/**
 * Security headers on every response, including 404s that match no route. The API answers JSON
 * only, so under `/api` the content security policy allows nothing to load or frame it. The web
 * client (every other path) may load its own scripts, styles, images and fonts and call its own
 * origin, and nothing else: no inline script or style, no other host. Only the API reference
 * under /api/docs, a page of our own, gets a policy that allows Swagger UI's inline styles.
 */
import helmet from "helmet";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isApiPath } from "./web-client";
import { DOCS_PATH } from "./docs/route";

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

// The API reference under /api/docs: Swagger UI sets inline styles and draws its icons as data:
// SVGs; its scripts, the document it fetches and "try it out" requests are all same-origin.
const DOCS_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

function isDocsPath(pathname: string): boolean {
  return pathname === DOCS_PATH || pathname.startsWith(`${DOCS_PATH}/`);
}

export function withSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  // The web client overrides this for its own files; everything else is never cached.
  res.setHeader("Cache-Control", "no-store");
  const pathname = (req.url ?? "/").split("?")[0];
  const applyHelmet = isApiPath(pathname) ? apiHelmet : clientHelmet;
  applyHelmet(req, res, () => {
    if (isDocsPath(pathname)) res.setHeader("Content-Security-Policy", DOCS_POLICY);
    next();
  });
}
