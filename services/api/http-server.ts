/**
 * The gateway's HTTP server, built so that slow or unfinished requests cannot starve others:
 * headers and the whole request (body included) must arrive in time, idle keep-alive connections
 * close soon, and one client address can hold only so many connections at once.
 */
import http, { type RequestListener } from "node:http";
import type { AppConfig } from "../../lib/config";

type ServerLimits = Pick<
  AppConfig,
  "httpRequestTimeoutMs" | "httpHeadersTimeoutMs" | "maxConnectionsPerClient"
>;

export function createGatewayServer(limits: ServerLimits, handler: RequestListener): http.Server {
  const requestTimeout = limits.httpRequestTimeoutMs;
  const server = http.createServer(
    {
      requestTimeout,
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(limits.httpHeadersTimeoutMs, requestTimeout),
      keepAliveTimeout: 5_000,
      // How often Node looks for requests past their timeouts; its default (30 s) would let a
      // stalled request live far longer than the timeout says.
      connectionsCheckingInterval: Math.min(1_000, Math.floor(requestTimeout / 2)),
    },
    handler,
  );
  if (limits.maxConnectionsPerClient > 0)
    boundConnectionsPerClient(server, limits.maxConnectionsPerClient);
  return server;
}

/**
 * Closes a new connection at once when its address already holds `max`. Behind a reverse proxy
 * every connection comes from the proxy, so operators set MAX_CONNECTIONS_PER_CLIENT=0 there and
 * let the proxy bound its clients.
 */
function boundConnectionsPerClient(server: http.Server, max: number): void {
  const open = new Map<string, number>();
  server.on("connection", socket => {
    const address = socket.remoteAddress ?? "unknown";
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
