/**
 * Who is signed in. The token is in sessionStorage (lib/token.ts); the user's profile is kept
 * beside it so the navigation shows the right links at once after a reload, and is then
 * refreshed from `GET /api/users/me`.
 */
import { isLocale, setLocale } from "../i18n/locale.svelte";
import type { Locale } from "../i18n/messages";
import { api, setUnauthorizedHandler } from "./api";
import { saveDrafts } from "./drafts.svelte";
import { currentPathWithQuery, navigate } from "./router.svelte";
import { clearToken, readToken, storeToken } from "./token";

export type Role = "member" | "manager" | "admin";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  role: Role;
}

const USER_KEY = "mindspaces.user";

function isSessionUser(value: unknown): value is SessionUser {
  if (typeof value !== "object" || value === null) return false;
  const user = value as Record<string, unknown>;
  return (
    typeof user.id === "string" &&
    typeof user.name === "string" &&
    typeof user.email === "string" &&
    isLocale(user.locale) &&
    (user.role === "member" || user.role === "manager" || user.role === "admin")
  );
}

function storedUser(): SessionUser | null {
  if (!readToken()) return null;
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(USER_KEY) ?? "null");
    return isSessionUser(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

const state = $state<{ user: SessionUser | null }>({ user: storedUser() });

export const session = {
  get user(): SessionUser | null {
    return state.user;
  },
  get signedIn(): boolean {
    return state.user !== null;
  },
  hasRole(...roles: Role[]): boolean {
    return state.user !== null && roles.includes(state.user.role);
  },
};

function keepUser(user: SessionUser): void {
  const { id, email, name, locale, role } = user;
  state.user = { id, email, name, locale, role };
  sessionStorage.setItem(USER_KEY, JSON.stringify(state.user));
}

/** After sign-in or registration: keep the token and speak the user's language. */
export function startSession(token: string, user: SessionUser): void {
  storeToken(token);
  keepUser(user);
  setLocale(user.locale);
}

/** Updates the kept profile after a change, e.g. `PATCH /api/users/me`. */
export function updateSessionUser(user: SessionUser): void {
  keepUser(user);
}

export function endSession(): void {
  clearToken();
  sessionStorage.removeItem(USER_KEY);
  state.user = null;
}

/** Re-reads the profile after a reload; a dead token leads to sign-in through the 401 handler. */
export async function refreshSession(): Promise<void> {
  if (!readToken()) {
    state.user = null;
    return;
  }
  const user = await api.get<SessionUser>("/api/users/me");
  keepUser(user);
  setLocale(user.locale);
}

/** The path of the sign-in page that brings the user back to `returnTo` afterwards. */
export function signInPath(returnTo: string, reason?: "expired" | "required"): string {
  const query = new URLSearchParams({ return: returnTo });
  if (reason) query.set("reason", reason);
  return `/sign-in?${query}`;
}

// A 401 on a request that carried a token: the session has ended (expired, revoked, or the
// account was switched off). Keep what the user typed, then ask them to sign in again.
setUnauthorizedHandler(() => {
  if (!state.user && !readToken()) return;
  saveDrafts();
  endSession();
  navigate(signInPath(currentPathWithQuery(), "expired"), { replace: true });
});
