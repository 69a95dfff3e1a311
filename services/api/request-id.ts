/**
 * Moleculer adopts a client's X-Request-ID (or X-Correlation-ID) as the request id: it is echoed
 * in the response, written to every log line and carried to every node. Only a short id of safe
 * characters is adopted; any other is dropped, so the broker makes its own.
 */
import type { IncomingMessage } from "node:http";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function dropUnsafeRequestIds(req: IncomingMessage): void {
  for (const header of ["x-request-id", "x-correlation-id"]) {
    const value = req.headers[header];
    if (value !== undefined && (typeof value !== "string" || !SAFE_REQUEST_ID.test(value))) {
      delete req.headers[header];
    }
  }
}
