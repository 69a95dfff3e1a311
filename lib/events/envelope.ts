/**
 * How every durable event travels (mixins/durable-events.mixin.ts publishes, lib/channels/
 * carries): `{ eventId, type, occurredAt, data }`. `eventId` is a UUID made once per event, so a
 * consumer handed the same event twice can act once.
 *
 * Each producer declares its events once, as a contract in this folder: an interface from event
 * name to payload, and the names as constants. Producer and consumers both import it, so a
 * payload changed in one place fails to compile in the others.
 */
export interface EventEnvelope<T = unknown, K extends string = string> {
  eventId: string;
  type: K;
  occurredAt: string;
  data: T;
}

/** The envelope of event `K` of a contract `E`. */
export type EnvelopeOf<E, K extends keyof E & string> = EventEnvelope<E[K], K>;

/**
 * A service's channel handlers for events of contract `E`: each takes that event's envelope,
 * and `this` is the consuming service `S`, so handlers written in such an object need no
 * annotations of their own.
 */
export type ChannelHandlers<E, S> = {
  [K in keyof E & string]?: (this: S, event: EnvelopeOf<E, K>) => Promise<void>;
};
