/**
 * The users service's behaviour, called on the broker as other services and the REPL do. Run
 * once on the embedded store and once on the Mongo-wire server: the same rules must hold on both.
 */
import jwt from "jsonwebtoken";
import type { ServiceBroker } from "moleculer";
import type { AppConfig } from "../../lib/config";
import type { AuthUser } from "../../lib/auth";
import { jwtSecret } from "../../lib/config";
import { createUsersService } from "../../services/users.service";
import { deriveSessionKey, signSessionToken } from "../../services/users/session-token";
import { testBroker } from "./local-system";
import { TEST_ADMIN } from "./test-env";

interface Session {
  token: string;
  user: { id: string; email: string; role: string; locale: string; name: string };
}

const GOOD_PASSWORD = "Tulips-and-canals-42";

async function rejection(promise: Promise<unknown>): Promise<{ code: number; type: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; type: string };
  }
  throw new Error("expected the call to be refused");
}

export function describeUsersService(
  label: string,
  makeConfig: () => AppConfig,
  cleanup?: () => Promise<void>,
) {
  describe(`users service (${label})`, () => {
    let broker: ServiceBroker;
    let admin: Session;
    const asUser = (user: AuthUser) => ({ meta: { user } });
    const asAdmin = () => asUser({ id: admin.user.id, role: "admin", locale: "en" });
    let counter = 0;
    const register = (overrides: Record<string, unknown> = {}) =>
      broker.call<Session, Record<string, unknown>>("users.register", {
        email: `person${++counter}@example.org`,
        password: GOOD_PASSWORD,
        name: `Person ${counter}`,
        ...overrides,
      });

    beforeAll(async () => {
      broker = testBroker();
      broker.createService(createUsersService(makeConfig()));
      await broker.start();
      admin = await broker.call("users.login", TEST_ADMIN);
    });

    afterAll(async () => {
      await broker.stop();
      await cleanup?.();
    });

    it("seeds the first admin from the configuration", () => {
      expect(admin.user).toMatchObject({ email: TEST_ADMIN.email, role: "admin", active: true });
    });

    it("registers a member and never returns the password hash or internal fields", async () => {
      const session = await register({ email: "Ann.de.Vries@Example.org", locale: "en" });
      expect(session.token).toEqual(expect.any(String));
      expect(session.user).toMatchObject({
        email: "Ann.de.Vries@Example.org",
        role: "member",
        locale: "en",
      });
      expect(typeof session.user.id).toBe("string");
      expect(Object.keys(session.user).sort()).toEqual(
        ["active", "createdAt", "email", "id", "locale", "name", "role", "updatedAt"].sort(),
      );
    });

    it("treats e-mail addresses as equal in any letter case", async () => {
      await register({ email: "case@example.org" });
      expect(await rejection(register({ email: "CASE@Example.ORG" }))).toMatchObject({
        code: 409,
        type: "EMAIL_TAKEN",
      });
    });

    it("lets exactly one of 20 racing registrations of one e-mail through", async () => {
      const attempts = Array.from({ length: 20 }, (_, i) =>
        register({ email: i % 2 ? "race@example.org" : "RACE@example.org" }).then(
          () => "created",
          (err: { type: string }) => err.type,
        ),
      );
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter(o => o === "created")).toHaveLength(1);
      expect(outcomes.filter(o => o === "EMAIL_TAKEN")).toHaveLength(19);
    });

    it("refuses weak passwords", async () => {
      for (const password of [
        "short1!",
        "abcdefghijkl",
        "12345678901",
        "aaaaaaaaaaaa",
        "wachtwoord123",
      ]) {
        expect(await rejection(register({ password }))).toMatchObject({
          code: 422,
          type: "WEAK_PASSWORD",
        });
      }
    });

    it("refuses bad input with a validation error", async () => {
      expect(await rejection(register({ email: "not-an-email" }))).toMatchObject({
        type: "VALIDATION_ERROR",
      });
      expect(await rejection(register({ role: "admin" }))).toMatchObject({
        type: "VALIDATION_ERROR",
      });
      expect(await rejection(register({ email: { $gt: "" } }))).toMatchObject({
        type: "VALIDATION_ERROR",
      });
    });

    it("logs in with the right password only, without telling whether the e-mail exists", async () => {
      const { user } = await register({ email: "login@example.org" });
      const session = await broker.call<Session, object>("users.login", {
        email: "LOGIN@example.org",
        password: GOOD_PASSWORD,
      });
      expect(session.user.id).toBe(user.id);
      const wrong = await rejection(
        broker.call("users.login", { email: "login@example.org", password: "nope-nope-nope" }),
      );
      const unknown = await rejection(
        broker.call("users.login", { email: "nobody@example.org", password: GOOD_PASSWORD }),
      );
      expect(wrong).toMatchObject({ code: 401, type: "INVALID_CREDENTIALS" });
      expect(unknown).toMatchObject({ code: 401, type: "INVALID_CREDENTIALS" });
    });

    it("resolves a valid token and refuses tampered, expired and unsigned ones", async () => {
      const { token, user } = await register();
      await expect(broker.call("users.resolveToken", { token })).resolves.toEqual({
        id: user.id,
        role: "member",
        locale: "nl",
      });

      const [header, payload, signature] = token.split(".");
      const forged = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(payload, "base64url").toString()),
          sub: admin.user.id,
        }),
      ).toString("base64url");
      const tampered = `${header}.${forged}.${signature}`;
      const expired = signSessionToken(
        { sub: user.id, ver: 0 },
        deriveSessionKey(jwtSecret()),
        -10,
      );
      const unsigned = jwt.sign({ ver: 0 }, "", {
        algorithm: "none",
        subject: user.id,
        issuer: "mindspaces",
      });
      const otherAlgorithm = jwt.sign({ ver: 0 }, jwtSecret(), {
        algorithm: "HS512",
        subject: user.id,
        issuer: "mindspaces",
      });

      for (const bad of [tampered, unsigned, otherAlgorithm, "garbage"]) {
        expect(await rejection(broker.call("users.resolveToken", { token: bad }))).toMatchObject({
          code: 401,
          type: "TOKEN_INVALID",
        });
      }
      expect(await rejection(broker.call("users.resolveToken", { token: expired }))).toMatchObject({
        code: 401,
        type: "TOKEN_EXPIRED",
      });
    });

    it("reads and updates the caller's own profile", async () => {
      const { user } = await register();
      const me = asUser({ id: user.id, role: "member", locale: "nl" });
      const updated = await broker.call<Session["user"], object>(
        "users.updateMe",
        { name: "Renamed", locale: "en" },
        me,
      );
      expect(updated).toMatchObject({ id: user.id, name: "Renamed", locale: "en" });
      await expect(broker.call("users.me", {}, me)).resolves.toMatchObject({
        name: "Renamed",
        locale: "en",
      });
      expect(await rejection(broker.call("users.me", {}))).toMatchObject({
        code: 401,
        type: "UNAUTHENTICATED",
      });
      expect(await rejection(broker.call("users.updateMe", { role: "admin" }, me))).toMatchObject({
        type: "VALIDATION_ERROR",
      });
    });

    it("lets an admin change roles, and a deactivation revoke every token for good", async () => {
      const { user, token } = await register({ email: "leaver@example.org" });
      const promoted = await broker.call<Session["user"], object>(
        "users.update",
        { id: user.id, role: "manager" },
        asAdmin(),
      );
      expect(promoted.role).toBe("manager");
      await expect(broker.call("users.resolveToken", { token })).resolves.toMatchObject({
        role: "manager",
      });

      await broker.call("users.update", { id: user.id, active: false }, asAdmin());
      expect(await rejection(broker.call("users.resolveToken", { token }))).toMatchObject({
        code: 401,
      });
      expect(
        await rejection(
          broker.call("users.login", { email: "leaver@example.org", password: GOOD_PASSWORD }),
        ),
      ).toMatchObject({
        code: 401,
        type: "ACCOUNT_DEACTIVATED",
      });

      await broker.call("users.update", { id: user.id, active: true }, asAdmin());
      expect(await rejection(broker.call("users.resolveToken", { token }))).toMatchObject({
        code: 401,
        type: "TOKEN_INVALID",
      });
      const fresh = await broker.call<Session, object>("users.login", {
        email: "leaver@example.org",
        password: GOOD_PASSWORD,
      });
      await expect(
        broker.call("users.resolveToken", { token: fresh.token }),
      ).resolves.toMatchObject({ id: user.id });
    });

    it("never leaves the system without an active admin", async () => {
      expect(
        await rejection(
          broker.call("users.update", { id: admin.user.id, role: "member" }, asAdmin()),
        ),
      ).toMatchObject({
        code: 422,
        type: "LAST_ADMIN",
      });
      expect(
        await rejection(
          broker.call("users.update", { id: admin.user.id, active: false }, asAdmin()),
        ),
      ).toMatchObject({
        type: "LAST_ADMIN",
      });
    });

    it("keeps an admin when the last two take away each other's role at the same moment", async () => {
      const as = (who: Session) => asUser({ id: who.user.id, role: "admin", locale: "en" });
      const activeAdmins = async () =>
        (
          await broker.call<{ rows: { id: string }[] }, object>(
            "users.list",
            { role: "admin", active: true, pageSize: 100 },
            asAdmin(),
          )
        ).rows;
      for (let round = 0; round < 5; round++) {
        const [ann, ben] = [await register(), await register()];
        for (const who of [ann, ben]) {
          await broker.call("users.update", { id: who.user.id, role: "admin" }, asAdmin());
        }
        // Every other admin steps aside, so Ann and Ben are the only ones.
        const others = (await activeAdmins())
          .map(a => a.id)
          .filter(id => id !== ann.user.id && id !== ben.user.id);
        for (const id of others) {
          await broker.call("users.update", { id, role: "member" }, as(ann));
        }

        const results = await Promise.allSettled([
          broker.call("users.update", { id: ben.user.id, role: "member" }, as(ann)),
          broker.call("users.update", { id: ann.user.id, role: "member" }, as(ben)),
        ]);
        const refused = results.filter(r => r.status === "rejected");
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ type: "LAST_ADMIN" });
        const admins = await activeAdmins();
        expect(admins).toHaveLength(1);

        const survivor = admins[0].id === ann.user.id ? ann : ben;
        for (const id of others) {
          await broker.call("users.update", { id, role: "admin" }, as(survivor));
        }
      }
    });

    it("answers 404 for unknown user ids, whatever their shape", async () => {
      for (const id of ["000000000000000000000000", "nope", "x".repeat(64)]) {
        expect(
          await rejection(broker.call("users.update", { id, role: "manager" }, asAdmin())),
        ).toMatchObject({
          code: 404,
          type: "USER_NOT_FOUND",
        });
      }
    });

    it("lists users a bounded page at a time and searches literally", async () => {
      await register({ email: "zz.search+literal@example.org", name: "Search Target" });
      const page = await broker.call<{ rows: unknown[]; total: number; pageSize: number }, object>(
        "users.list",
        { page: 1, pageSize: 2 },
        asAdmin(),
      );
      expect(page.rows).toHaveLength(2);
      expect(page.total).toBeGreaterThan(2);
      const found = await broker.call<{ rows: { email: string }[] }, object>(
        "users.list",
        { search: "search+literal" },
        asAdmin(),
      );
      expect(found.rows.map(r => r.email)).toEqual(["zz.search+literal@example.org"]);
      const pattern = await broker.call<{ total: number }, object>(
        "users.list",
        { search: ".*" },
        asAdmin(),
      );
      expect(pattern.total).toBe(0);
      expect(
        await rejection(broker.call("users.list", { pageSize: 1000 }, asAdmin())),
      ).toMatchObject({ type: "VALIDATION_ERROR" });
      expect(
        await rejection(broker.call("users.list", { query: { role: "admin" } }, asAdmin())),
      ).toMatchObject({ type: "VALIDATION_ERROR" });
    });

    it("tells managers the names of users by id, and nothing else about them", async () => {
      const ann = await register({ name: "Ann Names" });
      const ben = await register({ name: "Ben Names" });
      const asManager = () => asUser({ id: ann.user.id, role: "manager", locale: "en" });
      const names = await broker.call<{ id: string; name: string }[], object>(
        "users.names",
        { ids: `${ann.user.id},${ben.user.id},${ann.user.id},000000000000000000000000,nope` },
        asManager(),
      );
      expect(names).toEqual(
        expect.arrayContaining([
          { id: ann.user.id, name: "Ann Names" },
          { id: ben.user.id, name: "Ben Names" },
        ]),
      );
      expect(names).toHaveLength(2);
      const list = await broker.call<unknown[], object>(
        "users.names",
        { ids: [ben.user.id] },
        asManager(),
      );
      expect(list).toEqual([{ id: ben.user.id, name: "Ben Names" }]);
      const tooMany = Array.from({ length: 101 }, (_, i) => `id${i}`);
      for (const ids of ["", " , ", tooMany.join(","), tooMany, "x".repeat(65), { $ne: "" }]) {
        expect(await rejection(broker.call("users.names", { ids }, asManager()))).toMatchObject({
          type: "VALIDATION_ERROR",
        });
      }
    });

    it("keeps moleculer-db's generic actions switched off", async () => {
      for (const action of [
        "find",
        "list",
        "count",
        "insert",
        "create",
        "get",
        "update",
        "remove",
      ]) {
        expect(broker.registry.actions.isAvailable(`users.${action}`)).toBe(
          action === "list" || action === "update",
        );
      }
    });
  });
}
