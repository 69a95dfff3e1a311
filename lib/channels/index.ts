/**
 * Durable events travel on @moleculer/channels: NATS JetStream when a transporter is set, so an
 * event published while its consumer is down is delivered when it comes back; in the embedded
 * default the in-process adapter, which needs nothing running.
 *
 * A middleware keeps per-broker state, so every broker gets its own instance from here. The
 * adapter's settings are here; the retry policy and the two retrying middlewares are the files
 * beside this one.
 */
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import type { Middleware } from "moleculer";
import { nanos } from "nats";
import type { TransporterConfig } from "../config";
import { natsConnectionOptions } from "../nats-connection";
import { inProcessRetries } from "./in-process-retries";
import { natsAdapter } from "./nats-adapter";
import { pausedRedelivery } from "./paused-redelivery";
import { publishAfterStart } from "./publish-after-start";
import { unboundedInProcessQueue } from "./unbounded-in-process-queue";
import { CHANNEL_MAX_RETRIES } from "./retry-policy";

/**
 * Messages one consumer group has in hand at once, across all its instances. More than one lets
 * instances share the work; our handlers do not depend on order (newest state wins, keys dedupe).
 */
export const CHANNEL_MAX_IN_FLIGHT = 10;
/** Where messages go that failed every retry; the adapter logs each move at warn level. */
export const DEAD_LETTER_SUBJECT = "DEAD_LETTER";
/** A message a consumer took but did not acknowledge (it crashed) is redelivered after this. */
export const ACK_WAIT_MS = 10_000;
/**
 * How long a stream keeps events. Consumers must be back within it; it also bounds how long
 * personal data in event payloads (reservation titles, user ids) lives in NATS.
 */
export const STREAM_MAX_AGE_DAYS = 14;

/** Durable events for a broker: JetStream with a transporter, in-process (with retries) without. */
export function channelsMiddlewares(transporter: TransporterConfig | null): Middleware[] {
  return transporter
    ? [channelsMiddleware(transporter), pausedRedelivery()]
    : [
        channelsMiddleware(null),
        inProcessRetries(),
        unboundedInProcessQueue(),
        publishAfterStart(),
      ];
}

function channelsMiddleware(transporter: TransporterConfig | null): Middleware {
  const adapter = transporter
    ? natsAdapter({
        nats: {
          url: transporter.servers.join(","),
          // Credentials and TLS as the broker's transporter has them (lib/nats-connection.ts).
          connectionOptions: natsConnectionOptions(transporter),
          streamConfig: { max_age: nanos(STREAM_MAX_AGE_DAYS * 24 * 3600 * 1000) },
          // A consumer group seen for the first time starts at the beginning of the stream,
          // so a service deployed after events were published still gets them; an existing
          // group resumes after its last acknowledged message.
          consumerOptions: { config: { deliver_policy: "all", ack_wait: nanos(ACK_WAIT_MS) } },
        },
        maxInFlight: CHANNEL_MAX_IN_FLIGHT,
        maxRetries: CHANNEL_MAX_RETRIES,
        deadLettering: { enabled: true, queueName: DEAD_LETTER_SUBJECT },
      } as never)
    : { type: "Fake" };
  return ChannelsMiddleware({ adapter, context: false } as never) as unknown as Middleware;
}
