/**
 * The stored user and the view of it that leaves the service. The password hash, the lookup key
 * and the token version stay inside.
 */
import type { Locale } from "../../lib/config";
import type { AuthUser, Role } from "../../lib/auth";

export interface UserRecord {
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
