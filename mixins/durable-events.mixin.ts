/**
 * Publishes a service's durable events (see lib/channels.ts) in one documented envelope:
 *
 *   { eventId, type, occurredAt, data }
 *
 * `eventId` is a UUID made once per event, so a consumer that is handed the same event twice
 * (JetStream delivers at least once) can recognise it and act once.
 *
 * JetStream refuses a publish to a subject no stream covers, so the publisher makes sure the
 * stream exists before its first publish instead of relying on a consumer having started first.
 */
import { randomUUID } from "node:crypto";
import type { Service, ServiceBroker, ServiceSchema } from "moleculer";

export interface EventEnvelope<T = unknown> {
  eventId: string;
  type: string;
  occurredAt: string;
  data: T;
}

interface ChannelAdapter {
  addPrefixTopic(name: string): string;
  createStream?(name: string, subjects: string[], options: object): Promise<unknown>;
}

type ChannelBroker = ServiceBroker & {
  channelAdapter?: ChannelAdapter;
  sendToChannel(name: string, payload: unknown, opts?: object): Promise<void>;
};

const PUBLISH_ATTEMPTS = 5;

export interface DurableEventsMethods {
  publishEvent<T>(type: string, data: T): Promise<EventEnvelope<T>>;
}

/** The JetStream stream that holds one channel, named as @moleculer/channels names it. */
export function streamNameOf(subject: string): string {
  return subject.split(".").join("_");
}

export function createDurableEventsMixin(types: readonly string[]): Partial<ServiceSchema> {
  const ensured = new WeakMap<ServiceBroker, Map<string, Promise<unknown>>>();

  function ensureStream(broker: ChannelBroker, type: string): Promise<unknown> {
    const adapter = broker.channelAdapter;
    if (!adapter?.createStream) return Promise.resolve();
    let streams = ensured.get(broker);
    if (!streams) ensured.set(broker, (streams = new Map()));
    let done = streams.get(type);
    if (!done) {
      const subject = adapter.addPrefixTopic(type);
      done = adapter.createStream(streamNameOf(subject), [subject], {});
      // A failed attempt is forgotten, so the next publish tries again.
      done.catch(() => streams.delete(type));
      streams.set(type, done);
    }
    return done;
  }

  return {
    methods: {
      async publishEvent<T>(this: Service, type: string, data: T): Promise<EventEnvelope<T>> {
        if (!types.includes(type)) throw new Error(`'${type}' is not an event of ${this.name}`);
        const broker = this.broker as ChannelBroker;
        const envelope: EventEnvelope<T> = {
          eventId: randomUUID(),
          type,
          occurredAt: new Date().toISOString(),
          data,
        };
        for (let attempt = 1; ; attempt++) {
          try {
            await ensureStream(broker, type);
            await broker.sendToChannel(type, envelope);
            return envelope;
          } catch (err) {
            if (attempt >= PUBLISH_ATTEMPTS) {
              // The change itself is stored; say loudly which event did not go out.
              this.logger.error("Durable event could not be published", {
                type,
                eventId: envelope.eventId,
                error: (err as Error).message,
              });
              return envelope;
            }
            await new Promise(resolve => setTimeout(resolve, 100 * 2 ** attempt));
          }
        }
      },
    },
  };
}
