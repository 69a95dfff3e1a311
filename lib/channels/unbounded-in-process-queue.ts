/**
 * In the embedded default the in-process channels adapter delivers each event as a local broker
 * event to a handler service of its own (`$channel:…`), with a bulkhead of its `maxInFlight`.
 * That bulkhead takes its queue limit from the broker's (200), and what overflows is rejected
 * with QueueIsFullError before our handler or its retries ever see it: a burst of bookings lost
 * notifications and report rows. Here the queue of those handlers has no limit; the events are
 * in memory either way, and it is bounded by how fast bookings can be made.
 */
import type { Middleware } from "moleculer";

const CHANNEL_HANDLER_SERVICE = "$channel:";

export function unboundedInProcessQueue(): Middleware {
  return {
    name: "UnboundedInProcessChannelQueue",
    // Runs when the handler is wrapped, before the broker's own bulkhead reads these options.
    localEvent(next: unknown, event: { service?: { name?: string }; bulkhead?: object }) {
      if (event.service?.name?.startsWith(CHANNEL_HANDLER_SERVICE) && event.bulkhead) {
        event.bulkhead = { ...event.bulkhead, maxQueueSize: Number.POSITIVE_INFINITY };
      }
      return next;
    },
  } as unknown as Middleware;
}
