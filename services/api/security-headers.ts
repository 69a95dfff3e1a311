/**
 * Security headers on every response, including 404s that match no route. The gateway serves
 * JSON, so the content security policy allows nothing to load or frame it; only the API
 * reference under /api/docs, a page of our own, may load its own scripts, styles and images.
 */
import helmet from "helmet";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DOCS_PATH } from "./docs/route";

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

// Swagger UI sets inline styles and draws its icons as data: SVGs; its scripts, the document it
// fetches and "try it out" requests are all same-origin.
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

function isDocsPath(url: string | undefined): boolean {
  const pathname = (url ?? "").split("?")[0];
  return pathname === DOCS_PATH || pathname.startsWith(`${DOCS_PATH}/`);
}

export function withSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  res.setHeader("Cache-Control", "no-store");
  applyHelmet(req, res, () => {
    if (isDocsPath(req.url)) res.setHeader("Content-Security-Policy", DOCS_POLICY);
    next();
  });
}
