/**
 * What the gateway needs to know about an account to let its tokens in, and the event `users`
 * broadcasts after every change to it. Unlike the durable events (envelope.ts), these are plain
 * Moleculer broadcasts: every gateway instance gets each one, and a gateway that may have missed
 * one (its transporter reconnected, a node came or went) forgets what it knew and asks again
 * (services/api/auth-states.ts), so no durability is needed.
 */
import type { Role } from "../auth";
import type { Locale } from "../config";

export interface UserAuthState {
  id: string;
  /** A token whose `ver` differs is revoked. */
  tokenVersion: number;
  active: boolean;
  role: Role;
  locale: Locale;
}

export const UserAuthEvent = {
  CHANGED: "user.authChanged",
} as const;

/** `state` is `null` when the account is gone (erased): its tokens are refused. */
export interface UserAuthChange {
  id: string;
  state: UserAuthState | null;
}

export interface UserAuthEvents {
  [UserAuthEvent.CHANGED]: UserAuthChange;
}
