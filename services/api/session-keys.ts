/**
 * The gateway's public keys for checking session tokens, fetched from `users` (`sessionKeys`)
 * when a token names a key id the gateway does not know: at the first token, and after the token
 * secret was rotated. Keys once fetched are kept (a few at most: one per secret in use), so
 * during a rotation tokens of both the old and the new `users` instances pass.
 */
import type { KeyObject } from "node:crypto";
import { importSessionPublicKey, type SessionPublicKey } from "../../lib/session-token";

export interface SessionKeyRingOptions {
  /** Asks `users` for its keys; rejects (503 upstream) when no `users` is reachable. */
  fetchKeys(): Promise<{ keys: SessionPublicKey[] }>;
  /** Unknown key ids refetch at most this often, so forged ones cannot turn into a call each. */
  refetchIntervalMs?: number;
  /** How many keys to keep; the oldest go first. */
  maxKeys?: number;
  now?: () => number;
}

export interface SessionKeyRing {
  /** The key with this id, fetching the keys once if it is unknown; `null` if still unknown. */
  keyFor(kid: string): Promise<KeyObject | null>;
  /**
   * Fetches the keys if none were ever fetched. A gateway that never reached `users` cannot tell
   * a good token from a bad one, so it answers every token with the failure to fetch (503).
   */
  ensureLoaded(): Promise<void>;
}

export function createSessionKeyRing(options: SessionKeyRingOptions): SessionKeyRing {
  const { fetchKeys, refetchIntervalMs = 1000, maxKeys = 8, now = Date.now } = options;
  const keys = new Map<string, KeyObject>();
  let lastFetch = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    const { keys: fetched } = await fetchKeys();
    lastFetch = now();
    for (const jwk of fetched) {
      if (keys.has(jwk.kid)) continue;
      keys.set(jwk.kid, importSessionPublicKey(jwk));
      if (keys.size > maxKeys) keys.delete(keys.keys().next().value as string);
    }
  }

  function startRefresh() {
    inFlight ??= refresh().finally(() => {
      inFlight = null;
    });
  }

  return {
    async keyFor(kid) {
      const known = keys.get(kid);
      if (known) return known;
      if (now() - lastFetch >= refetchIntervalMs) startRefresh();
      // Several requests waiting for the first key share one fetch.
      if (inFlight) await inFlight;
      return keys.get(kid) ?? null;
    },
    async ensureLoaded() {
      if (lastFetch !== Number.NEGATIVE_INFINITY) return;
      startRefresh();
      await inFlight;
    },
  };
}
