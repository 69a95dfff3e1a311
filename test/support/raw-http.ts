/**
 * HTTP as an attacker speaks it: raw sockets that never finish a request, requests from other
 * loopback addresses (127.0.0.0/8 is all this machine's), and bytes that fetch would refuse to
 * send (malformed percent-encoding, bodies that do not decompress).
 */
import http from "node:http";
import net from "node:net";

export interface StalledConnection {
  socket: net.Socket;
  /** True once the server has closed its end. */
  closed(): boolean;
  /** Whatever the server wrote back before closing (an HTTP 408, say). */
  received(): string;
}

/**
 * Opens `count` connections from `localAddress`, each sending the headers and one byte of a
 * 1,000-byte login body, and then nothing more. Resolves once every socket is connected.
 */
export async function stallConnections(
  port: number,
  count: number,
  localAddress = "127.0.0.1",
): Promise<StalledConnection[]> {
  const opened = Array.from({ length: count }, () => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let closed = false;
    let received = "";
    socket.on("data", chunk => (received += chunk.toString("latin1")));
    socket.on("close", () => (closed = true));
    // A reset by the server is what a guard does; the test reads it from closed().
    socket.on("error", () => undefined);
    return new Promise<StalledConnection>(resolve => {
      const done = () => resolve({ socket, closed: () => closed, received: () => received });
      socket.once("connect", () => {
        socket.write(
          "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
            "Content-Length: 1000\r\n\r\n{",
        );
        done();
      });
      socket.once("close", done);
    });
  });
  return Promise.all(opened);
}

export function closeAll(connections: StalledConnection[]): void {
  for (const connection of connections) connection.socket.destroy();
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** One request with the path and body sent exactly as given. */
export function rawRequest(
  port: number,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    localAddress?: string;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method,
        path: options.path,
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
      },
      res => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", chunk => (text += chunk));
        res.on("end", () => {
          let body: Record<string, unknown>;
          try {
            body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            body = { text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
