/**
 * Consumer lag of the durable events, as metrics: @moleculer/channels counts what a node
 * handles, but not what is waiting for it. Every `pollMs` this asks JetStream, for each
 * consumer group this node runs, how many events the group has not received yet and how many
 * it holds unacknowledged, and how many events lie in the namespace's dead letter:
 *
 * - `mindspaces_channels_pending{channel, group}`: events in the stream not yet delivered
 * - `mindspaces_channels_ack_pending{channel, group}`: delivered, not yet acknowledged
 * - `mindspaces_channels_dead_letters{stream}`: events in the dead-letter stream
 *
 * Only with a transporter (JetStream) and metrics on; the in-process events have no backlog.
 */
import type { Middleware, ServiceBroker } from "moleculer";
import { connect, type NatsConnection } from "nats";
import type { TransporterConfig } from "./config";
import { natsConnectionOptions } from "./nats-connection";

export const LAG_METRICS = {
  pending: "mindspaces.channels.pending",
  ackPending: "mindspaces.channels.ack_pending",
  deadLetters: "mindspaces.channels.dead_letters",
} as const;

interface ConsumerGroup {
  channel: string;
  group: string;
  stream: string;
  durable: string;
}

/** Names as the NATS adapter of @moleculer/channels makes them: dots become underscores. */
const natsName = (name: string) => name.split(".").join("_");

export function channelLagMetrics(
  transporter: TransporterConfig | null,
  options: { pollMs?: number; deadLetterSubject?: string } = {},
): Middleware[] {
  if (!transporter) return [];
  const pollMs = options.pollMs ?? 15_000;
  const groups = new Map<string, ConsumerGroup>();
  let broker: ServiceBroker | undefined;
  let nc: NatsConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();

  async function poll(): Promise<void> {
    if (!broker || !nc) return;
    const jsm = await nc.jetstreamManager();
    for (const { channel, group, stream, durable } of groups.values()) {
      try {
        const info = await jsm.consumers.info(stream, durable);
        broker.metrics.set(LAG_METRICS.pending, info.num_pending, { channel, group });
        broker.metrics.set(LAG_METRICS.ackPending, info.num_ack_pending, { channel, group });
      } catch {
        // Not created yet (the consumer subscribes during start): next time.
      }
    }
    const prefix = broker.namespace ? `${broker.namespace}.` : "";
    const deadLetters = natsName(`${prefix}${options.deadLetterSubject ?? "DEAD_LETTER"}`);
    try {
      const info = await jsm.streams.info(deadLetters);
      broker.metrics.set(LAG_METRICS.deadLetters, info.state.messages, { stream: deadLetters });
    } catch {
      // No dead-letter stream yet.
    }
  }

  const middleware = {
    name: "ChannelLagMetrics",

    created(created: ServiceBroker) {
      broker = created;
      if (!created.isMetricsEnabled()) return;
      const labelNames = ["channel", "group"];
      created.metrics.register({
        type: "gauge",
        name: LAG_METRICS.pending,
        labelNames,
        description: "Events in the stream not yet delivered to the consumer group",
      });
      created.metrics.register({
        type: "gauge",
        name: LAG_METRICS.ackPending,
        labelNames,
        description: "Events delivered to the consumer group and not yet acknowledged",
      });
      created.metrics.register({
        type: "gauge",
        name: LAG_METRICS.deadLetters,
        labelNames: ["stream"],
        description: "Events in the namespace's dead-letter stream",
      });
    },

    localChannel(next: unknown, chan: { name: string; group: string }) {
      groups.set(`${chan.name}|${chan.group}`, {
        channel: chan.name,
        group: chan.group,
        stream: natsName(chan.name),
        durable: natsName(chan.group),
      });
      return next;
    },

    async started() {
      if (!broker?.isMetricsEnabled() || groups.size === 0) return;
      nc = await connect(
        natsConnectionOptions(transporter, { name: `${broker.nodeID}-lag-metrics` }),
      );
      const tick = () => {
        polling = poll().catch(err => broker?.logger.warn("Channel lag metrics failed", err));
      };
      tick();
      timer = setInterval(tick, pollMs);
      timer.unref();
    },

    async stopped() {
      if (timer) clearInterval(timer);
      await polling;
      await nc?.close();
    },
  };
  return [middleware as unknown as Middleware];
}
