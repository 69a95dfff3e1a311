/**
 * Durable events travel on @moleculer/channels: NATS JetStream when a transporter is set, so an
 * event published while its consumer is down is delivered when it comes back; in the embedded
 * default the in-process adapter, which needs nothing running.
 *
 * A middleware keeps per-broker state, so every broker gets its own instance from here.
 */
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import type { Middleware } from "moleculer";
import type { TransporterConfig } from "./config";

/** How often a consumer's handler may fail on one message before it is dead-lettered. */
export const CHANNEL_MAX_RETRIES = 5;

export function channelsMiddleware(transporter: TransporterConfig | null): Middleware {
  const adapter = transporter
    ? {
        type: "NATS",
        options: {
          nats: {
            url: transporter.servers.join(","),
            connectionOptions: { user: transporter.user, pass: transporter.pass },
            // A consumer group seen for the first time starts at the beginning of the stream,
            // so a service deployed after events were published still gets them; an existing
            // group resumes after its last acknowledged message.
            consumerOptions: { config: { deliver_policy: "all" } },
          },
          maxRetries: CHANNEL_MAX_RETRIES,
          deadLettering: { enabled: true, queueName: "DEAD_LETTER" },
        },
      }
    : { type: "Fake" };
  return ChannelsMiddleware({ adapter, context: false } as never) as unknown as Middleware;
}
