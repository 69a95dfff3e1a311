import { jwtSecret } from "../../lib/config";
import { describeHttpContract } from "../support/http-contract";
import { describeSpacesContract } from "../support/spaces-contract";
import { describeReservationsContract } from "../support/reservations-contract";
import { describeReportsContract } from "../support/reports-contract";
import { httpClient } from "../support/http-client";
import { startSingleNode } from "../support/local-system";
import { testConfig } from "../support/test-env";

describeHttpContract("one process, embedded store", async () => ({
  ...(await startSingleNode(testConfig())),
  secret: jwtSecret(),
}));

describe("gateway rate limit on auth routes", () => {
  it("answers 429 once a client exceeds the limit, with a translated message", async () => {
    const system = await startSingleNode(testConfig({ authRateLimitPerMinute: 3 }));
    try {
      const request = httpClient(system.baseUrl);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await request("POST", "/api/auth/login", {
          json: { email: "someone@example.org", password: "Whatever-pass-1" },
          headers: { "accept-language": "nl", "x-forwarded-for": `10.0.0.${i}` },
        });
        statuses.push(last.status);
      }
      // X-Forwarded-For is not trusted by default, so a client cannot dodge the limit with it.
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(last?.body).toMatchObject({
        type: "RATE_LIMITED",
        message: "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
      });
      // Other routes are not limited by it.
      expect((await request("GET", "/api/health")).status).toBe(200);
    } finally {
      await system.stop();
    }
  });

  it("answers CORS preflights for configured origins only", async () => {
    const system = await startSingleNode(
      testConfig({ corsOrigins: ["https://rooms.example.org"] }),
    );
    try {
      const preflight = (origin: string) =>
        fetch(`${system.baseUrl}/api/users/me`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
      const allowed = await preflight("https://rooms.example.org");
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://rooms.example.org");
      expect(allowed.headers.get("access-control-allow-headers")).toContain("Authorization");
      const other = await preflight("https://evil.example.com");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await system.stop();
    }
  });

  it("refuses self-registration when it is switched off", async () => {
    const system = await startSingleNode(testConfig({ selfRegistration: false }));
    try {
      const res = await httpClient(system.baseUrl)("POST", "/api/auth/register", {
        json: { email: "new@example.org", password: "Bicycle-bridge-77", name: "New" },
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ type: "REGISTRATION_CLOSED" });
    } finally {
      await system.stop();
    }
  });
});

describeSpacesContract("one process, embedded store", () => startSingleNode(testConfig()));

describeReservationsContract("one process, embedded store", () => startSingleNode(testConfig()));

describeReportsContract("one process, embedded store", () => startSingleNode(testConfig()));
