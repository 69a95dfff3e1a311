/**
 * What a client sees over HTTP, run against every way MindSpaces can be deployed: one process,
 * several brokers over NATS, and separate operating-system processes.
 */
import jwt from "jsonwebtoken";
import { deriveSessionKey, signSessionToken } from "../../services/users/session-token";
import type { HttpRequest } from "./http-client";
import { overHttp, type HttpSession } from "./http-sessions";
import { TEST_ADMIN, uniqueName } from "./test-env";

export interface RunningSystem {
  baseUrl: string;
  /** The JWT secret the system signs with, to forge an expired token. */
  secret: string;
  stop(): Promise<unknown>;
}

type Session = HttpSession;

export const CONTRACT_PASSWORD = "Bicycle-bridge-77";
const PASSWORD = CONTRACT_PASSWORD;

export function describeHttpContract(label: string, start: () => Promise<RunningSystem>) {
  describe(`REST API through the gateway (${label})`, () => {
    const on = overHttp(start, { password: PASSWORD, prefix: "u" });
    let system: RunningSystem;
    let request: HttpRequest;
    let admin: Session;
    const registerMember = (locale?: string) => on.registerMember(locale);
    const prefix = uniqueName("u");
    beforeAll(() => ({ system, request, admin } = on));

    it("serves health without signing in, with the details for admins only", async () => {
      const res = await request("GET", "/api/health");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok", ready: true });
      const detailed = await request("GET", "/api/health", { token: admin.token });
      expect(detailed.body).toMatchObject({
        status: "ok",
        ready: true,
        services: { users: true, spaces: true },
      });
    });

    it("registers, logs in and reads and changes the own profile", async () => {
      const email = `${prefix}-roundtrip@example.org`;
      const registered = await request<Session>("POST", "/api/auth/register", {
        json: { email, password: PASSWORD, name: "Round Trip" },
      });
      expect(registered.status).toBe(201);
      expect(registered.body.user).not.toHaveProperty("passwordHash");

      const login = await request<Session>("POST", "/api/auth/login", {
        json: { email: email.toUpperCase(), password: PASSWORD },
      });
      expect(login.status).toBe(200);
      const me = await request("GET", "/api/users/me", { token: login.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, name: "Round Trip", role: "member" });

      const patched = await request("PATCH", "/api/users/me", {
        token: login.body.token,
        json: { locale: "en" },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ locale: "en" });
    });

    it("changes a password, ending every session, and signs out on every device", async () => {
      const email = `${prefix}-password@example.org`;
      const login = (password: string) =>
        request<Session>("POST", "/api/auth/login", { json: { email, password } });
      const registered = await request<Session>("POST", "/api/auth/register", {
        json: { email, password: PASSWORD, name: "Pass Word" },
      });
      expect(registered.status).toBe(201);
      const elsewhere = (await login(PASSWORD)).body.token;
      const change = (token: string, currentPassword: string, newPassword: string) =>
        request<Session>("POST", "/api/users/me/password", {
          token,
          json: { currentPassword, newPassword },
        });

      const wrong = await change(registered.body.token, "Not-my-password-1", "Harbour-lights-88");
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({
        type: "VALIDATION_ERROR",
        data: [{ field: "currentPassword", rule: "passwordMismatch" }],
      });
      const weak = await change(registered.body.token, PASSWORD, "password123");
      expect(weak.status).toBe(422);
      expect(weak.body).toMatchObject({ type: "WEAK_PASSWORD" });
      // Neither changed anything: both sessions still work.
      expect((await request("GET", "/api/users/me", { token: elsewhere })).status).toBe(200);

      const changed = await change(registered.body.token, PASSWORD, "Harbour-lights-88");
      expect(changed.status).toBe(200);
      expect(changed.body.user).toMatchObject({ email });
      expect(changed.body.user).not.toHaveProperty("passwordHash");
      for (const old of [registered.body.token, elsewhere]) {
        expect((await request("GET", "/api/users/me", { token: old })).status).toBe(401);
      }
      expect((await request("GET", "/api/users/me", { token: changed.body.token })).status).toBe(
        200,
      );
      expect((await login(PASSWORD)).status).toBe(401);
      const again = await login("Harbour-lights-88");
      expect(again.status).toBe(200);

      const signedOut = await request("POST", "/api/users/me/sign-out", {
        token: changed.body.token,
      });
      expect(signedOut.status).toBe(200);
      expect(signedOut.body).toEqual({ signedOut: true });
      for (const old of [changed.body.token, again.body.token]) {
        expect((await request("GET", "/api/users/me", { token: old })).status).toBe(401);
      }
      expect((await login("Harbour-lights-88")).status).toBe(200);
    });

    it("sets security headers, also on a 404", async () => {
      for (const path of ["/api/health", "/api/nothing-here"]) {
        const res = await request("GET", path);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("x-frame-options")).toBe("DENY");
        expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
        expect(res.headers.get("cache-control")).toBe("no-store");
      }
    });

    describe("refuses", () => {
      it("a missing, malformed, tampered, expired or unsigned token with 401", async () => {
        const member = await registerMember();
        const [header, payload, signature] = member.token.split(".");
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
        const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: admin.user.id })).toString("base64url")}.${signature}`;
        const expired = signSessionToken(
          { sub: member.user.id, ver: 0 },
          deriveSessionKey(system.secret),
          -60,
        );
        const unsigned = jwt.sign({ ver: 0 }, "", {
          algorithm: "none",
          subject: admin.user.id,
          issuer: "mindspaces",
        });

        expect((await request("GET", "/api/users/me")).status).toBe(401);
        const cases: [Record<string, string>, string][] = [
          [{ authorization: "Basic abc" }, "TOKEN_INVALID"],
          [{ authorization: `Bearer ${tampered}` }, "TOKEN_INVALID"],
          [{ authorization: `Bearer ${unsigned}` }, "TOKEN_INVALID"],
          [{ authorization: `Bearer ${expired}` }, "TOKEN_EXPIRED"],
        ];
        for (const [headers, type] of cases) {
          const res = await request("GET", "/api/users/me", { headers });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ code: 401, type });
        }
      });

      it("a member on an admin route with 403, and lets the admin through", async () => {
        const member = await registerMember();
        const listed = await request("GET", "/api/users", { token: member.token });
        expect(listed.status).toBe(403);
        expect(listed.body).toMatchObject({ type: "FORBIDDEN" });
        expect(
          (
            await request("PATCH", `/api/users/${member.user.id}`, {
              token: member.token,
              json: { role: "admin" },
            })
          ).status,
        ).toBe(403);

        const asAdmin = await request<{ rows: unknown[] }>("GET", "/api/users?pageSize=5", {
          token: admin.token,
        });
        expect(asAdmin.status).toBe(200);
        expect(asAdmin.body.rows.length).toBeGreaterThan(0);
      });

      it("a manager on an admin route with 403, and a deactivated user's token with 401", async () => {
        const member = await registerMember();
        const promoted = await request("PATCH", `/api/users/${member.user.id}`, {
          token: admin.token,
          json: { role: "manager" },
        });
        expect(promoted.status).toBe(200);
        expect((await request("GET", "/api/users", { token: member.token })).status).toBe(403);

        await request("PATCH", `/api/users/${member.user.id}`, {
          token: admin.token,
          json: { active: false },
        });
        expect((await request("GET", "/api/users/me", { token: member.token })).status).toBe(401);
      });

      it("operator objects in query strings and bodies with 400", async () => {
        const member = await registerMember();
        const inQuery = await request("GET", "/api/users?email[$ne]=x&role[$gt]=", {
          token: admin.token,
        });
        expect(inQuery.status).toBe(400);
        expect(inQuery.body).toMatchObject({ type: "OPERATOR_NOT_ALLOWED" });
        const inBody = await request("POST", "/api/auth/login", {
          json: { email: { $gt: "" }, password: { $ne: "x" } },
        });
        expect(inBody.status).toBe(400);
        const nested = await request("PATCH", "/api/users/me", {
          token: member.token,
          json: { name: { $set: { role: "admin" } } },
        });
        expect(nested.status).toBe(400);
        const dotted = await request("PATCH", "/api/users/me", {
          token: member.token,
          json: { "role.x": "admin" },
        });
        expect(dotted.status).toBe(400);
        const unknownField = await request("PATCH", "/api/users/me", {
          token: member.token,
          json: { role: "admin" },
        });
        expect(unknownField.status).toBe(400);
        expect(unknownField.body).toMatchObject({ type: "VALIDATION_ERROR" });
      });

      it("unknown and internal routes with 404", async () => {
        const paths = [
          "/api/$node/options",
          "/api/$node/list",
          "/api/~node/actions",
          "/api/users/find",
          "/api/users/list",
          "/api/users/count",
          "/api/users/resolveToken",
          "/api/users/get",
          "/api/api/health",
          "/api/nope",
          "/api/nope/deeper",
        ];
        for (const path of paths) {
          for (const method of ["GET", "POST"]) {
            const res = await request(method, path, {
              token: admin.token,
              json: method === "POST" ? {} : undefined,
            });
            expect({ path, method, status: res.status }).toEqual({ path, method, status: 404 });
            expect(res.body).toMatchObject({ type: "NOT_FOUND", data: null });
          }
        }
      });

      it("an oversized body with 413 and malformed JSON with 400", async () => {
        const big = await request("POST", "/api/auth/login", {
          rawBody: JSON.stringify({ email: "x".repeat(300_000), password: "y" }),
        });
        expect(big.status).toBe(413);
        expect(big.body).toMatchObject({ type: "PAYLOAD_TOO_LARGE" });
        const malformed = await request("POST", "/api/auth/login", {
          rawBody: '{"email": "a@b.nl", ',
        });
        expect(malformed.status).toBe(400);
        expect(malformed.body).toMatchObject({ type: "MALFORMED_JSON" });
      });

      it("a duplicate e-mail in any letter case with 409, also when 20 registrations race", async () => {
        const email = `${prefix}-race@example.org`;
        const attempts = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request("POST", "/api/auth/register", {
              json: {
                email: i % 2 ? email.toUpperCase() : email,
                password: PASSWORD,
                name: `Racer ${i}`,
              },
            }),
          ),
        );
        const statuses = attempts.map(a => a.status).sort();
        expect(statuses.filter(s => s === 201)).toHaveLength(1);
        expect(statuses.filter(s => s === 409)).toHaveLength(19);
        expect(attempts.find(a => a.status === 409)?.body).toMatchObject({ type: "EMAIL_TAKEN" });
      });

      it("a wrong password with 401 and no hint whether the account exists", async () => {
        const wrong = await request("POST", "/api/auth/login", {
          json: { email: TEST_ADMIN.email, password: "Not-the-password-1" },
        });
        const unknown = await request("POST", "/api/auth/login", {
          json: { email: `${prefix}-ghost@example.org`, password: PASSWORD },
        });
        expect(wrong.status).toBe(401);
        expect(unknown.status).toBe(401);
        expect(wrong.body).toEqual(unknown.body);
      });
    });

    it("answers errors in Dutch or English, in the documented shape, without internals", async () => {
      const dutch = await request("GET", "/api/users/me", {
        headers: { "accept-language": "nl-NL,nl;q=0.9,en;q=0.8" },
      });
      const english = await request("GET", "/api/users/me", {
        headers: { "accept-language": "en-GB" },
      });
      expect(dutch.body).toEqual({
        name: "MindSpacesError",
        message: "Log in om verder te gaan.",
        code: 401,
        type: "UNAUTHENTICATED",
        data: null,
      });
      expect(english.body).toMatchObject({
        message: "Please sign in to continue.",
        type: "UNAUTHENTICATED",
      });

      const member = await registerMember("en");
      const forbidden = await request("GET", "/api/users", {
        token: member.token,
        headers: { "accept-language": "nl" },
      });
      expect(forbidden.body).toMatchObject({ message: "You are not allowed to do this." });

      const invalid = await request("POST", "/api/auth/register", {
        json: { email: "nope", password: "secret-password-9", name: "X" },
      });
      expect(invalid.status).toBe(400);
      expect(JSON.stringify(invalid.body)).not.toContain("secret-password-9");
      expect(JSON.stringify(invalid.body)).not.toMatch(/stack|node_modules/);
    });
  });
}
