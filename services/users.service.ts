/**
 * users: accounts, credentials, roles and session tokens. The only service that sees password
 * hashes, the JWT secret or the signing key derived from it; everything it returns is a
 * `PublicUser`. Gateways check tokens themselves with the public key (`sessionKeys`) and learn of
 * every change that revokes or alters a session from the `user.authChanged` broadcast.
 */
import type { Context, ServiceSchema } from "moleculer";
import { createDbMixin } from "../mixins/db.mixin";
import { idParam, lineTextParam } from "../lib/params";
import { USER_EVENTS, type UserEvents } from "../lib/events/user-events";
import { createDurableEventsMixin, OUTBOX_INDEXES } from "../mixins/durable-events.mixin";
import { findPage, pageParams } from "../lib/paging";
import { apiDocs } from "./users/api-docs";
import { dataExport } from "./users/data-export";
import type {
  ChangePasswordParams,
  ListParams,
  LoginParams,
  RegisterParams,
  UpdateMeParams,
  UpdateParams,
  UsersMethods,
  UsersSettings,
  UsersThis,
  UsersVars,
} from "./users/service-types";
import { assertAnotherActiveAdmin, withAdminsLocked } from "./users/last-admin";
import { seedAdmin } from "./users/seed-admin";
import {
  changePassword,
  checkCredentials,
  createAccount,
  endSessions,
  findByEmail,
  findById,
  namesOf,
} from "./users/accounts";
import { eraseAccount } from "./users/erasure";
import { ROLES, requireUser, type AuthMeta, type AuthUser } from "../lib/auth";
import { answerCreated, type CreatedMeta } from "../lib/created";
import { jwtSecret, loadConfig, type AppConfig } from "../lib/config";
import { ErrorType, fail } from "../lib/errors";
import { PASSWORD_MAX_LENGTH } from "./users/password-policy";
import { deriveSessionKey, signSessionToken } from "./users/session-token";
import { verifySessionToken, type SessionPublicKey } from "../lib/session-token";
import {
  UserAuthEvent,
  type UserAuthChange,
  type UserAuthState,
} from "../lib/events/user-auth-events";
import {
  toAuthState,
  toAuthUser,
  toPublicUser,
  userListQuery,
  type UserRecord,
} from "./users/user-record";

const nameParam = lineTextParam({ min: 1, max: 100 });
const localeParam = { type: "enum", values: ["nl", "en"] } as const;
const passwordParam = { type: "string", min: 1, max: PASSWORD_MAX_LENGTH * 8 } as const;

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
            ...OUTBOX_INDEXES,
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
        openapi: apiDocs.register,
        params: {
          email: { type: "email", max: 254 },
          password: passwordParam,
          name: nameParam,
          locale: { ...localeParam, optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<RegisterParams, AuthMeta & CreatedMeta>) {
          if (!this.settings.selfRegistration) {
            fail(ErrorType.REGISTRATION_CLOSED);
          }
          const { email, password, name } = ctx.params;
          const user = await createAccount(this.adapter, {
            email: email.trim(),
            password,
            name,
            locale: ctx.params.locale ?? this.settings.defaultLocale,
            role: "member",
          });
          // The new account, as its owner reads it with the token in the answer.
          answerCreated(ctx.meta, "users", "me");
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
        openapi: apiDocs.login,
        params: {
          email: { type: "string", max: 254 },
          password: passwordParam,
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<LoginParams, AuthMeta>) {
          const { email, password } = ctx.params;
          return this.issueSession(await checkCredentials(this.adapter, email, password));
        },
      },

      /** The signed-in user's own profile. */
      me: {
        visibility: "published",
        openapi: apiDocs.me,
        params: { $$strict: true },
        retryPolicy: { enabled: true },
        async handler(this: UsersThis, ctx: Context<Record<string, never>, AuthMeta>) {
          const user = await findById(this.adapter, requireUser(ctx).id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          return toPublicUser(user);
        },
      },

      /** Changes the signed-in user's own name and/or locale; returns the updated profile. */
      updateMe: {
        visibility: "published",
        openapi: apiDocs.updateMe,
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
          const user = await findById(this.adapter, id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          // The locale travels in every request's meta, so gateways must learn of it at once.
          if (changes.locale !== undefined) await this.announceAuthState(id);
          return toPublicUser(user);
        },
      },

      /**
       * Changes the signed-in user's password: `{ currentPassword, newPassword }` → a new
       * session `{ token, user }`. Every token issued before stops working, on every device.
       */
      changePassword: {
        visibility: "published",
        openapi: apiDocs.changePassword,
        params: { currentPassword: passwordParam, newPassword: passwordParam, $$strict: true },
        async handler(this: UsersThis, ctx: Context<ChangePasswordParams, AuthMeta>) {
          const id = requireUser(ctx).id;
          const user = await changePassword(this.adapter, id, ctx.params);
          await this.announceAuthState(id);
          this.logger.info("Password changed", { userId: id });
          return this.issueSession(user);
        },
      },

      /**
       * Signs the user out on every device: every token issued so far stops working, the one
       * this request came with too.
       */
      endSessions: {
        visibility: "published",
        openapi: apiDocs.endSessions,
        params: { $$strict: true },
        async handler(this: UsersThis, ctx: Context<Record<string, never>, AuthMeta>) {
          const id = requireUser(ctx).id;
          const user = await findById(this.adapter, id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          await endSessions(this.adapter, user);
          await this.announceAuthState(id);
          this.logger.info("Signed out everywhere", { userId: id });
          return { signedOut: true };
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
        openapi: apiDocs.list,
        params: {
          ...pageParams,
          search: { type: "string", trim: true, max: 100, optional: true },
          role: { type: "enum", values: [...ROLES], optional: true },
          active: { type: "boolean", convert: true, optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<ListParams, AuthMeta>) {
          const { page, pageSize, ...filters } = ctx.params;
          const query = userListQuery(filters);
          return findPage(
            this.adapter,
            { query, sort: ["-createdAt"], page, pageSize },
            toPublicUser,
          );
        },
      },

      /**
       * Manager/admin: the names of up to 100 users, for showing who made a reservation.
       * Takes `{ ids }` (comma-separated or a list); returns `[{ id, name }]` for the ids that
       * belong to an account that is not erased, nothing else about them.
       */
      names: {
        visibility: "published",
        roles: ["manager", "admin"],
        retryPolicy: { enabled: true },
        openapi: apiDocs.names,
        params: {
          ids: [
            { type: "string", min: 1, max: 100 * 65 },
            { type: "array", min: 1, max: 100, items: { type: "string", min: 1, max: 64 } },
          ],
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<{ ids: string | string[] }, AuthMeta>) {
          return namesOf(this.adapter, ctx.params.ids);
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
        openapi: apiDocs.update,
        params: {
          id: idParam,
          role: { type: "enum", values: [...ROLES], optional: true },
          active: { type: "boolean", optional: true },
          $$strict: true,
        },
        async handler(this: UsersThis, ctx: Context<UpdateParams, AuthMeta>) {
          const { id, role, active } = ctx.params;
          const user = await findById(this.adapter, id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          const losesAdmin =
            user.role === "admin" &&
            user.active &&
            ((role !== undefined && role !== "admin") || active === false);
          const apply = async () => {
            if (losesAdmin) await assertAnotherActiveAdmin(this.adapter, id);
            const changes: Partial<UserRecord> = { updatedAt: new Date().toISOString() };
            if (role !== undefined) changes.role = role;
            if (active !== undefined) changes.active = active;
            // A deactivation revokes every token issued so far, also for a later reactivation.
            if (active === false && user.active) changes.tokenVersion = user.tokenVersion + 1;
            await this.adapter.updateById(id, { $set: changes });
          };
          await (losesAdmin ? withAdminsLocked(this.locks, apply) : apply());
          const updated = await findById(this.adapter, id);
          if (!updated) fail(ErrorType.USER_NOT_FOUND);
          await this.announceAuthState(id);
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
       * Internal: the public keys tokens are signed with, as a JWK set `{ keys }`. Gateways fetch
       * it at their first token and again when a token names a key they do not know.
       */
      sessionKeys: {
        visibility: "public",
        params: { $$strict: true },
        retryPolicy: { enabled: true },
        handler(this: UsersThis): { keys: SessionPublicKey[] } {
          return { keys: [this.sessionKey.jwk] };
        },
      },

      /**
       * Internal: what a gateway needs to let a user's tokens in (token version, active, role,
       * locale), or `null` for an unknown id. Asked once per user; `user.authChanged` keeps it
       * current.
       */
      authState: {
        visibility: "public",
        params: { id: idParam, $$strict: true },
        retryPolicy: { enabled: true },
        async handler(
          this: UsersThis,
          ctx: Context<{ id: string }>,
        ): Promise<UserAuthState | null> {
          const user = await findById(this.adapter, ctx.params.id);
          return user ? toAuthState(user) : null;
        },
      },

      /**
       * Turns a bearer token into the caller, checked against the stored account (the gateway
       * does the same without this call; kept for tools and the REPL). Refuses TOKEN_INVALID,
       * TOKEN_EXPIRED (401), and any token of a deactivated, erased or since-revoked account.
       */
      resolveToken: {
        visibility: "public",
        params: { token: { type: "string", min: 1, max: 4096 }, $$strict: true },
        retryPolicy: { enabled: true },
        async handler(this: UsersThis, ctx: Context<{ token: string }>): Promise<AuthUser> {
          const claims = verifySessionToken(ctx.params.token, this.sessionKey.publicKey);
          const user = await findById(this.adapter, claims.sub);
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
        openapi: apiDocs.exportMe,
        params: { $$strict: true },
        async handler(
          this: UsersThis,
          ctx: Context<Record<string, never>, AuthMeta & { $responseHeaders?: object }>,
        ) {
          const user = await findById(this.adapter, requireUser(ctx).id);
          if (!user) fail(ErrorType.USER_NOT_FOUND);
          ctx.meta.$responseHeaders = {
            "Content-Disposition": 'attachment; filename="mindspaces-export.json"',
          };
          return dataExport(ctx, user);
        },
      },

      /** GDPR: erases the signed-in user's account and, through `user.erased`, their data. */
      eraseMe: {
        visibility: "published",
        openapi: apiDocs.eraseMe,
        params: { $$strict: true },
        async handler(this: UsersThis, ctx: Context<Record<string, never>, AuthMeta>) {
          const id = requireUser(ctx).id;
          const erased = await eraseAccount(this.erasure, id, id);
          await this.announceAuthState(id);
          return erased;
        },
      },

      /** Admin: erases another user's account and data, as `eraseMe` does for oneself. */
      erase: {
        visibility: "published",
        roles: ["admin"],
        openapi: apiDocs.erase,
        params: { id: idParam, $$strict: true },
        async handler(this: UsersThis, ctx: Context<{ id: string }, AuthMeta>) {
          const erased = await eraseAccount(this.erasure, ctx.params.id, requireUser(ctx).id);
          await this.announceAuthState(ctx.params.id);
          return erased;
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
          const user = await findById(this.adapter, ctx.params.id);
          if (!user || !user.active) return null;
          return { email: user.email, name: user.name, locale: user.locale };
        },
      },
    },

    methods: {
      issueSession(this: UsersThis, user: UserRecord) {
        const token = signSessionToken(
          { sub: String(user._id), ver: user.tokenVersion },
          this.sessionKey,
          this.settings.jwtExpiresIn,
        );
        return { token, user: toPublicUser(user) };
      },

      async announceAuthState(this: UsersThis, id: string) {
        // An erased account is not found any more: its state is `null`, its tokens refused.
        const user = await findById(this.adapter, id);
        const change: UserAuthChange = { id, state: user ? toAuthState(user) : null };
        // Awaited before the action answers: the event leaves before the reply on the same
        // connection, so the gateway applies it before it sees the reply, and the caller's very
        // next request meets the new state.
        await this.broker.broadcast(UserAuthEvent.CHANGED, change);
      },
    },

    created(this: UsersThis) {
      this.sessionKey = deriveSessionKey(jwtSecret());
      this.erasure = {
        users: this.adapter,
        locks: this.locks,
        events: {
          stage: (type, data) => this.stageEvent(type, data),
          flush: (id, events) => this.flushOutbox(id, events),
        },
        logger: this.logger,
      };
    },

    async started(this: UsersThis) {
      await seedAdmin(config, {
        findByEmail: email => findByEmail(this.adapter, email),
        createUser: input => createAccount(this.adapter, input),
        defaultLocale: this.settings.defaultLocale,
        logger: this.logger,
      });
    },
  };
}

export default createUsersService(loadConfig());
