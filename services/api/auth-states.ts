/**
 * The gateway's copy of each active user's auth state (token version, active, role, locale), so a
 * request needs no call to `users`. A user's first request asks `users.authState` once; after that
 * `user.authChanged` broadcasts keep the copy current: each carries the whole new state and
 * replaces what was there.
 *
 * Whenever the gateway may have missed a broadcast (its transporter reconnected, a node left or
 * came back) everything is forgotten and asked again. Entries also expire after `ttlMs`, a
 * backstop for a broadcast lost in a way neither side noticed, and the way unused entries leave.
 */
import type { UserAuthChange, UserAuthState } from "../../lib/events/user-auth-events";

export interface AuthStatesOptions {
  /** `users.authState`: the stored state, or `null` for an unknown id. */
  fetchState(id: string): Promise<UserAuthState | null>;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export interface AuthStates {
  /** The user's state, from the copy or else asked once; `null` when `users` knows no such id. */
  get(id: string): Promise<UserAuthState | null>;
  /** A `user.authChanged` broadcast: the state it carries (`null`: erased) is the newest. */
  apply(change: UserAuthChange): void;
  /** Forget everything: a broadcast may have been missed. */
  clear(): void;
  readonly size: number;
}

interface Entry {
  /** `null`: erased, as a broadcast said; kept so a slower answer cannot bring the user back. */
  state: UserAuthState | null;
  expiresAt: number;
}

export function createAuthStates(options: AuthStatesOptions): AuthStates {
  const { fetchState, ttlMs = 60_000, maxEntries = 100_000, now = Date.now } = options;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<UserAuthState | null>>();
  // Bumped by `clear`: a fetch that began before it may hold what a missed event changed.
  let epoch = 0;

  function store(id: string, state: UserAuthState | null) {
    entries.delete(id); // re-inserted last, so the oldest entry is always first
    entries.set(id, { state, expiresAt: now() + ttlMs });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
  }

  async function fetchOnce(id: string): Promise<UserAuthState | null> {
    const startedIn = epoch;
    const state = await fetchState(id);
    // A broadcast that arrived while asking is newer than the answer (or as new): keep it.
    const arrived = entries.get(id);
    if (arrived) return arrived.state;
    // An unknown id is not kept: it may be registered on another node a moment later.
    if (state && startedIn === epoch) store(id, state);
    return state;
  }

  return {
    async get(id) {
      const entry = entries.get(id);
      if (entry && entry.expiresAt > now()) return entry.state;
      if (entry) entries.delete(id);
      let pending = inFlight.get(id);
      if (!pending) {
        const fetching = fetchOnce(id).finally(() => {
          if (inFlight.get(id) === fetching) inFlight.delete(id);
        });
        pending = fetching;
        inFlight.set(id, fetching);
      }
      return pending;
    },
    apply(change) {
      store(change.id, change.state);
    },
    clear() {
      epoch++;
      entries.clear();
      // Requests from now on must not share an answer read before a change they may not know of.
      inFlight.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
