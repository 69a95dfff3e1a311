/**
 * The gateway logs a line per request and response only at LOG_LEVEL=debug: at info they were
 * three lines a request, measurable in the benchmark's profile and noise in every log.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createApiService } from "../../services/api.service";
import { gatewayUrl, testBroker } from "../support/local-system";
import { testConfig } from "../support/test-env";

const lines: string[] = [];
let spies: jest.SpyInstance[] = [];

beforeAll(() => {
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  spies = (["log", "info", "warn", "error"] as const).map(method =>
    jest.spyOn(console, method).mockImplementation(capture),
  );
});

afterAll(async () => {
  // The gateway logs its regenerated aliases a moment after starting; let that pass silently.
  await sleep(1000);
  spies.forEach(spy => spy.mockRestore());
});

/** What the gateway logged while it answered one request, at the given log level. */
async function loggedDuring(level: "info" | "debug", path: string): Promise<string[]> {
  const broker = testBroker({
    logger: { type: "Console", options: { level, formatter: "json", colors: false } },
  });
  broker.createService(createApiService(testConfig({ logLevel: level })));
  await broker.start();
  try {
    const before = lines.length;
    const response = await fetch(`${gatewayUrl(broker)}${path}`);
    expect(response.status).toBe(200);
    await response.text();
    return lines.slice(before);
  } finally {
    await broker.stop();
  }
}

describe("request logging", () => {
  it("writes no line per request at info", async () => {
    expect(await loggedDuring("info", "/api/health")).toEqual([]);
  });

  it("writes the request and the response at debug", async () => {
    const logged = await loggedDuring("debug", "/api/health");
    expect(logged.some(line => line.includes("=> GET /api/health"))).toBe(true);
    expect(logged.some(line => line.includes("<= 200 GET /api/health"))).toBe(true);
  });
});
