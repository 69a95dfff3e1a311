import type { Middleware, ServiceBroker } from "moleculer";
import {
  CHANNEL_MAX_RETRIES,
  isStopping,
  pause,
  retryPause,
  waitingForDependencies,
  type ChannelHandler,
  type JetStreamMessage,
} from "./retry-policy";

/**
 * JetStream hands a message back at once when its handler failed (the adapter naks without a
 * delay), so all attempts would pass within milliseconds and a database fail-over would send
 * events to the dead letter. So the failure is reported only after a pause that grows with each
 * delivery (0.5, 1, 2, 4 s; under the ack wait, and the message is marked as still being worked
 * on, so it is not handed to another instance meanwhile). The last attempt fails at once.
 */
export function pausedRedelivery(): Middleware {
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
