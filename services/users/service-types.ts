/** The users service's own shape: its settings, methods, properties and action parameters. */
import type { Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { Role } from "../../lib/auth";
import type { Locale } from "../../lib/config";
import type { UserEvents } from "../../lib/events/user-events";
import type { DurableEventsMethods } from "../../mixins/durable-events.mixin";
import type { ErasureDeps } from "./erasure";
import type { SessionSigningKey } from "./session-token";
import type { PublicUser, UserRecord } from "./user-record";

export interface UsersSettings {
  selfRegistration: boolean;
  jwtExpiresIn: string;
  defaultLocale: Locale;
}

export interface UsersMethods extends DurableEventsMethods<UserEvents> {
  issueSession(user: UserRecord): { token: string; user: PublicUser };
  /** Tells every gateway the user's current auth state, after any change to it. */
  announceAuthState(id: string): Promise<void>;
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
  locale: Locale;
  role: Role;
}

export interface UsersVars {
  adapter: DbAdapter;
  locks: DbAdapter;
  /** Derived from JWT_SECRET (session-token.ts); never leaves the service, only its public half. */
  sessionKey: SessionSigningKey;
  /** What erasing an account works with (erasure.ts), built once in `created`. */
  erasure: ErasureDeps;
}

export type UsersThis = Service<UsersSettings> & UsersMethods & UsersVars;

export interface RegisterParams {
  email: string;
  password: string;
  name: string;
  locale?: Locale;
}
export interface LoginParams {
  email: string;
  password: string;
}
export interface ChangePasswordParams {
  currentPassword: string;
  newPassword: string;
}
export interface UpdateMeParams {
  name?: string;
  locale?: Locale;
}
export interface ListParams {
  page: number;
  pageSize: number;
  search?: string;
  role?: Role;
  active?: boolean;
}
export interface UpdateParams {
  id: string;
  role?: Role;
  active?: boolean;
}
