/**
 * The gateway route for /api/docs: Swagger UI, served from this process only. Our own page and
 * initializer (./page.ts), and from swagger-ui-dist just the files that page loads; nothing else
 * in that package (its Petstore page, source maps, package.json) is reachable.
 */
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import ApiGateway from "moleculer-web";
import { DOCS_INDEX_HTML, DOCS_INITIALIZER_JS } from "./page";

export const DOCS_PATH = "/api/docs";

const OWN_FILES: Record<string, { type: string; body: string }> = {
  "/": { type: "text/html; charset=utf-8", body: DOCS_INDEX_HTML },
  "/index.html": { type: "text/html; charset=utf-8", body: DOCS_INDEX_HTML },
  "/swagger-initializer.js": {
    type: "text/javascript; charset=utf-8",
    body: DOCS_INITIALIZER_JS,
  },
};

const UI_FILES = new Set([
  "/swagger-ui.css",
  "/swagger-ui-bundle.js",
  "/index.css",
  "/favicon-32x32.png",
]);

function serveDocs() {
  const uiFolder = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  // No Cache-Control of its own: the gateway's `no-store` stays on every response.
  const serveUi = ApiGateway.serveStatic(uiFolder, { index: false, cacheControl: false });

  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // moleculer-web has cut the route's path off `req.url`.
    const file = (req.url ?? "/").split("?")[0];
    const own = OWN_FILES[file];
    if (own) {
      res.setHeader("Content-Type", own.type);
      res.setHeader("Content-Length", Buffer.byteLength(own.body));
      res.end(req.method === "HEAD" ? undefined : own.body);
      return;
    }
    if (UI_FILES.has(file)) return serveUi(req, res, next);
    next();
  };
}

/** Before the `/api` route in the list, which would otherwise take /api/docs/* and answer 404. */
export function createDocsRoute() {
  return {
    name: "docs",
    path: DOCS_PATH,
    mappingPolicy: "restrict" as const,
    autoAliases: false,
    aliases: {},
    authentication: false,
    authorization: false,
    bodyParsers: { json: false, urlencoded: false },
    use: [serveDocs()],
    logging: true,
  };
}
