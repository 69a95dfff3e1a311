/**
 * In the embedded default the in-process adapter delivers an event only to the consumers
 * subscribed at that moment, and the channels middleware subscribes them only once every service
 * has started. So an event a service published while starting reached nobody: the demo spaces,
 * made in `spaces`' `started`, never reached `reports`, whose utilisation report then left them
 * out. Here a publish made before then is held, answered at once, and sent in order as soon as
 * the channels have subscribed (this middleware comes after theirs, so its `started` runs after
 * theirs). Holding it in memory is no weaker than the in-process adapter itself. With JetStream
 * nothing is held: the stream keeps what is published until its consumers come.
 */
import type { Middleware, ServiceBroker } from "moleculer";

type Send = (name: string, payload: unknown, opts?: object) => Promise<void>;

export function publishAfterStart(): Middleware {
  let held: (() => Promise<void>)[] | null = [];
  let broker: ServiceBroker;
  return {
    name: "PublishAfterStart",
    created(created: ServiceBroker) {
      broker = created;
      const target = created as unknown as { sendToChannel: Send };
      const send = target.sendToChannel.bind(created);
      target.sendToChannel = (name, payload, opts) => {
        if (!held) return send(name, payload, opts);
        held.push(() => send(name, payload, opts));
        return Promise.resolve();
      };
    },
    async started() {
      const waiting = held ?? [];
      held = null;
      for (const publish of waiting) {
        await publish().catch(err =>
          broker.logger.error("An event published while starting could not be sent", err),
        );
      }
    },
  } as unknown as Middleware;
}
