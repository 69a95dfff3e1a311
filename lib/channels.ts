/**
 * Durable events travel on @moleculer/channels: NATS JetStream when a transporter is set, so an
 * event published while its consumer is down is delivered when it comes back; in the embedded
 * default the in-process adapter, which needs nothing running.
 *
 * A middleware keeps per-broker state, so every broker gets its own instance from here.
 */
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import type { Logger, Middleware, ServiceBroker } from "moleculer";
import { nanos } from "nats";
import type { TransporterConfig } from "./config";

/** How often a consumer's handler may fail on one message before it is dead-lettered. */
export const CHANNEL_MAX_RETRIES = 5;
/**
 * Messages one consumer group has in hand at once, across all its instances. More than one lets
 * instances share the work; our handlers do not depend on order (newest state wins, keys dedupe).
 */
export const CHANNEL_MAX_IN_FLIGHT = 10;
/** The pause after a handler's first failure on a message; it doubles with each attempt. */
export const RETRY_PAUSE_MS = 500;
/**
 * How long a handler is run again, in place, while it fails only because something it needs is
 * unreachable (a service being redeployed, the database failing over). That is not the event's
 * fault and must not use up its attempts; the message is kept meanwhile.
 */
export const DEPENDENCY_WAIT_MS = 2 * 60_000;
/** Where messages go that failed every retry; the adapter logs each move at warn level. */
export const DEAD_LETTER_SUBJECT = "DEAD_LETTER";
/** A message a consumer took but did not acknowledge (it crashed) is redelivered after this. */
export const ACK_WAIT_MS = 10_000;
/**
 * How long a stream keeps events. Consumers must be back within it; it also bounds how long
 * personal data in event payloads (reservation titles, user ids) lives in NATS.
 */
export const STREAM_MAX_AGE_DAYS = 14;

/** How long to wait after the handler failed its `attempt`-th try (1-based) at a message. */
export function retryPause(attempt: number): number {
  return RETRY_PAUSE_MS * 2 ** (attempt - 1);
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Unreachable, not wrong: Moleculer's retryable errors (not found, unavailable, timed out), and
 * a lost database connection.
 */
export function isUnreachable(err: unknown): boolean {
  const e = err as { retryable?: boolean; name?: string } | null;
  return Boolean(
    e?.retryable || /^Mongo(Network|ServerSelection|NetworkTimeout)Error$/.test(e?.name ?? ""),
  );
}

/**
 * Runs the handler; while it fails with `isUnreachable` errors, runs it again after a growing
 * pause (1 s, doubling, at most 15 s), up to DEPENDENCY_WAIT_MS or until the broker stops.
 * `keepAlive` is called at least every 5 s, so JetStream does not redeliver the message meanwhile.
 */
async function waitingForDependencies(
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

const isStopping = (broker?: ServiceBroker) =>
  Boolean((broker as { stopping?: boolean } | undefined)?.stopping);

type ChannelHandler = (payload: unknown, raw: unknown) => Promise<unknown>;
interface JetStreamMessage {
  info?: { redeliveryCount: number };
  working?: () => void;
}

/**
 * JetStream hands a message back at once when its handler failed (the adapter naks without a
 * delay), so all attempts would pass within milliseconds and a database fail-over would send
 * events to the dead letter. So the failure is reported only after a pause that grows with each
 * delivery (0.5, 1, 2, 4 s; under the ack wait, and the message is marked as still being worked
 * on, so it is not handed to another instance meanwhile). The last attempt fails at once.
 */
function pausedRedelivery(): Middleware {
  let broker: ServiceBroker | undefined;
  return {
    name: "PausedRedelivery",
    created(created: ServiceBroker) {
      broker = created;
    },
    localChannel(next: ChannelHandler) {
      return async (payload: unknown, raw: unknown) => {
        const message = raw as JetStreamMessage;
        try {
          return await waitingForDependencies(
            () => next(payload, raw),
            () => message?.working?.(),
            () => isStopping(broker),
          );
        } catch (err) {
          const delivery = message?.info?.redeliveryCount ?? CHANNEL_MAX_RETRIES;
          if (delivery < CHANNEL_MAX_RETRIES && !isStopping(broker)) {
            message.working?.();
            await pause(retryPause(delivery));
          }
          throw err;
        }
      };
    },
  } as unknown as Middleware;
}

/**
 * The in-process adapter neither retries a failed handler nor dead-letters: it logs and drops.
 * So without a transporter we retry here, with the same pauses JetStream redelivery gets; an
 * event that fails every attempt is logged as an error with its id and type, never silently.
 */
function inProcessRetries(): Middleware {
  let broker: ServiceBroker | undefined;
  let logger: Logger | undefined;
  return {
    name: "InProcessChannelRetries",
    created(created: ServiceBroker) {
      broker = created;
      logger = created.getLogger("channels");
    },
    localChannel(next: ChannelHandler, chan: { name: string; group: string }) {
      return async (payload: unknown, raw: unknown) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await waitingForDependencies(
              () => next(payload, raw),
              () => undefined,
              () => isStopping(broker),
            );
          } catch (err) {
            if (attempt >= CHANNEL_MAX_RETRIES) {
              const event = payload as { eventId?: string; type?: string };
              logger?.error("Event not handled after every retry (dead letter)", {
                channel: chan.name,
                group: chan.group,
                eventId: event?.eventId,
                type: event?.type,
                error: (err as Error).message,
              });
              throw err;
            }
            await pause(retryPause(attempt));
          }
        }
      };
    },
  } as unknown as Middleware;
}

/** Durable events for a broker: JetStream with a transporter, in-process (with retries) without. */
export function channelsMiddlewares(transporter: TransporterConfig | null): Middleware[] {
  return transporter
    ? [channelsMiddleware(transporter), pausedRedelivery()]
    : [channelsMiddleware(null), inProcessRetries()];
}

function channelsMiddleware(transporter: TransporterConfig | null): Middleware {
  const adapter = transporter
    ? {
        type: "NATS",
        options: {
          nats: {
            url: transporter.servers.join(","),
            connectionOptions: { user: transporter.user, pass: transporter.pass },
            streamConfig: { max_age: nanos(STREAM_MAX_AGE_DAYS * 24 * 3600 * 1000) },
            // A consumer group seen for the first time starts at the beginning of the stream,
            // so a service deployed after events were published still gets them; an existing
            // group resumes after its last acknowledged message.
            consumerOptions: { config: { deliver_policy: "all", ack_wait: nanos(ACK_WAIT_MS) } },
          },
          maxInFlight: CHANNEL_MAX_IN_FLIGHT,
          maxRetries: CHANNEL_MAX_RETRIES,
          deadLettering: { enabled: true, queueName: DEAD_LETTER_SUBJECT },
        },
      }
    : { type: "Fake" };
  return ChannelsMiddleware({ adapter, context: false } as never) as unknown as Middleware;
}
