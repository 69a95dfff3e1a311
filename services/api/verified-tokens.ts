/**
 * Tokens whose signature the gateway has already checked, with their claims, so a client sending
 * the same token again costs a map lookup instead of an ECDSA verification. Only tokens that
 * passed are kept, under the exact token text, and until their own expiry, with the key id that
 * verified them: the caller accepts one only while that key is still current (a rotated-out
 * key's tokens must fail). Revocation is not decided here but by the user's auth state
 * (auth-states.ts) on every request.
 */
import type { VerifiedSession } from "../../lib/session-token";

/** A verified token's claims and the key that verified it. */
export interface VerifiedToken extends VerifiedSession {
  kid: string;
}

export interface VerifiedTokens {
  get(token: string): VerifiedToken | null;
  remember(token: string, session: VerifiedToken): void;
}

export function createVerifiedTokens(
  maxEntries = 10_000,
  nowSeconds = () => Date.now() / 1000,
): VerifiedTokens {
  const sessions = new Map<string, VerifiedToken>();
  return {
    get(token) {
      const session = sessions.get(token);
      if (!session) return null;
      if (session.exp <= nowSeconds()) {
        sessions.delete(token);
        return null;
      }
      return session;
    },
    remember(token, session) {
      sessions.set(token, session);
      if (sessions.size > maxEntries) sessions.delete(sessions.keys().next().value as string);
    },
  };
}
