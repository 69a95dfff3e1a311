/**
 * Who is calling. The gateway resolves the bearer token to an `AuthUser` and puts it in
 * `ctx.meta.user`; only these few fields travel, because meta is sent to every node a request
 * passes through.
 */
import type { Context } from "moleculer";
import type { Locale } from "./config";
import { ErrorType, fail } from "./errors";

export const ROLES = ["admin", "manager", "member"] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  id: string;
  role: Role;
  locale: Locale;
}

export interface AuthMeta {
  user?: AuthUser | null;
}

/** The signed-in caller, or a 401 when the action was reached without one. */
export function requireUser(ctx: Context<unknown, AuthMeta>): AuthUser {
  const user = ctx.meta.user;
  if (!user) return fail(ErrorType.UNAUTHENTICATED);
  return user;
}
