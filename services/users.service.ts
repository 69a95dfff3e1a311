/**
 * users: accounts, credentials, roles and session tokens. The only service that sees password
 * hashes or the JWT secret; everything it returns is a `PublicUser`.
 */
import argon2 from "argon2";
import type { Context, Service, ServiceSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createDbMixin } from "../mixins/db.mixin";
import { isUniqueViolation } from "../lib/store";
import { idParam } from "../lib/params";
import { USER_EVENTS, UserEvent, type UserEvents } from "../lib/events/user-events";
import {
  createDurableEventsMixin,
  withEvent,
  type DurableEventsMethods,
} from "../mixins/durable-events.mixin";
import { withLock } from "../lib/store-lock";
import { findPage, pageParams } from "../lib/paging";
import { ROLES, requireUser, type AuthMeta, type AuthUser, type Role } from "../lib/auth";
import { ConfigError, jwtSecret, loadConfig, type AppConfig, type Locale } from "../lib/config";
import { ErrorType, MindSpacesError, fail } from "../lib/errors";
import { isAcceptablePassword, PASSWORD_MAX_LENGTH } from "./users/password-policy";
import { signSessionToken, verifySessionToken } from "./users/session-token";
import {
  emailKey,
  erasure,
  toAuthUser,
  toPublicUser,
  type PublicUser,
  type UserRecord,
} from "./users/user-record";

export interface UsersSettings {
  selfRegistration: boolean;
  jwtExpiresIn: string;
  defaultLocale: Locale;
}

interface UsersMethods extends DurableEventsMethods<UserEvents> {
  eraseAccount(id: string, by: string): Promise<{ erased: true; userId: string }>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  createUser(input: NewUser): Promise<UserRecord>;
  issueSession(user: UserRecord): { token: string; user: PublicUser };
  assertAnotherActiveAdmin(exceptId: string): Promise<void>;
  withAdminsLocked<T>(work: () => Promise<T>): Promise<T>;
  seedAdmin(): Promise<void>;
}

interface NewUser {
  email: string;
  password: string;
  name: string;
  locale: Locale;
  role: Role;
}

interface UsersVars {
  adapter: DbAdapter;
  locks: DbAdapter;
  secret: string;
}

type UsersThis = Service<UsersSettings> & UsersMethods & UsersVars;

interface RegisterParams {
  email: string;
  password: string;
  name: string;
  locale?: Locale;
}
interface LoginParams {
  email: string;
  password: string;
}
interface UpdateMeParams {
  name?: string;
  locale?: Locale;
}
interface ListParams {
  page: number;
  pageSize: number;
  search?: string;
  role?: Role;
  active?: boolean;
}
interface UpdateParams {
  id: string;
  role?: Role;
  active?: boolean;
}

/**
 * A hash of a random password, verified against when the e-mail is unknown, so a failed login
 * takes as long whether or not the account exists (no account discovery by timing).
 */
const decoyHash = argon2.hash(`decoy-${Math.random()}-${Date.now()}`);

const nameParam = { type: "string", trim: true, min: 1, max: 100 } as const;
const localeParam = { type: "enum", values: ["nl", "en"] } as const;
const passwordParam = { type: "string", min: 1, max: PASSWORD_MAX_LENGTH * 8 } as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function createUsersService(
  config: AppConfig,
): ServiceSchema<UsersSettings, UsersMethods, UsersVars> {
  return {
    name: "users",

    mixins: [
      createDbMixin(
        {
          collection: "users",
          indexes: [
            { fields: { emailKey: 1 }, unique: true },
            { fields: { role: 1, active: 1 } },
            { fields: { outboxSince: 1 }, sparse: true },
          ],
          // Changes that may take away an admin happen one at a time (withAdminsLocked).
          extra: [{ collection: "user_locks", property: "locks" }],
        },
        config,
      ),
      createDurableEventsMixin<UserEvents>(USER_EVENTS),
    ],

    settings: {
      selfRegistration: config.selfRegistration,
      jwtExpiresIn: config.jwtExpiresIn,
      defaultLocale: config.defaultLocale,
    },

    actions: {
      /**
       * Creates a member account and signs it in.
       * Takes `{ email, password, name, locale? }`; returns `{ token, user }`.
       * Refuses: REGISTRATION_CLOSED (403), WEAK_PASSWORD (422), EMAIL_TAKEN (409).
       */
      register: {
        visibility: "published",
        auth: "none",
        openapi: {
          summary: "Create a member account and sign in",
          response: { status: 201, schema: "Session", description: "The account, signed in." },
          errors: [ErrorType.REGISTRATION_CLOSED, ErrorType.WEAK_PASSWORD, ErrorType.EMAIL_TAKEN],
        },
        params: {
          email: { type: "email", max: 254 },
          password: passwordParam,
          name: nameParam,
          locale: { ...localeParam, optional: true },
          $$strict: true,
        },
        async handler(
          this: UsersThis,
          ctx: Context<RegisterParams, AuthMeta & { $statusCode?: number }>,
        ) {
          if (!this.settings.selfRegistration) {
            fail(ErrorType.REGISTRATION_CLOSED);
          }
          const { email, password, name } = ctx.params;
          const user = await this.createUser({
            email: email.trim(),
            password,
            name,
            locale: ctx.params.locale ?? this.settings.defaultLocale,
            role: "member",
          });
          ctx.meta.$statusCode = 201;
          return this.issueSession(user);
        },
      },

      /**
       * Signs in. Takes `{ email, password }`; returns `{ token, user }`.
       * Refuses: INVALID_CREDENTIALS (401), ACCOUNT_DEACTIVATED (401).
       */
      login: {
        visibility: "published",
        auth: "none",
        openapi: {
          summary: "Sign in",
          response: { schema: "Session", description: "Signed in." },
          errors: [ErrorType.INVALID_CREDENTIALS, ErrorType.ACCOUNT_DEACTIVATED],
        },
        params: {
          email: { type: "string", max: 254 },
          password: passwordParam,
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<LoginParams, AuthMeta>) {
          const user = await this.findByEmail(ctx.params.email);
          const hash = user ? user.passwordHash : await decoyHash;
          const matches = await argon2.verify(hash, ctx.params.password);
          if (!user || !matches) {
            fail(ErrorType.INVALID_CREDENTIALS);
          }
          if (!user.active) {
            fail(ErrorType.ACCOUNT_DEACTIVATED);
          }
          return this.issueSession(user);
        },
      },

      /** The signed-in user's own profile. */
      me: {
        visibility: "published",
        openapi: {
          summary: "Your own profile",
          response: { schema: "User", description: "The signed-in user." },
          errors: [ErrorType.USER_NOT_FOUND],
        },
        params: { $$strict: true },
        retryPolicy: { enabled: true },
        async handler(this: UsersThis, ctx: Context<Record<string, never>, AuthMeta>) {
          const user = await this.findById(requireUser(ctx).id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          return toPublicUser(user);
        },
      },

      /** Changes the signed-in user's own name and/or locale; returns the updated profile. */
      updateMe: {
        visibility: "published",
        openapi: {
          summary: "Change your own name or language",
          response: { schema: "User", description: "The profile as changed." },
          errors: [ErrorType.USER_NOT_FOUND],
        },
        params: {
          name: { ...nameParam, optional: true },
          locale: { ...localeParam, optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<UpdateMeParams, AuthMeta>) {
          const id = requireUser(ctx).id;
          const changes: Partial<UserRecord> = {};
          if (ctx.params.name !== undefined) changes.name = ctx.params.name;
          if (ctx.params.locale !== undefined) changes.locale = ctx.params.locale;
          if (Object.keys(changes).length > 0) {
            changes.updatedAt = new Date().toISOString();
            await this.adapter.updateById(id, { $set: changes });
          }
          const user = await this.findById(id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          return toPublicUser(user);
        },
      },

      /**
       * Admin: lists users, newest first, a bounded page at a time.
       * Takes `{ page?, pageSize? (max 100), search?, role?, active? }`; returns `{ rows, total, page, pageSize, totalPages }`.
       */
      list: {
        visibility: "published",
        roles: ["admin"],
        retryPolicy: { enabled: true },
        openapi: {
          summary: "List users, newest first",
          response: { schema: "UserPage", description: "One page of users." },
        },
        params: {
          ...pageParams,
          search: { type: "string", trim: true, max: 100, optional: true },
          role: { type: "enum", values: [...ROLES], optional: true },
          active: { type: "boolean", convert: true, optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<ListParams, AuthMeta>) {
          const { page, pageSize, search, role, active } = ctx.params;
          const query: Record<string, unknown> = { erased: { $ne: true } };
          if (role !== undefined) query.role = role;
          if (active !== undefined) query.active = active;
          if (search) {
            // Escaped, so the search text is matched literally and cannot become a pattern.
            const pattern = new RegExp(escapeRegExp(search), "i");
            query.$or = [{ emailKey: { $regex: pattern } }, { name: { $regex: pattern } }];
          }
          return findPage(
            this.adapter,
            { query, sort: ["-createdAt"], page, pageSize },
            toPublicUser,
          );
        },
      },

      /**
       * Admin: changes a user's role and/or deactivates or reactivates them.
       * Takes `{ id, role?, active? }`; returns the updated user.
       * Refuses: USER_NOT_FOUND (404), LAST_ADMIN (422) when no active admin would remain.
       */
      update: {
        visibility: "published",
        roles: ["admin"],
        openapi: {
          summary: "Change a user's role, or deactivate or reactivate them",
          description: "Deactivating revokes every token the user holds.",
          response: { schema: "User", description: "The user as changed." },
          errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
        },
        params: {
          id: idParam,
          role: { type: "enum", values: [...ROLES], optional: true },
          active: { type: "boolean", optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<UpdateParams, AuthMeta>) {
          const { id, role, active } = ctx.params;
          const user = await this.findById(id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          const losesAdmin =
            user.role === "admin" &&
            user.active &&
            ((role !== undefined && role !== "admin") || active === false);
          const apply = async () => {
            if (losesAdmin) await this.assertAnotherActiveAdmin(id);
            const changes: Partial<UserRecord> = { updatedAt: new Date().toISOString() };
            if (role !== undefined) changes.role = role;
            if (active !== undefined) changes.active = active;
            // A deactivation revokes every token issued so far, also for a later reactivation.
            if (active === false && user.active) changes.tokenVersion = user.tokenVersion + 1;
            await this.adapter.updateById(id, { $set: changes });
          };
          await (losesAdmin ? this.withAdminsLocked(apply) : apply());
          const updated = await this.findById(id);
          if (!updated) fail(ErrorType.USER_NOT_FOUND);
          this.logger.info("User changed by admin", {
            userId: id,
            by: requireUser(ctx).id,
            role,
            active,
          });
          return toPublicUser(updated);
        },
      },

      /**
       * For the gateway: turns a bearer token into the caller. Refuses TOKEN_INVALID, TOKEN_EXPIRED
       * (401), and any token of a deactivated, erased or since-revoked account.
       */
      resolveToken: {
        visibility: "public",
        params: { token: { type: "string", min: 1, max: 4096 }, $$strict: true },
        retryPolicy: { enabled: true },
        async handler(this: UsersThis, ctx: Context<{ token: string }>): Promise<AuthUser> {
          const claims = verifySessionToken(ctx.params.token, this.secret);
          const user = await this.findById(claims.sub);
          if (!user || user.tokenVersion !== claims.ver) fail(ErrorType.TOKEN_INVALID);
          if (!user.active) fail(ErrorType.ACCOUNT_DEACTIVATED);
          return toAuthUser(user);
        },
      },

      /**
       * GDPR: everything MindSpaces holds about the signed-in user, from every service that
       * holds personal data, as one JSON document (offered as a download).
       */
      exportMe: {
        visibility: "published",
        openapi: {
          summary: "Everything MindSpaces holds about you (GDPR export)",
          response: {
            schema: "UserExport",
            description: "One JSON document, offered as a download.",
            attachment: true,
          },
          errors: [ErrorType.USER_NOT_FOUND],
        },
        params: { $$strict: true },
        async handler(
          this: UsersThis,
          ctx: Context<Record<string, never>, AuthMeta & { $responseHeaders?: object }>,
        ) {
          const user = await this.findById(requireUser(ctx).id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          const userId = String(user._id);
          const [reservations, notifications] = await Promise.all([
            ctx.call<{ own: unknown[]; cancelledForOthers: unknown[] }, { userId: string }>(
              "reservations.exportFor",
              { userId },
            ),
            ctx.call("notifications.exportFor", { userId }),
          ]);
          ctx.meta.$responseHeaders = {
            "Content-Disposition": 'attachment; filename="mindspaces-export.json"',
          };
          return {
            exportedAt: new Date().toISOString(),
            account: toPublicUser(user),
            reservations: reservations.own,
            reservationsCancelledForOthers: reservations.cancelledForOthers,
            notifications,
            // The reports read model holds no personal data: no owners, no titles.
            reports: null,
          };
        },
      },

      /** GDPR: erases the signed-in user's account and, through `user.erased`, their data. */
      eraseMe: {
        visibility: "published",
        openapi: {
          summary: "Erase your account (GDPR)",
          description:
            "Upcoming reservations are cancelled; past ones keep only space and time; notifications are deleted.",
          response: { schema: "Erasure", description: "The account is erased." },
          errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
        },
        params: { $$strict: true },
        async handler(this: UsersThis, ctx: Context<Record<string, never>, AuthMeta>) {
          const id = requireUser(ctx).id;
          return this.eraseAccount(id, id);
        },
      },

      /** Admin: erases another user's account and data, as `eraseMe` does for oneself. */
      erase: {
        visibility: "published",
        roles: ["admin"],
        openapi: {
          summary: "Erase another user's account (GDPR)",
          response: { schema: "Erasure", description: "The account is erased." },
          errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
        },
        params: { id: idParam, $$strict: true },
        async handler(this: UsersThis, ctx: Context<{ id: string }, AuthMeta>) {
          return this.eraseAccount(ctx.params.id, requireUser(ctx).id);
        },
      },

      /**
       * Internal (not routed): how to reach a user, for notifications. `null` for an unknown,
       * deactivated or erased account, which gets no messages.
       */
      contact: {
        visibility: "public",
        params: { id: idParam, $$strict: true },
        retryPolicy: { enabled: true },
        async handler(this: UsersThis, ctx: Context<{ id: string }>) {
          const user = await this.findById(ctx.params.id);
          if (!user || !user.active) return null;
          return { email: user.email, name: user.name, locale: user.locale };
        },
      },
    },

    methods: {
      async findByEmail(this: UsersThis, email: string) {
        const record = (await this.adapter.findOne({
          emailKey: emailKey(email),
        })) as UserRecord | null;
        return record && !record.erased ? record : null;
      },

      async findById(this: UsersThis, id: string) {
        // findById, not findOne({ _id }): on MongoDB it turns the string into an ObjectId.
        const record = ((await this.adapter.findById(id)) ?? null) as UserRecord | null;
        // An erased account's tombstone is nobody: not found, cannot sign in, gets no mail.
        return record && !record.erased ? record : null;
      },

      /**
       * Erases a user: the record keeps only its id and dates, and a durable `user.erased` event,
       * stored with that change, makes every other service erase or anonymise what it holds.
       */
      async eraseAccount(this: UsersThis, id: string, by: string) {
        const user = await this.findById(id);
        if (!user) fail(ErrorType.USER_NOT_FOUND);
        const at = new Date().toISOString();
        const event = this.stageEvent(UserEvent.ERASED, { userId: id, erasedAt: at, by });
        const erase = () =>
          this.adapter.updateMany(
            { _id: user._id, tokenVersion: user.tokenVersion },
            withEvent({ $set: erasure(user, at) }, event),
          );
        if (user.role === "admin" && user.active) {
          await this.withAdminsLocked(async () => {
            await this.assertAnotherActiveAdmin(id);
            await erase();
          });
        } else {
          await erase();
        }
        await this.flushOutbox(user._id, [event]);
        // Who asked, never whom it was about beyond the id: the point is to forget them.
        this.logger.info("User erased", { userId: id, by });
        return { erased: true as const, userId: id };
      },

      async createUser(this: UsersThis, input: NewUser) {
        if (!isAcceptablePassword(input.password, input.email)) {
          fail(ErrorType.WEAK_PASSWORD);
        }
        // A quick check spares the hashing work; the unique index is what actually decides a race.
        if (await this.findByEmail(input.email)) fail(ErrorType.EMAIL_TAKEN);
        const now = new Date().toISOString();
        const record = {
          email: input.email,
          emailKey: emailKey(input.email),
          name: input.name,
          locale: input.locale,
          role: input.role,
          active: true,
          passwordHash: await argon2.hash(input.password, { type: argon2.argon2id }),
          tokenVersion: 0,
          createdAt: now,
          updatedAt: now,
        };
        try {
          return (await this.adapter.insert(record)) as UserRecord;
        } catch (err) {
          if (isUniqueViolation(err)) fail(ErrorType.EMAIL_TAKEN);
          throw err;
        }
      },

      issueSession(this: UsersThis, user: UserRecord) {
        const token = signSessionToken(
          { sub: String(user._id), ver: user.tokenVersion },
          this.secret,
          this.settings.jwtExpiresIn,
        );
        return { token, user: toPublicUser(user) };
      },

      /**
       * Runs a change that may take away an active admin while no other such change runs, on
       * any instance: otherwise two admins demoting each other at once could both pass the
       * "another admin remains" check, and none would remain.
       */
      async withAdminsLocked<T>(this: UsersThis, work: () => Promise<T>): Promise<T> {
        return withLock(this.locks, "admins", work, () => fail(ErrorType.CONCURRENT_UPDATE));
      },

      async assertAnotherActiveAdmin(this: UsersThis, exceptId: string) {
        const admins = (await this.adapter.find({
          query: { role: "admin", active: true },
        })) as UserRecord[];
        if (!admins.some(admin => String(admin._id) !== exceptId)) {
          fail(ErrorType.LAST_ADMIN);
        }
      },

      async seedAdmin(this: UsersThis) {
        const { adminEmail, adminPassword } = config;
        if (!adminEmail || !adminPassword) return;
        const existing = await this.findByEmail(adminEmail);
        if (existing) {
          if (existing.role !== "admin") {
            this.logger.warn(
              "ADMIN_EMAIL belongs to an existing account that is not an admin; left unchanged.",
            );
          }
          return;
        }
        try {
          await this.createUser({
            email: adminEmail,
            password: adminPassword,
            name: "Administrator",
            locale: this.settings.defaultLocale,
            role: "admin",
          });
          this.logger.info("Seeded the first admin account from ADMIN_EMAIL.");
        } catch (err) {
          // Another instance seeding at the same moment is fine; anything else must stop the start.
          if (err instanceof MindSpacesError && err.type === ErrorType.EMAIL_TAKEN) return;
          if (err instanceof MindSpacesError && err.type === ErrorType.WEAK_PASSWORD) {
            // The operator's to fix, so the runner reports it without a stack trace.
            throw new ConfigError(
              "ADMIN_PASSWORD",
              "does not meet the password policy: at least 10 characters, not only letters or " +
                "only digits, not a common password, and not containing the name part of ADMIN_EMAIL",
            );
          }
          throw err;
        }
      },
    },

    created(this: UsersThis) {
      this.secret = jwtSecret();
    },

    async started(this: UsersThis) {
      await this.seedAdmin();
    },
  };
}

export default createUsersService(loadConfig());
