import { jwtSecret } from "../../lib/config";
import { describeHttpContract } from "../support/http-contract";
import { describeSpacesContract } from "../support/spaces-contract";
import { describeReservationsContract } from "../support/reservations-contract";
import { describeReportsContract } from "../support/reports-contract";
import { httpClient } from "../support/http-client";
import { startSingleNode } from "../support/local-system";
import { TEST_ADMIN, testConfig } from "../support/test-env";

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
      // When to try again, in seconds: within the limit's minute.
      const retryAfter = Number(last?.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
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

  it("refuses sign-ins past what it can hash at once with 429, and signs in again at once after", async () => {
    const system = await startSingleNode(testConfig());
    try {
      const login = (password: string) =>
        fetch(`${system.baseUrl}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: TEST_ADMIN.email, password }),
        });
      // More than the 2 hashed at once and the 16 waiting: the rest are refused, not queued.
      const flood = await Promise.all(
        Array.from({ length: 60 }, (_, i) => login(`Wrong-password-${i}`)),
      );
      const statuses = flood.map(res => res.status);
      expect(statuses.filter(s => s !== 401 && s !== 429)).toEqual([]);
      expect(statuses.filter(s => s === 401).length).toBeGreaterThanOrEqual(2);
      const refused = flood.find(res => res.status === 429);
      expect(refused).toBeDefined();
      expect(await refused!.json()).toMatchObject({ type: "RATE_LIMITED" });
      expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      await Promise.all(flood.filter(res => res !== refused).map(res => res.body?.cancel()));
      // No circuit breaker opened: the right password works straight away.
      const signedIn = await login(TEST_ADMIN.password);
      expect(signedIn.status).toBe(200);
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

  it("answers any origin's ordinary request, naming only a configured origin, exactly", async () => {
    const system = await startSingleNode(
      testConfig({ corsOrigins: ["https://rooms.example.org"] }),
    );
    try {
      const request = httpClient(system.baseUrl);
      const health = (origin: string) => request("GET", "/api/health", { headers: { origin } });
      const allowed = await health("https://rooms.example.org");
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://rooms.example.org");
      // Unlisted, a prefix of a listed one, and "null" (a sandboxed page): answered, not named.
      for (const origin of ["https://evil.example.com", "https://rooms.example.or", "null"]) {
        const res = await health(origin);
        expect(res.status).toBe(200);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        expect(res.headers.get("vary")).toContain("Origin");
      }
      // A browser sends Origin on the web client's own sign-in, a same-origin POST.
      const signIn = await request("POST", "/api/auth/login", {
        json: { email: "nobody@example.org", password: "Whatever-pass-1" },
        headers: { origin: system.baseUrl },
      });
      expect(signIn.status).toBe(401);
      expect(signIn.body).toMatchObject({ type: "INVALID_CREDENTIALS" });
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
