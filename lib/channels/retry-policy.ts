/**
 * How a failing channel handler is retried, shared by both ways events travel (JetStream and
 * in-process): how often, after which pauses, and how long a handler that only cannot reach what
 * it needs is run again in place.
 */
import type { ServiceBroker } from "moleculer";
import { isStoreUnavailable } from "../errors";

/** How often a consumer's handler may fail on one message before it is dead-lettered. */
export const CHANNEL_MAX_RETRIES = 5;
/** The pause after a handler's first failure on a message; it doubles with each attempt. */
export const RETRY_PAUSE_MS = 500;
/**
 * How long a handler is run again, in place, while it fails only because something it needs is
 * unreachable (a service being redeployed, the database failing over). That is not the event's
 * fault and must not use up its attempts; the message is kept meanwhile.
 */
export const DEPENDENCY_WAIT_MS = 2 * 60_000;

/** How long to wait after the handler failed its `attempt`-th try (1-based) at a message. */
export function retryPause(attempt: number): number {
  return RETRY_PAUSE_MS * 2 ** (attempt - 1);
}

export const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Unreachable, not wrong: Moleculer's retryable errors (not found, unavailable, timed out), and
 * a database that is down or cannot serve right now (the same test the gateway answers 503 by).
 */
export function isUnreachable(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  return Boolean((err as { retryable?: boolean }).retryable) || isStoreUnavailable(err);
}

/**
 * Runs the handler; while it fails with `isUnreachable` errors, runs it again after a growing
 * pause (1 s, doubling, at most 15 s), up to DEPENDENCY_WAIT_MS or until the broker stops.
 * `keepAlive` is called at least every 5 s, so JetStream does not redeliver the message meanwhile.
 */
export async function waitingForDependencies(
  handle: () => Promise<unknown>,
  keepAlive: () => void,
  stopping: () => boolean,
): Promise<unknown> {
  const deadline = Date.now() + DEPENDENCY_WAIT_MS;
  for (let wait = 1_000; ; wait = Math.min(wait * 2, 15_000)) {
    try {
      return await handle();
    } catch (err) {
      if (!isUnreachable(err) || stopping() || Date.now() + wait > deadline) throw err;
      for (let left = wait; left > 0 && !stopping(); left -= 5_000) {
        keepAlive();
        await pause(Math.min(left, 5_000));
      }
    }
  }
}

export const isStopping = (broker?: ServiceBroker) =>
  Boolean((broker as { stopping?: boolean } | undefined)?.stopping);

export type ChannelHandler = (payload: unknown, raw: unknown) => Promise<unknown>;
export interface JetStreamMessage {
  info?: { redeliveryCount: number };
  working?: () => void;
}
