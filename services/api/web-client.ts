/**
 * Serves the web client (the Vite build in `dist/web`) from the gateway, beside the API.
 *
 * moleculer-web's own `assets` option has no history fallback and runs only when no route
 * matched, so the gateway asks this module first: it answers every GET/HEAD outside `/api` and
 * leaves `/api/*` (and any other method) to moleculer-web, whose 404 for an unknown API path
 * stays JSON. A path that is not a file gets `index.html`, so a deep link or a reload of
 * `/spaces/42` works; the client's router takes it from there.
 */
import fs from "node:fs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";

/** What the client needs to know about this deployment before anyone signs in. */
export interface ClientSettings {
  /** False when `users` refuses self-registration; null when no `users` instance is known. */
  selfRegistration: boolean | null;
  /**
   * Whether e-mails are sent (a mail server is configured), so the client promises one only
   * then; null when no `notifications` instance is known.
   */
  emailDelivery: boolean | null;
}

export const CLIENT_SETTINGS_PATH = "/client-settings.json";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

// Vite puts a content hash in every name under /assets/, so a changed file has a new URL and
// the old one may be cached for good. index.html names those files, so it is checked each time.
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/** `dist/web` at the project root, whether this file runs compiled (dist/…) or from source. */
export function defaultWebRoot(): string {
  const twoUp = path.resolve(__dirname, "..", "..");
  return path.basename(twoUp) === "dist"
    ? path.join(twoUp, "web")
    : path.join(twoUp, "dist", "web");
}

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/** `users` and `notifications` publish their settings to the registry; the gateway reads them there. */
function clientSettings(broker: ServiceBroker): ClientSettings {
  const services = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true });
  const flag = (service: string, name: string): boolean | null => {
    const value: unknown = services.find(s => s.name === service)?.settings?.[name];
    return typeof value === "boolean" ? value : null;
  };
  return {
    selfRegistration: flag("users", "selfRegistration"),
    emailDelivery: flag("notifications", "emailDelivery"),
  };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
): void {
  res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
  res.end(req.method === "HEAD" ? undefined : body);
}

function rawPath(url: string | undefined): string {
  return (url ?? "/").split("?")[0].split("#")[0];
}

function decodedPath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null; // A malformed escape is not a file; the client shows its "not found" page.
  }
}

export interface WebClient {
  /** Answers the request and returns true, or returns false to leave it to the API routes. */
  serve(req: IncomingMessage, res: ServerResponse, broker: ServiceBroker): boolean;
}

export function createWebClient(root: string = defaultWebRoot()): WebClient {
  const indexFile = path.join(root, "index.html");

  function fileFor(pathname: string): string | null {
    const candidate = path.resolve(root, `.${pathname}`);
    // Never outside the build folder, whatever `..` or encoded separators the path holds.
    if (!candidate.startsWith(root + path.sep)) return null;
    try {
      return fs.statSync(candidate).isFile() ? candidate : null;
    } catch {
      return null;
    }
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, file: string, cache: string) {
    const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
    send(req, res, 200, { "Content-Type": type, "Cache-Control": cache }, fs.readFileSync(file));
  }

  return {
    serve(req, res, broker) {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      const raw = rawPath(req.url);
      const pathname = decodedPath(raw);
      // Decided on the raw path too: an /api path with a malformed escape is the API's to refuse.
      if (isApiPath(raw) || (pathname !== null && isApiPath(pathname))) return false;

      if (pathname === CLIENT_SETTINGS_PATH) {
        const body = JSON.stringify(clientSettings(broker));
        send(req, res, 200, { "Content-Type": CONTENT_TYPES[".json"] }, body);
        return true;
      }
      if (!fs.existsSync(indexFile)) {
        const explanation =
          "The MindSpaces web client has not been built on this server.\n" +
          "Run `npm run build` (npm start does) and reload. The API is at /api.\n";
        send(req, res, 503, { "Content-Type": CONTENT_TYPES[".txt"] }, explanation);
        return true;
      }

      const file = pathname === null ? null : fileFor(pathname);
      if (file && file !== indexFile) {
        const hashed = pathname!.startsWith("/assets/");
        serveFile(req, res, file, hashed ? IMMUTABLE : REVALIDATE);
        return true;
      }
      if (pathname?.startsWith("/assets/")) {
        // An old or mistyped asset must not come back as HTML that the browser tries to run.
        send(req, res, 404, { "Content-Type": CONTENT_TYPES[".txt"] }, "Not found\n");
        return true;
      }
      serveFile(req, res, indexFile, REVALIDATE);
      return true;
    },
  };
}
