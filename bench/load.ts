/**
 * A small closed-loop load generator: `connections` workers, each with its own keep-alive
 * connection, send the next request as soon as the previous answered. Bounded by a duration
 * and a request count; each request has a timeout. Reports req/s, p50, p90, p99 and errors
 * (any status but the expected ones, timeouts, socket errors). Only 127.0.0.1 is allowed.
 */
import http from "node:http";

export interface RequestSpec {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationMs: number;
  maxRequests?: number;
  timeoutMs?: number;
  /** The request worker `conn` sends as its n-th; null when there is nothing left to send. */
  next: (conn: number, n: number) => RequestSpec | null;
  ok?: (status: number) => boolean;
  /** Sees each answer (e.g. to remember created ids). */
  onResponse?: (conn: number, spec: RequestSpec, status: number, body: string) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  firstError?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  if (url.hostname !== "127.0.0.1") throw new Error("Load only against 127.0.0.1");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRequests = options.maxRequests ?? 1_000_000;
  const ok = options.ok ?? (status => status >= 200 && status < 300);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + options.durationMs;

  const send = (agent: http.Agent, spec: RequestSpec) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          agent,
          timeout: timeoutMs,
          headers: {
            accept: "application/json",
            ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
            ...(payload
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
              : {}),
            ...spec.headers,
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on("data", chunk => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });

  const worker = async (conn: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let n = 0; Date.now() < deadline && sent < maxRequests; n++) {
        const spec = options.next(conn, n);
        if (!spec) return;
        sent++;
        const t0 = process.hrtime.bigint();
        try {
          const { status, body } = await send(agent, spec);
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (!ok(status)) {
            errors++;
            firstError ??= `${status} ${spec.method} ${spec.path}: ${body.slice(0, 300)}`;
          }
          options.onResponse?.(conn, spec, status, body);
        } catch (err) {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          errors++;
          statuses.error = (statuses.error ?? 0) + 1;
          firstError ??= `${spec.method} ${spec.path}: ${(err as Error).message}`;
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, c) => worker(c)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    statuses,
    firstError,
  };
}
