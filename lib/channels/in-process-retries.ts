import type { Logger, Middleware, ServiceBroker } from "moleculer";
import {
  CHANNEL_MAX_RETRIES,
  isStopping,
  pause,
  retryPause,
  waitingForDependencies,
  type ChannelHandler,
} from "./retry-policy";

/**
 * The in-process adapter neither retries a failed handler nor dead-letters: it logs and drops.
 * So without a transporter we retry here, with the same pauses JetStream redelivery gets; an
 * event that fails every attempt is logged as an error with its id and type, never silently.
 */
export function inProcessRetries(): Middleware {
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
