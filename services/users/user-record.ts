/**
 * The stored user and the view of it that leaves the service. The password hash, the lookup key
 * and the token version stay inside.
 */
import type { Locale } from "../../lib/config";
import type { AuthUser, Role } from "../../lib/auth";
import type { UserAuthState } from "../../lib/events/user-auth-events";
import type { OutboxFields } from "../../mixins/durable-events.mixin";

export interface UserRecord extends OutboxFields {
  _id: unknown;
  email: string;
  /** Lower-cased e-mail; a unique index on it makes e-mail unique in any letter case. */
  emailKey: string;
  name: string;
  locale: Locale;
  role: Role;
  active: boolean;
  passwordHash: string;
  tokenVersion: number;
  createdAt: string;
  updatedAt: string;
  /** Erased under the GDPR: only this tombstone (id, dates, no personal data) remains. */
  erased?: boolean;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function toPublicUser(record: UserRecord): PublicUser {
  return {
    id: String(record._id),
    email: record.email,
    name: record.name,
    locale: record.locale,
    role: record.role,
    active: record.active,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function toAuthUser(record: UserRecord): AuthUser {
  return { id: String(record._id), role: record.role, locale: record.locale };
}

/** What a gateway needs to let this user's tokens in (lib/events/user-auth-events.ts). */
export function toAuthState(record: UserRecord): UserAuthState {
  return {
    id: String(record._id),
    tokenVersion: record.tokenVersion,
    active: record.active,
    role: record.role,
    locale: record.locale,
  };
}

/**
 * The write that erases a user: every personal field is overwritten, the password can no longer
 * match, tokens are revoked, and the e-mail address is free for a new account.
 */
export function erasure(record: UserRecord, at: string): Record<string, unknown> {
  return {
    email: "",
    emailKey: `erased:${String(record._id)}`,
    name: "",
    passwordHash: "",
    role: "member",
    active: false,
    erased: true,
    tokenVersion: record.tokenVersion + 1,
    updatedAt: at,
  };
}

export interface UserListFilters {
  search?: string;
  role?: Role;
  active?: boolean;
}

/** The store query for an admin's user list; the search text is matched literally. */
export function userListQuery(filters: UserListFilters): Record<string, unknown> {
  const query: Record<string, unknown> = { erased: { $ne: true } };
  if (filters.role !== undefined) query.role = filters.role;
  if (filters.active !== undefined) query.active = filters.active;
  if (filters.search) {
    // Escaped, so the search text cannot become a pattern.
    const pattern = new RegExp(filters.search.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
    query.$or = [{ emailKey: { $regex: pattern } }, { name: { $regex: pattern } }];
  }
  return query;
}
