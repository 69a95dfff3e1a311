/**
 * From a bearer token to the caller, in the gateway, without a call to `users` once the key and
 * the user's state are known: the signature is checked with `users`' public key (session-keys.ts,
 * verified-tokens.ts), and revocation, deactivation, role and locale come from the gateway's copy
 * of the user's auth state (auth-states.ts).
 */
import type { AuthUser } from "../../lib/auth";
import { ErrorType, fail } from "../../lib/errors";
import { tokenKeyId, verifySessionToken, type VerifiedSession } from "../../lib/session-token";
import type { AuthStates } from "./auth-states";
import type { SessionKeyRing } from "./session-keys";
import type { VerifiedTokens } from "./verified-tokens";

export interface SessionCheckDeps {
  keys: SessionKeyRing;
  states: AuthStates;
  verified: VerifiedTokens;
}

async function verified(token: string, deps: SessionCheckDeps): Promise<VerifiedSession> {
  const known = deps.verified.get(token);
  if (known && deps.keys.has(known.kid)) return known;
  const kid = tokenKeyId(token);
  if (kid === null) {
    await deps.keys.ensureLoaded();
    return fail(ErrorType.TOKEN_INVALID);
  }
  const key = await deps.keys.keyFor(kid);
  if (!key) return fail(ErrorType.TOKEN_INVALID);
  const session = verifySessionToken(token, key);
  deps.verified.remember(token, { ...session, kid });
  return session;
}

/** Refuses TOKEN_INVALID / TOKEN_EXPIRED / ACCOUNT_DEACTIVATED (401), as `users` would. */
export async function resolveCaller(token: string, deps: SessionCheckDeps): Promise<AuthUser> {
  const session = await verified(token, deps);
  const state = await deps.states.get(session.sub);
  // Erased accounts and revoked tokens: the version was bumped, so it no longer matches.
  if (!state || state.tokenVersion !== session.ver) return fail(ErrorType.TOKEN_INVALID);
  if (!state.active) return fail(ErrorType.ACCOUNT_DEACTIVATED);
  return { id: state.id, role: state.role, locale: state.locale };
}
