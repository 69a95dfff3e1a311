/**
 * The gateway's public keys for checking session tokens, fetched from `users` (`sessionKeys`)
 * when a token names a key id the gateway does not know: at the first token, and after the token
 * secret was rotated. Each fetch replaces the keys, and `clear` (a node came or went: perhaps a
 * `users` with another secret) forgets them, so a rotated-out key stops passing tokens, as the
 * secret did when it signed them itself.
 */
import type { KeyObject } from "node:crypto";
import { importSessionPublicKey, type SessionPublicKey } from "../../lib/session-token";

export interface SessionKeyRingOptions {
  /** Asks `users` for its keys; rejects (503 upstream) when no `users` is reachable. */
  fetchKeys(): Promise<{ keys: SessionPublicKey[] }>;
  /** Unknown key ids refetch at most this often, so forged ones cannot turn into a call each. */
  refetchIntervalMs?: number;
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
  /** Whether the key is known now, without fetching. */
  has(kid: string): boolean;
  /** Forget the keys; the next token fetches them again. */
  clear(): void;
}

/** Fetches in one refresh while nodes keep coming and going; past it, the token waits no longer. */
const MAX_FETCHES_PER_REFRESH = 3;

export function createSessionKeyRing(options: SessionKeyRingOptions): SessionKeyRing {
  const { fetchKeys, refetchIntervalMs = 1000, now = Date.now } = options;
  let keys = new Map<string, KeyObject>();
  let lastFetch = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | null = null;
  let generation = 0;

  async function refresh(): Promise<void> {
    // A clear while fetching (a node came or went) may mean the answer came from a `users` that
    // has just gone: fetch again rather than drop it, or the requests waiting on this fetch would
    // be refused with a valid token (seen in a rolling restart, where nodes come and go often).
    for (let attempt = 0; attempt < MAX_FETCHES_PER_REFRESH; attempt++) {
      const startedIn = generation;
      const { keys: fetched } = await fetchKeys();
      if (startedIn === generation) {
        keys = new Map(fetched.map(jwk => [jwk.kid, importSessionPublicKey(jwk)]));
        lastFetch = now();
        return;
      }
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
    has(kid) {
      return keys.has(kid);
    },
    clear() {
      generation++;
      keys = new Map();
      lastFetch = Number.NEGATIVE_INFINITY;
      // An in-flight refresh sees the new generation and fetches again; requests keep waiting on it.
    },
  };
}

/** What `$node.connected` says of a node: the services it runs. */
export interface NodeInfo {
  services?: { name?: string }[];
}

/** Whether a node that joined runs `users` (and so may sign with other keys); unknown counts. */
export function runsUsers(node?: NodeInfo): boolean {
  if (!Array.isArray(node?.services)) return true;
  return node.services.some(service => service.name === "users");
}
