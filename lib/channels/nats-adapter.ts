/**
 * The JetStream adapter of @moleculer/channels, with one fix: two instances of one consumer
 * group starting at the same moment both find no durable consumer, both create it, and the
 * second is refused with "consumer name already in use" (JetStream error 10013). The adapter
 * then fails the service's start, and the node exits: seen when two `reservations` nodes started
 * together. Here that refusal is retried a few times; by then the consumer exists, and the
 * second instance joins it as any later instance does.
 */
import { Adapters } from "@moleculer/channels";

const CONSUMER_NAME_IN_USE = 10013;
const ATTEMPTS = 5;

type NatsAdapterOptions = ConstructorParameters<typeof Adapters.NATS>[0];
type Channel = Parameters<InstanceType<typeof Adapters.NATS>["subscribe"]>[0];

function isConsumerNameInUse(err: unknown): boolean {
  const apiError = (err as { api_error?: { err_code?: number } } | null)?.api_error;
  return apiError?.err_code === CONSUMER_NAME_IN_USE;
}

class SubscribeRetryingNatsAdapter extends Adapters.NATS {
  override async subscribe(chan: Channel): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.subscribe(chan);
      } catch (err) {
        if (attempt >= ATTEMPTS || !isConsumerNameInUse(err)) throw err;
        // The failed attempt started tracking the channel's messages; the next one does again.
        if (this.activeMessages.has(chan.id)) this.stopChannelActiveMessages(chan.id);
        await new Promise(resolve => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}

export function natsAdapter(options: NatsAdapterOptions) {
  return new SubscribeRetryingNatsAdapter(options);
}
