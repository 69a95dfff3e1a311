/**
 * Prometheus metrics (METRICS_PORT): a MindSpaces node as an operator starts it exposes
 * Moleculer's request, latency and error metrics per action at /metrics; a circuit breaker that
 * opens shows there too. The metric names are listed in docs/ARCHITECTURE.md ("Metrics").
 */
import { ServiceBroker, Errors, type BrokerOptions } from "moleculer";
import { freePort } from "../support/ferretdb";
import { httpClient } from "../support/http-client";
import { startNode, waitUntilReady, type NodeProcess } from "../support/node-process";
import { TEST_ADMIN } from "../support/test-env";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition, and the families its TYPE lines declare. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!sample || line.startsWith("#")) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { samples, types };
}

async function scrape(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    signal: AbortSignal.timeout(5_000),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return parseExposition(await res.text());
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe("a node with METRICS_PORT", () => {
  let node: NodeProcess;
  let metricsPort: number;
  let baseUrl: string;

  beforeAll(async () => {
    const [port, metrics] = [await freePort(), await freePort()];
    metricsPort = metrics;
    baseUrl = `http://127.0.0.1:${port}`;
    node = startNode({
      PORT: String(port),
      METRICS_PORT: String(metrics),
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      AUTH_RATE_LIMIT: "10000",
    });
    await waitUntilReady(baseUrl, [node]);
  });

  afterAll(() => node?.stop());

  it("counts requests, their time and their errors per action, and durable events sent", async () => {
    const request = httpClient(baseUrl);
    const login = await request<{ token: string }>("POST", "/api/auth/login", { json: TEST_ADMIN });
    expect(login.status).toBe(200);
    const wrong = { email: TEST_ADMIN.email, password: "Not-the-password-1" };
    for (let i = 0; i < 2; i++)
      expect((await request("POST", "/api/auth/login", { json: wrong })).status).toBe(401);
    for (let i = 0; i < 3; i++) {
      const spaces = await request("GET", "/api/spaces", { token: login.body.token });
      expect(spaces.status).toBe(200);
    }
    const missing = await request("GET", "/api/spaces/no-such-space", { token: login.body.token });
    expect(missing.status).toBe(404);

    const { samples, types } = await scrape(metricsPort);

    expect(types.get("moleculer_request_total")).toBe("counter");
    expect(valueOf(samples, "moleculer_request_total", { action: "users.login" })).toBe(3);
    expect(valueOf(samples, "moleculer_request_total", { action: "spaces.search" })).toBe(3);
    // The gateway's own entry action counts every HTTP request it handled.
    expect(valueOf(samples, "moleculer_request_total", { action: "api.rest" })).toBeGreaterThan(6);

    expect(types.get("moleculer_request_error_total")).toBe("counter");
    expect(
      valueOf(samples, "moleculer_request_error_total", {
        action: "users.login",
        errorType: "INVALID_CREDENTIALS",
      }),
    ).toBe(2);
    expect(
      valueOf(samples, "moleculer_request_error_total", {
        action: "spaces.get",
        errorType: "SPACE_NOT_FOUND",
      }),
    ).toBe(1);

    expect(types.get("moleculer_request_time")).toBe("histogram");
    expect(valueOf(samples, "moleculer_request_time_count", { action: "spaces.search" })).toBe(3);
    expect(
      valueOf(samples, "moleculer_request_time_sum", { action: "users.login" }),
    ).toBeGreaterThan(0);

    // Durable events published on this node (the example spaces' space.created, at least).
    expect(types.get("moleculer_channels_messages_sent")).toBe("counter");
    expect(valueOf(samples, "moleculer_channels_messages_sent", {})).toBeGreaterThan(0);
    expect(types.get("moleculer_request_active")).toBe("gauge");
    expect(valueOf(samples, "process_memory_heap_size_used", {})).toBeGreaterThan(0);
    // Circuit breakers: their families are written once a breaker changed state (next test).
  });
});

describe("a circuit breaker that opens", () => {
  it("shows as moleculer_circuit_breaker_opened_active 1 for its action", async () => {
    const metricsPort = await freePort();
    let options: BrokerOptions = {};
    process.env.METRICS_PORT = String(metricsPort);
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        options = (require("../../moleculer.config") as { default: BrokerOptions }).default;
      });
    } finally {
      delete process.env.METRICS_PORT;
    }
    const broker = new ServiceBroker({ ...options, logger: false, nodeID: "breaker-test" });
    broker.createService({
      name: "flaky",
      actions: {
        fail: {
          visibility: "public",
          handler() {
            throw new Errors.MoleculerServerError("Database is down", 500, "DB_DOWN");
          },
        },
      },
    });
    await broker.start();
    try {
      const refusals: string[] = [];
      for (let i = 0; i < 25; i++) {
        const err = await broker.call("flaky.fail").catch((e: { type?: string }) => e);
        refusals.push(String((err as { type?: string }).type));
      }
      // 20 calls fail in the action (minRequestCount), then the open breaker refuses the rest.
      expect(refusals.slice(0, 20)).toEqual(Array(20).fill("DB_DOWN"));
      expect(refusals.slice(20)).not.toContain("DB_DOWN");

      const { samples } = await scrape(metricsPort);
      expect(
        valueOf(samples, "moleculer_circuit_breaker_opened_active", { action: "flaky.fail" }),
      ).toBe(1);
      expect(
        valueOf(samples, "moleculer_circuit_breaker_opened_total", { action: "flaky.fail" }),
      ).toBe(1);
      expect(
        valueOf(samples, "moleculer_request_error_total", {
          action: "flaky.fail",
          errorType: "DB_DOWN",
        }),
      ).toBeGreaterThanOrEqual(20);
    } finally {
      await broker.stop();
    }
  });
});
